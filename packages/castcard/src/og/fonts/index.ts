import { readFileSync } from "node:fs";
import { fontAsset } from "../assets/index";

export { createWorldFonts, drawnByDefaultFont, type FontPlan, type FontSlice, type WorldFonts, type WorldFamily } from "./world";

export interface FontFile {
  name: string;
  weight: number;
  data: Uint8Array;
}

/** The family every design names; the world fonts are its fallbacks. */
export const DEFAULT_FONT_FAMILY = "Inter";

/**
 * Inter regular and bold, shipped inside the package (copied from the npm font package by the
 * package build), read from disk once per process: Latin, Greek and Cyrillic. Every other script is registered later, slice by slice, when a name needs it.
 */
let inter: FontFile[] | undefined;
/** The two Inter files drawn, as the package build copies them from `@expo-google-fonts/inter`. */
export const INTER_FILES = [
  { weight: 400, source: "400Regular/Inter_400Regular.ttf", file: "Inter_400Regular.ttf" },
  { weight: 700, source: "700Bold/Inter_700Bold.ttf", file: "Inter_700Bold.ttf" },
];
export function loadDefaultFonts(): FontFile[] {
  if (!inter) {
    inter = INTER_FILES.map(({ weight, file }) => ({ name: DEFAULT_FONT_FAMILY, weight, data: readFileSync(fontAsset(file)) }));
  }
  return inter;
}
