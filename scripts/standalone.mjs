#!/usr/bin/env node
// After `next build`: completes the self-contained server Next leaves in <distDir>/standalone/
// (`output: "standalone"`) with what it leaves out, the browser's files (<distDir>/static) and
// public/, so that folder alone, copied anywhere, serves every route with `node server.js`.
import { cpSync, existsSync, readdirSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// The same build folder next.config.ts names (tests build into their own).
const distDir = process.env.NEXT_DIST_DIR || ".next";
const standalone = join(root, distDir, "standalone");
if (!existsSync(join(standalone, "server.js"))) {
  console.error(`castcard: ${join(distDir, "standalone", "server.js")} is missing: run \`next build\` first (next.config.ts sets output: "standalone").`);
  process.exit(1);
}
// Turbopack bundles the castcard workspace package into the app (a package installed from npm
// stays external); the server layer reads its fonts and emoji from <distDir>/server/assets, but
// the page layer also emits copies as browser media no page loads. Those copies stay behind.
const castcardAssets = join(dirname(createRequire(import.meta.url).resolve("castcard/package.json")), "dist", "assets");
const shipped = new Set(["fonts", "emoji"].flatMap((kind) => readdirSync(join(castcardAssets, kind))));
const media = join(root, distDir, "static", "media");
const copyOfAsset = (path) => dirname(path) === media && shipped.has(basename(path).replace(/\.[\w-]+(\.\w+)$/, "$1"));
cpSync(join(root, distDir, "static"), join(standalone, distDir, "static"), { recursive: true, filter: (path) => !copyOfAsset(path) });
if (existsSync(join(root, "public"))) cpSync(join(root, "public"), join(standalone, "public"), { recursive: true });

// libsql installs its Linux binaries for both C libraries (glibc and musl) and tracing ships both;
// the server runs on the C library it was built with (build where you run: the Dockerfile builds
// and runs on one image), so the other one (about 10 MB) is left out.
if (process.platform === "linux") {
  const glibc = Boolean(process.report.getReport().header.glibcVersionRuntime);
  const libsql = join(standalone, "node_modules", "@libsql");
  if (existsSync(libsql)) {
    for (const name of readdirSync(libsql)) if (name.endsWith(glibc ? "-musl" : "-gnu")) rmSync(join(libsql, name), { recursive: true, force: true });
  }
}
