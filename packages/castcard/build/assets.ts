import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { INTER_FILES } from "../src/og/fonts/index";
import { CJK_FAMILIES, SCRIPT_FAMILIES, SYMBOL_FAMILY, type WorldFamily } from "../src/og/fonts/world";

// Run by the package build after the code is bundled: the files the renderer reads at run time go
// into dist/assets/, where src/og/assets finds them. Only what is drawn travels: Inter's two
// weights (not its other sixteen files), each world family's woff2 slices of the subsets it serves
// (not the woff copies, nor the Latin slices Inter draws), and Twemoji's SVGs.

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

function copy(from: string, to: string) {
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(from, to);
}

/** The font's licence travels with it (the SIL Open Font License asks for that), named after it. */
function copyLicence(from: string, to: string) {
  for (const name of ["LICENSE_FONT", "LICENSE", "license"]) {
    if (existsSync(join(from, name))) return copy(join(from, name), to);
  }
  throw new Error(`${from}: no licence file`);
}

function copyFamily(family: WorldFamily, fonts: string) {
  const from = packageDir(family.package);
  const table = JSON.parse(readFileSync(join(from, "unicode.json"), "utf8")) as Record<string, string>;
  const kept = Object.fromEntries(Object.entries(table).filter(([subset]) => !family.subsets || family.subsets.includes(subset)));
  if (Object.keys(kept).length === 0) throw new Error(`${family.package}: none of ${family.subsets} in unicode.json`);
  for (const subset of Object.keys(kept)) copy(join(from, "files", family.file(subset)), join(fonts, family.file(subset)));
  writeFileSync(join(fonts, `${family.folder}.unicode.json`), JSON.stringify(kept, null, 1));
  copyLicence(from, join(fonts, `${family.folder}.LICENSE.txt`));
}

/** Writes dist/assets/ (fonts/ and emoji/) from the installed font and emoji packages. */
export function writeAssets(dist: string): void {
  const assets = join(dist, "assets");
  rmSync(assets, { recursive: true, force: true });
  const fonts = join(assets, "fonts");

  const inter = packageDir("@expo-google-fonts/inter");
  for (const { source, file } of INTER_FILES) copy(join(inter, source), join(fonts, file));
  copyLicence(inter, join(fonts, "inter.LICENSE.txt"));

  for (const family of [...SCRIPT_FAMILIES, ...Object.values(CJK_FAMILIES), SYMBOL_FAMILY]) copyFamily(family, fonts);

  const twemoji = packageDir("@twemoji/svg");
  const emoji = join(assets, "emoji");
  mkdirSync(emoji, { recursive: true });
  const names = readdirSync(twemoji).filter((name) => name.endsWith(".svg"));
  for (const name of names) copyFileSync(join(twemoji, name), join(emoji, name));
  // The list the package reads, run from source, on its first emoji (the build names them all).
  writeFileSync(join(emoji, "index.json"), JSON.stringify(names.map((name) => name.slice(0, -4))));
  copyLicence(twemoji, join(emoji, "LICENSE.txt"));
}

/**
 * The built package's version of src/og/assets: every shipped file named by a static
 * `new URL("./assets/…", import.meta.url)` (the bundle's chunks sit in dist/, beside assets/), so
 * that tracers and bundlers see each file the renderer may read. Written after writeAssets.
 */
export function assetLocatorSource(dist: string): string {
  const table = (kind: string) =>
    readdirSync(join(dist, "assets", kind))
      .filter((name) => !name.endsWith(".txt") && name !== "index.json")
      .sort()
      .map((name) => `  ${JSON.stringify(name)}: () => new URL(${JSON.stringify(`./assets/${kind}/${name}`)}, import.meta.url),`)
      .join("\n");
  return `import { fileURLToPath } from "node:url";
// Written by build/assets.ts: one static URL per file shipped in dist/assets/.
const FONTS: Record<string, () => URL> = {
${table("fonts")}
};
const EMOJI: Record<string, () => URL> = {
${table("emoji")}
};
const find = (files: Record<string, () => URL>, kind: string, name: string): string => {
  if (!Object.hasOwn(files, name)) throw new Error(\`castcard: no \${kind} file named \${name} in the package\`);
  return fileURLToPath(files[name]!());
};
export const fontAsset = (name: string): string => find(FONTS, "font", name);
export const emojiAsset = (name: string): string => find(EMOJI, "emoji", name);
export const emojiNames = (): string[] => Object.keys(EMOJI).map((name) => name.slice(0, -4));
`;
}
