import { readFile } from "node:fs/promises";
import { LRUCache } from "lru-cache";
import { emojiAsset, emojiNames } from "../assets/index";
import { graphemes } from "../../design/name";
import type { TextSegment } from "../../design/types";

export type { TextSegment } from "../../design/types";

/** Where emoji pictures come from. Nothing is fetched: sets read local files. */
export interface EmojiSet {
  /** The image key for one emoji grapheme, or null when the set has no picture for it. */
  keyOf(grapheme: string): string | null;
  /** The picture's bytes (SVG or PNG), or null if it cannot be read. */
  load(key: string): Promise<Uint8Array | null>;
}

/** Prefix of the `src` under which emoji pictures are handed to the renderer. */
export const EMOJI_SRC_PREFIX = "castcard:emoji/";

// RGI emoji as Unicode lists them: covers ZWJ sequences, skin tones, flags and keycaps, and leaves
// text-style characters (a bare ©, a digit) to the fonts. Built at run time: the `v` flag is newer
// than the compile target.
const RGI_EMOJI = new RegExp("^\\p{RGI_Emoji}$", "v");

export function isEmoji(grapheme: string): boolean {
  return RGI_EMOJI.test(grapheme);
}

/** Splits text into runs of text and single emoji the set can draw. */
export function segmentText(text: string, emoji: EmojiSet | null): TextSegment[] {
  const segments: TextSegment[] = [];
  let run = "";
  for (const g of graphemes(text)) {
    const key = emoji && isEmoji(g) ? emoji.keyOf(g) : null;
    if (!key) {
      run += g;
      continue;
    }
    if (run) segments.push({ kind: "text", text: run });
    run = "";
    segments.push({ kind: "emoji", src: EMOJI_SRC_PREFIX + key, alt: g });
  }
  if (run) segments.push({ kind: "text", text: run });
  return segments;
}

const hex = (s: string) => Array.from(s, (c) => c.codePointAt(0)!.toString(16)).join("-");

export interface TwemojiOptions {
  /** Pictures kept in memory (most are 1–5 kB). Default 512. */
  maxCached?: number;
}

/**
 * Twemoji's pictures (CC-BY 4.0) from the `@twemoji/svg` package (shipped inside this package by
 * its build), one SVG per emoji named by its code points. The file list is read once, on the first
 * emoji; pictures are read as needed.
 */
export function createTwemoji(options: TwemojiOptions = {}): EmojiSet {
  let names: Set<string> | undefined;
  const cache = new LRUCache<string, Uint8Array>({ max: options.maxCached ?? 512 });

  const files = () => {
    if (!names) {
      names = new Set(emojiNames());
    }
    return names;
  };

  return {
    keyOf(grapheme) {
      const available = files();
      // The set names files without U+FE0F except inside ZWJ sequences; try both spellings.
      const bare = grapheme.replace(/\uFE0F/g, "");
      // A sequence newer than the set falls back to its first emoji (🐦‍🔥 → 🐦) rather than a box.
      const first = bare.split("\u200D")[0]!;
      for (const candidate of [grapheme.includes("\u200D") ? grapheme : bare, grapheme, bare, first, Array.from(first)[0]!]) {
        const key = hex(candidate);
        if (available.has(key)) return key;
      }
      return null;
    },
    async load(key) {
      const hit = cache.get(key);
      if (hit) return hit;
      if (!/^[0-9a-f]+(-[0-9a-f]+)*$/.test(key) || !files().has(key)) return null;
      try {
        const bytes = new Uint8Array(await readFile(emojiAsset(`${key}.svg`)));
        cache.set(key, bytes);
        return bytes;
      } catch {
        return null;
      }
    },
  };
}
