import type { ReactElement } from "react";
import type { TextSegment } from "../emoji/index";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 800;
export const AVATAR_SIZE = 240;
/** The key under which the avatar's bytes are handed to the renderer. */
export const AVATAR_SRC = "castcard:avatar";

/** A line of text ready to draw: emoji already split out as images, base direction decided. */
export interface RichText {
  segments: TextSegment[];
  direction: "ltr" | "rtl";
}

/** The name after fitting: the font size that makes it fit, and an ellipsis when even the floor did not. */
export interface FittedName extends RichText {
  fontSize: number;
  truncated: boolean;
}

/** The box a template gives the name; the renderer measures the name against it. */
export interface NameBox {
  maxWidth: number;
  maxFontSize: number;
  /** Below this the name is cut and ends in "…" instead of shrinking further. */
  minFontSize: number;
  fontWeight: 400 | 700;
  /** Drawn before the username. Default "@". */
  prefix?: string;
}

export interface CardProps {
  /** The plain username, for templates that need the raw text (e.g. a colour seed). */
  username: string;
  name: FittedName;
  avatar: { kind: "image" } | { kind: "initials"; initials: RichText; color: string };
  brand: RichText;
  subtitle: RichText;
}

/** One card design. Adding a design is one file exporting one of these, listed in the registry. */
export interface CardTemplate {
  /** The `template` parameter's value: lower-case letters, digits and '-'. */
  id: string;
  label: string;
  name: NameBox;
  /**
   * The side, in px at 1×, of the square the design draws the avatar in (the picture box inside
   * any border). Avatars are normalised to exactly this size, so the renderer never scales them.
   */
  avatarSize: number;
  render: (props: CardProps) => ReactElement;
}
