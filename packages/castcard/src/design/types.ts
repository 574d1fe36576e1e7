import type { ReactElement } from "react";
import type { z } from "zod";
import type { FieldValue } from "./fields";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 800;

/**
 * The sizes every design lays itself out at: `embed`, the 3:2 card a Farcaster feed shows, and
 * `og`, the 1.91:1 card X, Telegram, Discord and iMessage show (they crop a 3:2 one).
 */
export const CARD_SIZES = {
  embed: { width: CARD_WIDTH, height: CARD_HEIGHT },
  og: { width: 1200, height: 630 },
} as const;
export type CardSizeId = keyof typeof CARD_SIZES;
export interface CardSize {
  id: CardSizeId;
  width: number;
  height: number;
}
export const AVATAR_SIZE = 240;
/** The key under which the avatar's bytes are handed to the renderer. */
export const AVATAR_SRC = "castcard:avatar";

/** A piece of a line of text: plain text, or one emoji drawn as an image. */
export type TextSegment = { kind: "text"; text: string } | { kind: "emoji"; src: string; alt: string };

/** A line of text ready to draw: emoji already split out as images, base direction decided. */
export interface RichText {
  segments: TextSegment[];
  direction: "ltr" | "rtl";
}

/** The name after fitting: the font size that makes it fit, and an ellipsis when even the floor did not. */
export interface FittedName extends RichText {
  fontSize: number;
  /** The name box's weight, which the fitting measured with: `<Name>` draws at it. */
  fontWeight: 400 | 700;
  truncated: boolean;
}

/** The box a design gives the name; the renderer measures the name against it. */
export interface NameBox {
  maxWidth: number;
  maxFontSize: number;
  /** Below this the name is cut and ends in "…" instead of shrinking further. */
  minFontSize: number;
  fontWeight: 400 | 700;
  /** Drawn before the username. Default "@". */
  prefix?: string;
}

/** Data values of a design, as its `fields` schema parses them. */
export type CardData = Record<string, FieldValue | undefined>;

export interface CardProps<D = CardData> {
  /** The plain username, for designs that need the raw text (e.g. a colour seed). */
  username: string;
  /** The plain display name, or null when none was given. */
  displayName: string | null;
  /** The user's Farcaster ID, when the card carries one. */
  fid: number | null;
  /** The prominent line, fitted to the design's name box: the display name, or "@username" without one. */
  name: FittedName;
  /** "@username", to draw smaller under a display name; null when `name` already is the username. */
  handle: RichText | null;
  avatar: { kind: "image" } | { kind: "initials"; initials: RichText; color: string };
  /** The app's name as the card shows it (`app.card.brand`, default the app's name). */
  brand: RichText;
  /** The line under the name (`app.card.subtitle`, default "made a {name} card"). */
  subtitle: RichText;
  /**
   * The app's colour (APP_COLOR, `app.color`) as `#RRGGBB`, or null when it chose none: then each
   * built-in design keeps its own colours. `accentPalette(accent)` gives shades for light and dark cards.
   */
  accent: string | null;
  /** The design's own data, parsed and typed by its `fields`. */
  data: D;
  /** Every text value in `data` as rich text (emoji as pictures, direction decided), ready for `<Line>`. */
  dataText: Record<string, RichText>;
  /** The size to lay out at: its id, width and height. */
  size: CardSize;
  /** The avatar's box at this size, as the design declared it: draw the frame from it. */
  avatarBox: AvatarBox;
}

/**
 * The square a design draws the avatar in, in px at 1×: its outer side and the width of its border
 * (boxes are laid out border-box). The picture inside is `side - 2 * border` square, the size
 * avatars are normalised to, so the renderer never scales them.
 */
export interface AvatarBox {
  side: number;
  /** Default 0. */
  border?: number;
}

/** Identity parameters a design can insist on, beyond the username every card has. */
export type IdentityRequirement = "fid";

/** A card's sample data for the gallery and the golden tests: query values (fields, or fid), as a URL carries them. */
export interface CardSample {
  id: string;
  label: string;
  query: Record<string, string>;
}

/** One card design: one file, made with `defineCard`, declaring its data and laying itself out. */
export interface Design<F extends z.ZodObject = z.ZodObject> {
  /** The `template` parameter's value: lower-case letters, digits and '-'. */
  id: string;
  label: string;
  /**
   * Bump it when the design draws differently (1–16 letters, digits, '.', '_' or '-'): it is part
   * of every card's ETag and cache key, so no cache answers with the old picture. URLs stay the same.
   */
  version?: string;
  /** The design's data, parsed from the card URL's query: see `field` for bounded, typed values. */
  fields: F;
  /** Identity values the design cannot do without (e.g. `member` draws the fid). */
  requires?: readonly IdentityRequirement[];
  name: NameBox;
  /** The avatar's box: stated once here, handed to `render` as `props.avatarBox`. */
  avatar: AvatarBox;
  /** What changes at the 1200×630 Open Graph size: the name box and the avatar's box. */
  og?: { name?: Partial<NameBox>; avatar?: Partial<AvatarBox> };
  /** Sample data for the gallery and tests, at the extremes of what the fields allow. */
  samples?: readonly CardSample[];
  render(props: CardProps<z.output<F>>): ReactElement;
}

/** What a design lays out at a size: its name box, its avatar's box, and the picture's side inside it. */
export interface Layout {
  name: NameBox;
  avatarBox: Required<AvatarBox>;
  /** The picture's side inside the border: what avatars are normalised to. */
  avatarSize: number;
}

/** The name box and avatar box a design uses at a size. */
export function layoutAt(design: Design, size: CardSizeId): Layout {
  const og = size === "og" ? design.og : undefined;
  const box = { border: 0, ...design.avatar, ...og?.avatar };
  return { name: { ...design.name, ...og?.name }, avatarBox: box, avatarSize: box.side - 2 * box.border };
}

export function cardSize(id: CardSizeId): CardSize {
  return { id, ...CARD_SIZES[id] };
}
