import { dirname } from "node:path";

/**
 * Finds an installed package's folder at run time, with Node's own resolver. It is reached
 * through getBuiltinModule on purpose: bundlers (Next's included) rewrite a visible
 * `require.resolve` and would try to bundle the font files as modules.
 */
export function fontPackageDir(name: string): string {
  const { createRequire } = process.getBuiltinModule("node:module") as typeof import("node:module");
  return dirname(createRequire(import.meta.url).resolve(`${name}/package.json`));
}
