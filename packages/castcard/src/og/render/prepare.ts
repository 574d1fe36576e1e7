import { segmentText, type EmojiSet } from "../emoji/index";
import { graphemes } from "../../design/name";
import type { RichText } from "../../design/index";

const RTL_LETTER = /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Adlam}]/u;
const LETTER = /\p{L}/u;

/** The base direction a browser's dir="auto" would pick: that of the first letter. */
export function baseDirection(text: string): "ltr" | "rtl" {
  for (const char of text) {
    if (RTL_LETTER.test(char)) return "rtl";
    if (LETTER.test(char)) return "ltr";
  }
  return "ltr";
}

// Mathematical "fancy" letters (𝓐𝓵𝓲𝓬𝓮, 𝕯𝖆𝖓) are common in display names; no font we ship draws
// them, so they fall back to the letters they are styled from rather than to empty boxes.
const COMPATIBILITY_LETTERS = /[\u{1D400}-\u{1D7FF}\u{1F130}-\u{1F189}\u24B6-\u24E9\uFF01-\uFF5E]/u;

/** Folds, grapheme by grapheme, only what no font has and NFKC turns into something drawable. */
export function foldUndrawable(text: string, uncovered: ReadonlySet<number>): string {
  if (uncovered.size === 0) return text;
  return graphemes(text)
    .map((g) => (Array.from(g).some((c) => uncovered.has(c.codePointAt(0)!)) && COMPATIBILITY_LETTERS.test(g) ? g.normalize("NFKC") : g))
    .join("");
}

export function richText(text: string, emoji: EmojiSet | null): RichText {
  return { segments: segmentText(text, emoji), direction: baseDirection(text) };
}
