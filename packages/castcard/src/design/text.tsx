import type { CSSProperties, ReactNode } from "react";
import type { FittedName, RichText } from "./types";

/**
 * The children for a line of rich text, for an element of your own: plain text as a bare string (what every renderer accepts), emoji as
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

/**
 * One line of rich text (`props.brand`, `props.subtitle`, `props.handle`, `props.dataText.*`) at a
 * font size: emoji as pictures, right-to-left text right to left. Never wraps or spills: it ends
 * in "…" at its width.
 */
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
 * The fitted name, at the size and weight the renderer fitted it at (its name box's `fontWeight`).
 * The line is tall enough for marks that hang below the baseline (the dots under Arabic yeh): the
 * box clips, for the ellipsis. Give it the box's width (`style={{ width }}` or `maxWidth`).
 */
export function Name({ name, style }: { name: FittedName; style?: CSSProperties }) {
  return <Line value={name} size={name.fontSize} style={{ lineHeight: 1.5, fontWeight: name.fontWeight, ...style }} />;
}

/**
 * The largest font size, up to `max`, at which a number's text (digits and separators, e.g.
 * "4,200") fits `width`: Inter Bold digits are about 0.6 em wide.
 */
export function digitsSize(text: string, width: number, max: number): number {
  return Math.min(max, Math.floor(width / (text.length * 0.62)));
}
