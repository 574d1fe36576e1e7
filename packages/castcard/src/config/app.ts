// Who the app is: its name and every text, colour, picture and sample that follows from it. Set in
// code (`app` of the fronts' options, or castcard.config.mjs) and, for the common settings, in the
// environment, which wins. Every default follows from the name. Long on purpose: each text's
// default and the manifest's limit for it stand side by side.
import { ConfigError } from "./error";

/** The categories a Mini App manifest accepts for `primaryCategory`. */
export const APP_CATEGORIES = [
  "games",
  "social",
  "finance",
  "utility",
  "productivity",
  "health-fitness",
  "news-media",
  "music",
  "shopping",
  "education",
  "developer-tools",
  "entertainment",
  "art-creativity",
] as const;
export type AppCategory = (typeof APP_CATEGORIES)[number];

/** What an app says about itself. Everything is optional: what is left out follows from `name`. */
export interface AppInput {
  /** The app's name: the manifest, the embed's launch button, the share page, the card's brand. ≤ 32 characters. */
  name?: string;
  /** The embed's and the manifest's button. ≤ 32 characters. Default "Make your {name} card". */
  buttonTitle?: string;
  /** The manifest's subtitle. ≤ 30 characters. */
  subtitle?: string;
  /** What the app does: the manifest, share pages and link previews. ≤ 170 characters. */
  description?: string;
  /** A short line for app stores. ≤ 30 characters. */
  tagline?: string;
  /** The manifest's Open Graph title. ≤ 30 characters. Default: the name. */
  ogTitle?: string;
  /** The manifest's Open Graph description. ≤ 100 characters. */
  ogDescription?: string;
  /** Up to 5 search tags, each ≤ 20 characters without spaces. */
  tags?: readonly string[];
  /** The manifest's `primaryCategory`. Default "social". */
  category?: AppCategory;
  /**
   * The app's colour, `#RRGGBB` or `#RGB`: the splash screen's background, the share page, the
   * icon and the built-in designs' accent. Without one, each built-in design keeps its own colours.
   */
  color?: string;
  /** An icon of your own (1024×1024 PNG, no alpha). Default: Castcard draws one from the name and colour at /icon.png. */
  iconUrl?: string;
  /** A splash image of your own (200×200 PNG). Default: Castcard draws one at /splash.png. */
  splashImageUrl?: string;
  /** Who the sample cards (home page, manifest hero and Open Graph image) are of. Default: the name, lower-cased. */
  sampleUser?: { username: string; displayName?: string | null };
  /** What the cards say: `brand` (default: the name) and `subtitle` (default "made a {name} card"). */
  card?: { brand?: string; subtitle?: string };
  /** The text the Mini App puts in the cast it composes. Default "I made my {name} card ✨ Make yours:". */
  castText?: string;
  /**
   * What a reach notification says; `{count}`, `{people}` ("person"/"people") and `{name}` are
   * filled in, then cut on whole characters to the client's limits (title 32, body 128).
   */
  notification?: { title?: string; body?: string };
}

/** The reach notification's default texts (see `AppInput.notification`). */
export const DEFAULT_NOTIFICATION_TEXTS = { title: "Your card brought {count} {people}", body: "{count} {people} opened {name} from your cast." } as const;

/** The app, every value decided: what every route, page, card and the image service say and draw. */
export interface AppDefinition {
  name: string;
  buttonTitle: string;
  subtitle: string;
  description: string;
  tagline: string;
  ogTitle: string;
  ogDescription: string;
  tags: string[];
  category: AppCategory;
  /** `#RRGGBB`: splash background, share page, icon. */
  color: string;
  /** The colour the app chose, handed to designs as `props.accent`; null when it chose none. */
  accent: string | null;
  /** The app's own icon; null: Castcard serves one at /icon.png. */
  iconUrl: string | null;
  /** The app's own splash image; null: Castcard serves one at /splash.png. */
  splashImageUrl: string | null;
  sampleUser: { username: string; displayName: string | null };
  card: { brand: string; subtitle: string };
  castText: string;
  notification: { title: string; body: string };
}

/** The environment's app settings, already trimmed; unset ones are absent. */
export interface AppEnv {
  APP_NAME?: string;
  APP_BUTTON_TITLE?: string;
  APP_DESCRIPTION?: string;
  APP_TAGLINE?: string;
  APP_COLOR?: string;
  APP_ICON_URL?: string;
  APP_SPLASH_URL?: string;
}

export const DEFAULT_APP_NAME = "Castcard";
/** The splash background when the app chose no colour: the seed design's deepest purple. */
export const DEFAULT_APP_COLOR = "#2D1B69";

// The manifest's limits (Mini App spec), in UTF-16 units as its schema counts them.
const LIMITS = { name: 32, buttonTitle: 32, subtitle: 30, description: 170, tagline: 30, ogTitle: 30, ogDescription: 100, tag: 20, tags: 5 } as const;
const CARD_TEXT_MAX = 64;
const CAST_TEXT_MAX = 200;

// What the manifest's schema refuses in its plain text fields (subtitle, description, tagline,
// ogTitle, ogDescription, tags), and emoji anywhere in the app's texts.
const EMOJI = /\p{Extended_Pictographic}|[\u{1F300}-\u{1F9FF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}]/u;
const SPECIAL = /[@#$%^&*+=/\\|~«»]/;
const REPEATED = /!{2,}|\?{2,}|-{2,}/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

const graphemes = (text: string) => Array.from(new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(text), (s) => s.segment);

/** Cut to at most `max` UTF-16 units at a grapheme boundary, ending in "…" when cut. */
export function clipText(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = "";
  for (const g of graphemes(text)) {
    if (out.length + g.length > max - 1) break;
    out += g;
  }
  return `${out.trimEnd()}…`;
}

/** A text the manifest's plain fields accept, made from one that may hold what they refuse. */
function plainText(text: string): string {
  return text
    .replace(/&/g, " and ")
    .replace(new RegExp(SPECIAL.source, "g"), " ")
    .replace(new RegExp(EMOJI.source, "gu"), "")
    .replace(/!{2,}/g, "!")
    .replace(/\?{2,}/g, "?")
    .replace(/-{2,}/g, "-")
    .replace(/\s+/g, " ")
    .trim();
}

function hexColor(value: string, label: string): string {
  const match = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(value.trim());
  if (!match) throw new ConfigError(`${label} must be a hex colour like #0B6E4F, got "${clip(value)}"`);
  const hex = match[1]!.length === 3 ? [...match[1]!].map((c) => c + c).join("") : match[1]!;
  return `#${hex.toUpperCase()}`;
}

function absoluteUrl(value: string, label: string): string {
  try {
    const url = new URL(value.trim());
    if (url.protocol === "https:" || url.protocol === "http:") return url.href;
  } catch {
    // reported below
  }
  throw new ConfigError(`${label} must be an absolute http(s) URL, got "${clip(value)}"`);
}

const clip = (s: string) => (s.length > 40 ? `${s.slice(0, 40)}…` : s);

/**
 * Checks a value the app gave: trimmed, not empty, within `max`, and (for the manifest's plain
 * fields) free of what its schema refuses. Throws ConfigError naming the setting.
 */
function given(value: string, label: string, max: number, plain: boolean): string {
  const text = value.trim();
  if (!text) throw new ConfigError(`${label} is empty`);
  if (text.length > max) throw new ConfigError(`${label} is ${text.length} characters; the Mini App manifest allows at most ${max}: "${clip(text)}"`);
  if (CONTROL.test(text)) throw new ConfigError(`${label} holds a control or direction character`);
  if (EMOJI.test(text)) throw new ConfigError(`${label} holds an emoji or symbol, which the Mini App manifest refuses: "${clip(text)}"`);
  if (plain && SPECIAL.test(text)) throw new ConfigError(`${label} holds one of @ # $ % ^ & * + = / \\ | ~ « », which the Mini App manifest refuses: "${clip(text)}"`);
  if (plain && REPEATED.test(text)) throw new ConfigError(`${label} repeats punctuation (!!, ?? or --), which the Mini App manifest refuses`);
  return text;
}

/** A card text (brand, subtitle) or the cast text: drawn or posted, never in the manifest, so emoji are fine. */
function drawn(value: string, label: string, max: number): string {
  const text = value.trim();
  if (!text) throw new ConfigError(`${label} is empty`);
  if (text.length > max) throw new ConfigError(`${label} is ${text.length} characters; at most ${max}`);
  if (CONTROL.test(text)) throw new ConfigError(`${label} holds a control or direction character`);
  return text;
}

/**
 * Every value of the app decided: the environment's (which wins), else the code's, else the
 * default that follows from the name. Throws ConfigError, one line naming the setting, for a value
 * the Mini App manifest would refuse.
 */
export function resolveApp(input: AppInput = {}, env: AppEnv = {}): AppDefinition {
  // The label names where a value came from, so the error says what to change.
  const pick = <K extends keyof AppInput>(key: K, envKey?: keyof AppEnv): { value: string; label: string } | null => {
    if (envKey && env[envKey] !== undefined) return { value: env[envKey]!, label: envKey };
    const value = input[key];
    return typeof value === "string" ? { value, label: `app.${key}` } : null;
  };
  const text = (key: "name" | "buttonTitle" | "subtitle" | "description" | "tagline" | "ogTitle" | "ogDescription", envKey: keyof AppEnv | undefined, plain: boolean, fallback: () => string) => {
    const found = pick(key, envKey);
    return found ? given(found.value, found.label, LIMITS[key], plain) : fallback();
  };

  const name = text("name", "APP_NAME", false, () => DEFAULT_APP_NAME);
  // "Castcard" is a card already; "Acme Quest" makes "an Acme Quest card".
  const cardNoun = /card$/i.test(name) ? name : `${name} card`;
  const article = /^[aeiou]/i.test(name) ? "an" : "a";

  const buttonTitle = text("buttonTitle", "APP_BUTTON_TITLE", false, () => {
    const derived = `Make your ${cardNoun}`;
    return derived.length <= LIMITS.buttonTitle ? derived : "Make your card";
  });
  const subtitle = text("subtitle", undefined, true, () => "Your share card");
  const description = text("description", "APP_DESCRIPTION", true, () => "Make a share image with your own profile picture and name, and cast it.");
  const tagline = text("tagline", "APP_TAGLINE", true, () => "Your card, in every feed");
  const ogTitle = text("ogTitle", undefined, true, () => clipText(plainText(name), LIMITS.ogTitle) || "Share card");
  const ogDescription = text("ogDescription", undefined, true, () => "A share card with your own profile picture and name, made for Farcaster.");

  let tags = ["share", "profile", "card"];
  if (input.tags) {
    if (input.tags.length > LIMITS.tags) throw new ConfigError(`app.tags has ${input.tags.length} tags; the Mini App manifest allows at most ${LIMITS.tags}`);
    tags = input.tags.map((tag, i) => {
      const value = given(String(tag), `app.tags[${i}]`, LIMITS.tag, true);
      if (/\s/.test(value)) throw new ConfigError(`app.tags[${i}] holds a space, which the Mini App manifest refuses: "${clip(value)}"`);
      return value;
    });
  }
  const category = input.category ?? "social";
  if (!APP_CATEGORIES.includes(category)) throw new ConfigError(`app.category must be one of ${APP_CATEGORIES.join(", ")}, got "${clip(String(category))}"`);

  const colorGiven = pick("color", "APP_COLOR");
  const accent = colorGiven ? hexColor(colorGiven.value, colorGiven.label) : null;
  const icon = pick("iconUrl", "APP_ICON_URL");
  const splash = pick("splashImageUrl", "APP_SPLASH_URL");

  let sampleUser = { username: name.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, "") || "you", displayName: null as string | null };
  if (input.sampleUser) {
    sampleUser = {
      username: drawn(String(input.sampleUser.username ?? "").trim().replace(/^@+/, ""), "app.sampleUser.username", CARD_TEXT_MAX),
      displayName: input.sampleUser.displayName ? drawn(input.sampleUser.displayName, "app.sampleUser.displayName", CARD_TEXT_MAX) : null,
    };
  }

  return {
    name,
    buttonTitle,
    subtitle,
    description,
    tagline,
    ogTitle,
    ogDescription,
    tags,
    category,
    color: accent ?? DEFAULT_APP_COLOR,
    accent,
    iconUrl: icon ? absoluteUrl(icon.value, icon.label) : null,
    splashImageUrl: splash ? absoluteUrl(splash.value, splash.label) : null,
    sampleUser,
    card: {
      brand: input.card?.brand !== undefined ? drawn(input.card.brand, "app.card.brand", CARD_TEXT_MAX) : name,
      subtitle: input.card?.subtitle !== undefined ? drawn(input.card.subtitle, "app.card.subtitle", CARD_TEXT_MAX) : `made ${article} ${cardNoun}`,
    },
    castText: input.castText !== undefined ? drawn(input.castText, "app.castText", CAST_TEXT_MAX) : `I made my ${cardNoun} ✨ Make yours:`,
    notification: {
      title: template(input.notification?.title, "app.notification.title") ?? DEFAULT_NOTIFICATION_TEXTS.title,
      body: template(input.notification?.body, "app.notification.body") ?? DEFAULT_NOTIFICATION_TEXTS.body,
    },
  };
}

/** A notification text template: a non-empty string of at most 200 characters, or absent. */
function template(value: unknown, label: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || !value.trim() || value.length > 200) throw new ConfigError(`${label} must be a text of 1 to 200 characters`);
  return value.trim();
}
