import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

// The fonts and emoji pictures the renderer draws ship inside the package, in dist/assets/ (copied
// there by the package build, build/assets.ts). Run from source, files are found relative to this
// module. In the built package this module is replaced by one that names every file with its own
// static `new URL("./assets/…", import.meta.url)` (build/assets.ts writes it): file tracers (Next's
// output tracing, Vercel's functions) ship exactly those files with the server, and a bundler that
// takes the package in (Turbopack does for a workspace package) emits each one, so an app that
// deploys the package needs no tracing settings of its own.

/** A font file shipped with the package, by its name in assets/fonts/. */
export function fontAsset(name: string): string {
  return fileURLToPath(new URL(`../../../dist/assets/fonts/${name}`, import.meta.url));
}

/** One emoji picture shipped with the package, by its file name in assets/emoji/. */
export function emojiAsset(name: string): string {
  return fileURLToPath(new URL(`../../../dist/assets/emoji/${name}`, import.meta.url));
}

/** The names of the emoji pictures shipped (without `.svg`). */
export function emojiNames(): string[] {
  return JSON.parse(readFileSync(emojiAsset("index.json"), "utf8")) as string[];
}
