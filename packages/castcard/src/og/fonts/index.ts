import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fontPackageDir } from "./package-dir";

export { fontPackageDir } from "./package-dir";
export { createWorldFonts, drawnByDefaultFont, type FontPlan, type FontSlice, type WorldFonts, type WorldFamily } from "./world";

export interface FontFile {
  name: string;
  weight: number;
  data: Uint8Array;
}

/** The family every design names; the world fonts are its fallbacks. */
export const DEFAULT_FONT_FAMILY = "Inter";

/**
 * Inter regular and bold from the npm font package, read from disk once per process: Latin, Greek
 * and Cyrillic. Every other script is registered later, slice by slice, when a name needs it.
 */
let inter: FontFile[] | undefined;
export function loadDefaultFonts(): FontFile[] {
  if (!inter) {
    const dir = fontPackageDir("@expo-google-fonts/inter");
    inter = [
      { name: DEFAULT_FONT_FAMILY, weight: 400, data: readFileSync(join(dir, "400Regular/Inter_400Regular.ttf")) },
      { name: DEFAULT_FONT_FAMILY, weight: 700, data: readFileSync(join(dir, "700Bold/Inter_700Bold.ttf")) },
    ];
  }
  return inter;
}
