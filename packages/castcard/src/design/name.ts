/** Limits that keep any name cheap to lay out and impossible to use for spoofing. */
export const NAME_LIMITS = {
  /** Checked before any other work, so a 100 kB name costs nothing. */
  maxUtf16Units: 256,
  maxGraphemes: 64,
  /** Zalgo-style stacks of combining marks are cut to this many code points per grapheme. */
  maxCodePointsPerGrapheme: 8,
} as const;

// Bidi controls reorder what follows them ("@alice" can be made to read "ecila@"); C0/C1 controls
// have no glyphs. Both are removed outright.
const BIDI_CONTROLS = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const C0_C1_CONTROLS = /[\u0000-\u001F\u007F-\u009F]/g;

const segmenter = new Intl.Segmenter(undefined, { granularity: "grapheme" });

/**
 * Makes a user-supplied name safe to draw: NFC, no bidi or control characters, bounded in length.
 * Returns "" when nothing printable is left; callers pick their own default.
 */
export function sanitizeName(raw: string): string {
  let text = raw.slice(0, NAME_LIMITS.maxUtf16Units);
  // A cut through a surrogate pair leaves a lone high surrogate: drop it.
  if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
  text = text.normalize("NFC").replace(BIDI_CONTROLS, "").replace(C0_C1_CONTROLS, "");
  text = text.replace(/\s+/g, " ").trim();

  const out: string[] = [];
  for (const { segment } of segmenter.segment(text)) {
    if (out.length === NAME_LIMITS.maxGraphemes) {
      out[out.length - 1] = "…";
      break;
    }
    const codePoints = Array.from(segment);
    out.push(
      codePoints.length > NAME_LIMITS.maxCodePointsPerGrapheme
        ? codePoints.slice(0, NAME_LIMITS.maxCodePointsPerGrapheme).join("")
        : segment,
    );
  }
  return out.join("").trim();
}

/** Graphemes, as a person counts characters. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}
