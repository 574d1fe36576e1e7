// Colours from one: what a design needs to use an app's colour (APP_COLOR) on light and dark cards.

/** The shades of one colour a design draws with; every value is `#RRGGBB`. */
export interface AccentPalette {
  /** The colour itself. */
  base: string;
  /** Darker (towards black): a gradient's deep end. */
  deep: string;
  /** Lighter (towards white): a gradient's bright end. */
  bright: string;
  /** Text on the colour: white, or near-black on a light colour. */
  ink: string;
  /** The colour lightened until it reads on a dark card (rules, borders, highlights). */
  onDark: string;
  /** The colour darkened until it reads on a light card. */
  onLight: string;
}

const INK_DARK = "#15130F";

function channels(hex: string): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex);
  if (!m) throw new TypeError(`expected a colour like #0B6E4F, got "${hex}"`);
  const n = Number.parseInt(m[1]!, 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

const toHex = (rgb: readonly number[]) => `#${rgb.map((c) => Math.round(Math.min(255, Math.max(0, c))).toString(16).padStart(2, "0")).join("").toUpperCase()}`;

/** `a` moved a share `t` (0–1) of the way towards `b`. */
export function mixColors(a: string, b: string, t: number): string {
  const [x, y] = [channels(a), channels(b)];
  return toHex(x.map((c, i) => c + (y[i]! - c) * t));
}

/** WCAG relative luminance, 0 (black) to 1 (white). */
export function luminance(hex: string): number {
  const lin = channels(hex).map((c) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * lin[0]! + 0.7152 * lin[1]! + 0.0722 * lin[2]!;
}

/** WCAG contrast ratio of two colours, 1 to 21. */
export function contrast(a: string, b: string): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

/** Moves `color` towards `towards` in tenths until it reaches `ratio` against `against` (or gets there). */
function until(color: string, towards: string, against: string, ratio: number): string {
  for (let t = 0; t <= 1; t += 0.1) {
    const mixed = mixColors(color, towards, t);
    if (contrast(mixed, against) >= ratio) return mixed;
  }
  return towards;
}

/**
 * The shades a design draws an app's colour with (`props.accent`): a gradient's ends, readable
 * text on the colour, and the colour made to read on dark and on light cards.
 *
 * ```tsx
 * const p = accentPalette(props.accent ?? "#2D1B69");
 * <div style={{ backgroundImage: `linear-gradient(135deg, ${p.deep}, ${p.base} 60%, ${p.bright})`, color: p.ink }} />
 * ```
 */
export function accentPalette(color: string): AccentPalette {
  const base = toHex(channels(color));
  return {
    base,
    deep: mixColors(base, "#000000", 0.35),
    bright: mixColors(base, "#FFFFFF", 0.3),
    ink: contrast(base, "#FFFFFF") >= contrast(base, INK_DARK) ? "#FFFFFF" : INK_DARK,
    onDark: until(base, "#FFFFFF", "#0E1120", 4.5),
    onLight: until(base, "#000000", "#FFF6E5", 4.5),
  };
}
