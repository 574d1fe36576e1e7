import { readFileSync } from "node:fs";
import { fontAsset } from "../assets/index";

/**
 * One npm font package, sliced by Unicode range (fontsource's layout: unicode.json + files/). The
 * package build copies the slices of `subsets` (woff2 only) and their unicode.json entries into
 * the package's assets; the font package itself is not needed at run time.
 */
export interface WorldFamily {
  /** The family name the renderer knows it by. */
  family: string;
  /** The npm font package the slices are copied from. */
  package: string;
  /** Its name in the package's assets/fonts/ (`<folder>.unicode.json` holds its ranges). */
  folder: string;
  /** unicode.json keys this family serves; null: all of them (CJK numbered slices). */
  subsets: string[] | null;
  /** One slice's file name: in the font package's files/, and in the package's assets/fonts/. */
  file: (subset: string) => string;
  /** Registered weight for static fonts; variable fonts leave it to the file. */
  weight?: number;
}

/** One slice of a family: registered with the renderer the first time a name needs it. */
export interface FontSlice {
  /** Unique across families: what a renderer remembers as registered. */
  id: string;
  family: string;
  path: string;
  unicodeRange: [number, number][];
  weight?: number;
}

export interface FontPlan {
  /** Slices the text needs (registered or not). */
  slices: FontSlice[];
  /** Families in fallback order for this text, after the default font. */
  families: string[];
  /** Code points outside the default font's ranges that no family has. */
  uncovered: number[];
}

export interface WorldFonts {
  plan(text: string): FontPlan;
}

const fontsource = (family: string, pkg: string, subsets: string[] | null, stem: string, variable = true): WorldFamily => ({
  family,
  package: pkg,
  folder: pkg.split("/").pop()!,
  subsets,
  // CJK slices are keyed "[12]" in unicode.json but named "…-12-…" on disk.
  file: (subset) => `${stem}-${subset.replace(/^\[(\d+)\]$/, "$1")}-${variable ? "wght" : "400"}-normal.woff2`,
  weight: variable ? undefined : 400,
});

/** Scripts other than Latin/Greek/Cyrillic (Inter's), in lookup order. CJK order depends on the text. */
export const SCRIPT_FAMILIES: WorldFamily[] = [
  fontsource("Noto Sans Arabic", "@fontsource-variable/noto-sans-arabic", ["arabic"], "noto-sans-arabic"),
  fontsource("Noto Sans Hebrew", "@fontsource-variable/noto-sans-hebrew", ["hebrew"], "noto-sans-hebrew"),
  fontsource("Noto Sans Devanagari", "@fontsource-variable/noto-sans-devanagari", ["devanagari"], "noto-sans-devanagari"),
  fontsource("Noto Sans Bengali", "@fontsource-variable/noto-sans-bengali", ["bengali"], "noto-sans-bengali"),
  fontsource("Noto Sans Tamil", "@fontsource-variable/noto-sans-tamil", ["tamil"], "noto-sans-tamil"),
  fontsource("Noto Sans Telugu", "@fontsource-variable/noto-sans-telugu", ["telugu"], "noto-sans-telugu"),
  fontsource("Noto Sans Thai", "@fontsource-variable/noto-sans-thai", ["thai"], "noto-sans-thai"),
];
export const CJK_FAMILIES = {
  sc: fontsource("Noto Sans SC", "@fontsource-variable/noto-sans-sc", null, "noto-sans-sc"),
  tc: fontsource("Noto Sans TC", "@fontsource-variable/noto-sans-tc", null, "noto-sans-tc"),
  jp: fontsource("Noto Sans JP", "@fontsource-variable/noto-sans-jp", null, "noto-sans-jp"),
  kr: fontsource("Noto Sans KR", "@fontsource-variable/noto-sans-kr", null, "noto-sans-kr"),
};
export const SYMBOL_FAMILY = fontsource("Noto Sans Symbols 2", "@fontsource/noto-sans-symbols-2", ["symbols", "braille"], "noto-sans-symbols-2", false);

/**
 * Code points Inter draws: Latin, Greek, Cyrillic, general punctuation and currency. Everything
 * else is looked up in the script families.
 */
const DEFAULT_FONT_RANGES: [number, number][] = [
  [0x0000, 0x024f],
  [0x0300, 0x036f],
  [0x0370, 0x03ff],
  [0x0400, 0x052f],
  [0x1e00, 0x1eff],
  [0x2000, 0x206f],
  [0x20a0, 0x20bf],
];
const inRanges = (cp: number, ranges: [number, number][]) => ranges.some(([a, b]) => cp >= a && cp <= b);
export const drawnByDefaultFont = (cp: number) => inRanges(cp, DEFAULT_FONT_RANGES);

const KANA = /[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]/;
const HANGUL = /[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]/;

/** Which CJK font draws shared Han characters: Japanese beside kana, Korean beside hangul. */
function cjkOrder(text: string): WorldFamily[] {
  const { sc, tc, jp, kr } = CJK_FAMILIES;
  if (KANA.test(text)) return [jp, sc, tc, kr];
  if (HANGUL.test(text)) return [kr, sc, tc, jp];
  return [sc, tc, jp, kr];
}

interface FamilyIndex {
  /** Sorted, non-overlapping [start, end, slice] for binary search. */
  spans: Array<[number, number, FontSlice]>;
}

export function parseUnicodeRange(value: string): [number, number][] {
  return value.split(",").map((part) => {
    const [a, b] = part.trim().replace(/^U\+/i, "").split("-");
    const start = parseInt(a!, 16);
    return [start, b ? parseInt(b, 16) : start];
  });
}

/**
 * Finds, for any text, the font slices that draw it. Only a family's unicode.json is read here
 * (once, on first use); the font files themselves are read by whoever registers the slices.
 */
export function createWorldFonts(): WorldFonts {
  const indexes = new Map<WorldFamily, FamilyIndex>();

  const indexOf = (family: WorldFamily): FamilyIndex => {
    let index = indexes.get(family);
    if (!index) {
      const table = JSON.parse(readFileSync(fontAsset(`${family.folder}.unicode.json`), "utf8")) as Record<string, string>;
      const spans: FamilyIndex["spans"] = [];
      for (const [subset, range] of Object.entries(table)) {
        if (family.subsets && !family.subsets.includes(subset)) continue;
        const slice: FontSlice = {
          id: `${family.family}/${subset}`,
          family: family.family,
          path: fontAsset(family.file(subset)),
          unicodeRange: parseUnicodeRange(range),
          weight: family.weight,
        };
        for (const [a, b] of slice.unicodeRange) spans.push([a, b, slice]);
      }
      spans.sort((x, y) => x[0] - y[0]);
      index = { spans };
      indexes.set(family, index);
    }
    return index;
  };

  const find = (family: WorldFamily, cp: number): FontSlice | null => {
    const { spans } = indexOf(family);
    let lo = 0;
    let hi = spans.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [a, b, slice] = spans[mid]!;
      if (cp < a) hi = mid - 1;
      else if (cp > b) lo = mid + 1;
      else return slice;
    }
    return null;
  };

  return {
    plan(text) {
      const order = [...SCRIPT_FAMILIES, ...cjkOrder(text), SYMBOL_FAMILY];
      const slices = new Map<string, FontSlice>();
      const families: string[] = [];
      const uncovered: number[] = [];
      const seen = new Set<number>();
      for (const char of text) {
        const cp = char.codePointAt(0)!;
        if (seen.has(cp) || drawnByDefaultFont(cp)) continue;
        seen.add(cp);
        let found: FontSlice | null = null;
        for (const family of order) {
          found = find(family, cp);
          if (found) break;
        }
        if (!found) {
          uncovered.push(cp);
          continue;
        }
        slices.set(found.id, found);
        if (!families.includes(found.family)) families.push(found.family);
      }
      // Fallback order follows the lookup order, so shared Han characters come from the chosen CJK font.
      families.sort((a, b) => order.findIndex((f) => f.family === a) - order.findIndex((f) => f.family === b));
      return { slices: [...slices.values()], families, uncovered };
    },
  };
}
