import { accentPalette } from "./color";
import { Line } from "./text";
import type { RichText } from "./types";

/**
 * The app's mark, for its icon and splash image: the first letter of its name, large, on a
 * gradient of its colour. Square, `side` px; no transparency, as the icon must have none.
 */
export function AppMark({ letter, color, side }: { letter: RichText; color: string; side: number }) {
  const p = accentPalette(color);
  return (
    <div
      style={{
        width: side,
        height: side,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        backgroundColor: p.base,
        backgroundImage: `linear-gradient(135deg, ${p.deep} 0%, ${p.base} 55%, ${p.bright} 100%)`,
        fontFamily: "Inter",
        fontWeight: 700,
        color: p.ink,
      }}
    >
      <Line value={letter} size={Math.round(side * 0.56)} style={{ lineHeight: 1, overflow: "visible" }} />
    </div>
  );
}

/** The letter a mark shows: the name's first letter or digit, upper-cased ("?" when it has none). */
export function markLetter(name: string): string {
  for (const { segment } of new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(name)) {
    if (/[\p{L}\p{N}]/u.test(segment)) return segment.toLocaleUpperCase();
  }
  return "?";
}
