import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";

export interface FontFile {
  name: string;
  weight: number;
  data: Uint8Array;
}

/**
 * Finds an installed font package's folder at run time, with Node's own resolver. It is reached
 * through getBuiltinModule on purpose: bundlers (Next's included) rewrite a visible
 * `require.resolve` and would try to bundle the font files as modules.
 */
export function fontPackageDir(name: string): string {
  const { createRequire } = process.getBuiltinModule("node:module") as typeof import("node:module");
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}

/** Inter regular and bold from the npm font package, read from disk once per process. */
let inter: FontFile[] | undefined;
export function loadDefaultFonts(): FontFile[] {
  if (!inter) {
    const dir = fontPackageDir("@expo-google-fonts/inter");
    inter = [
      { name: "Inter", weight: 400, data: readFileSync(join(dir, "400Regular/Inter_400Regular.ttf")) },
      { name: "Inter", weight: 700, data: readFileSync(join(dir, "700Bold/Inter_700Bold.ttf")) },
    ];
  }
  return inter;
}
