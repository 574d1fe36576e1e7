import type { CSSProperties, ReactNode } from "react";
import type { FittedName, RichText } from "./types";

/**
 * The children for a line: plain text as a bare string (what every renderer accepts), emoji as
 * 1em-square images with a hair of room either side, as a font's emoji would have.
 */
export function segmentNodes(value: RichText, size: number): ReactNode {
  const only = value.segments.length === 1 ? value.segments[0] : undefined;
  if (only?.kind === "text") return only.text;
  return value.segments.map((s, i) =>
    s.kind === "text" ? (
      <span key={i}>{s.text}</span>
    ) : (
      <img
        key={i}
        src={s.src}
        alt={s.alt}
        style={{ width: size, height: size, margin: `0 ${Math.round(size * 0.04)}px`, verticalAlign: "-0.12em" }}
      />
    ),
  );
}

/** One line of rich text; `direction` keeps right-to-left names right-to-left. Never wraps or spills. */
export function Line({ value, size, style }: { value: RichText; size: number; style?: CSSProperties }) {
  return (
    <div
      dir={value.direction}
      style={{
        display: "block",
        direction: value.direction,
        whiteSpace: "nowrap",
        overflow: "hidden",
        textOverflow: "ellipsis",
        fontSize: size,
        ...style,
      }}
    >
      {segmentNodes(value, size)}
    </div>
  );
}

/**
 * The fitted name, at the size the renderer chose for it. The line is tall enough for marks that
 * hang below the baseline (the dots under Arabic yeh): the box clips, for the ellipsis.
 */
export function Name({ name, style }: { name: FittedName; style?: CSSProperties }) {
  return <Line value={name} size={name.fontSize} style={{ lineHeight: 1.5, ...style }} />;
}

/** The largest font size, up to `max`, at which a number's text (digits and separators) fits `width`: Inter Bold digits are ~0.6 em. */
export function digitsSize(text: string, width: number, max: number): number {
  return Math.min(max, Math.floor(width / (text.length * 0.62)));
}
