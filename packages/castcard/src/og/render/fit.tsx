import type { ReactElement } from "react";
import { Line, type FittedName, type NameBox, type RichText } from "../../design/index";
import type { TextSegment } from "../emoji/index";
import { graphemes } from "../../design/name";

/** Width in pixels of an element laid out with no width limit. */
export type MeasureWidth = (element: ReactElement) => Promise<number>;

/** Names are measured at this size; widths scale linearly from it. */
const REFERENCE_SIZE = 100;
/** Hinting and rounding make widths not quite linear in size: keep a little slack. */
const SLACK = 0.985;
/** No printable ASCII glyph in Inter Bold is wider than this many em ('W' and '@' come close). */
const ASCII_MAX_ADVANCE = 1.0;
const ELLIPSIS = "…";

type Unit = { kind: "text"; text: string } | Extract<TextSegment, { kind: "emoji" }>;

function units(text: RichText): Unit[] {
  return text.segments.flatMap((s): Unit[] => (s.kind === "text" ? graphemes(s.text).map((g) => ({ kind: "text", text: g })) : [s]));
}

function join(list: Unit[]): TextSegment[] {
  const out: TextSegment[] = [];
  for (const u of list) {
    const last = out[out.length - 1];
    if (u.kind === "text" && last?.kind === "text") last.text += u.text;
    else out.push(u.kind === "text" ? { kind: "text", text: u.text } : u);
  }
  return out;
}

/**
 * Picks the largest font size in [minFontSize, maxFontSize] at which the name fits its box; a
 * name too long even at the floor is cut at a grapheme boundary and ends in "…". Short ASCII
 * names skip measuring altogether.
 */
export async function fitName(text: RichText, box: NameBox, measure: MeasureWidth): Promise<FittedName> {
  const all = units(text);
  const ascii = text.segments.every((s) => s.kind === "text" && /^[\x20-\x7e]*$/.test(s.text));
  if (ascii && all.length * box.maxFontSize * ASCII_MAX_ADVANCE <= box.maxWidth) {
    return { ...text, fontSize: box.maxFontSize, fontWeight: box.fontWeight, truncated: false };
  }

  const widthOf = (segments: TextSegment[]) =>
    measure(<Line value={{ segments, direction: text.direction }} size={REFERENCE_SIZE} style={{ fontWeight: box.fontWeight, overflow: "visible" }} />);

  const full = await widthOf(text.segments);
  const fitting = Math.floor((box.maxWidth * REFERENCE_SIZE * SLACK) / Math.max(full, 1));
  if (fitting >= box.minFontSize) {
    return { ...text, fontSize: Math.min(box.maxFontSize, fitting), fontWeight: box.fontWeight, truncated: false };
  }

  // At the floor the box holds this much of the name, in reference-size pixels.
  const budget = (box.maxWidth * REFERENCE_SIZE * SLACK) / box.minFontSize;
  let keep = Math.max(0, Math.floor((all.length * budget) / full) - 1);
  let segments: TextSegment[] = [];
  for (let attempt = 0; attempt < 8; attempt++) {
    const kept = all.slice(0, keep);
    while (kept.length && kept[kept.length - 1]!.kind === "text" && !(kept[kept.length - 1] as { text: string }).text.trim()) kept.pop();
    segments = join([...kept, { kind: "text", text: ELLIPSIS }]);
    const width = await widthOf(segments);
    if (width <= budget || keep === 0) break;
    keep -= Math.max(1, Math.ceil((keep * (width - budget)) / width));
    keep = Math.max(0, keep);
  }
  return { segments, direction: text.direction, fontSize: box.minFontSize, fontWeight: box.fontWeight, truncated: true };
}
