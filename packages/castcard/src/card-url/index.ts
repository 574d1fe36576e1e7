import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { templateRegistry, type TemplateRegistry } from "../card/index";
import { formatFieldValue, MAX_FIELD_CHARS, type FieldValue } from "../card/fields";
import { CARD_SIZES, type CardData, type CardSizeId, type CardTemplate } from "../card/types";
import { graphemes, sanitizeName } from "../name/index";
import { IDENTITY_PARAMS, SETTING_PARAMS, SIGNATURE_PARAM } from "./reserved";

export { IDENTITY_PARAMS, RESERVED_PARAMS, SETTING_PARAMS, SIGNATURE_PARAM } from "./reserved";

/**
 * The card URL, in one place: parsing and validating a query, its one canonical form, signing and
 * verifying it, and minting image and share URLs. The canonical query is the render cache key,
 * the source of the ETag and the signed message, so equal cards share all three.
 */

export const DEFAULT_USERNAME = "User";
export const DEFAULT_VERSION = "1";
/** Longer picture URLs would push the card URL past the 1024 characters an embed allows. */
export const MAX_IMAGE_URL_LENGTH = 512;
/** An embed's image URL may be at most this long; minted URLs are kept within it. */
export const MAX_CARD_URL_LENGTH = 1024;
const VERSION = /^[A-Za-z0-9._-]{1,16}$/;
const TEMPLATE = /^[a-z0-9-]{1,32}$/;
const FID = /^[1-9]\d{0,14}$/;

/** Who the card is of. Every value is already safe to draw. */
export interface CardIdentity {
  username: string;
  displayName: string | null;
  /** Profile picture URL, or null for the initials avatar. */
  image: string | null;
  fid: number | null;
}

/** Everything that determines a card. */
export interface Card {
  design: CardTemplate;
  /** The `template` parameter as the URL has it; null means the server's default design. */
  template: string | null;
  identity: CardIdentity;
  /** Card version: bump it to change every card's URL (and so bust every cache). */
  v: string;
  /** `embed` (1200×800, the default) or `og` (1200×630). */
  size: CardSizeId;
  /** The design's fields, parsed. */
  data: CardData;
}

export type ParsedCard =
  | { ok: true; card: Card; canonical: string; /** An image was given but is unusable: the card falls back to initials. */ invalidImage: boolean }
  | { ok: false; status: 400 | 403; message: string };

/** The user a card is minted for, as an app's backend knows them. */
export interface MintUser {
  fid?: number | null;
  username?: string | null;
  displayName?: string | null;
  /** Profile picture URL; an unusable one means the initials avatar, not an error. */
  pfpUrl?: string | null;
}

export interface MintInput {
  /** Design id; the default design when absent. */
  design?: string | null;
  user: MintUser;
  /** The design's field values, typed (numbers, strings, dates). */
  data?: Record<string, FieldValue | null | undefined>;
  v?: string;
  /** Image size of the minted image URL; default `embed`. */
  size?: CardSizeId;
}

export interface ShareUrls {
  /** The card PNG: what the cast's feed shows. */
  imageUrl: string;
  /** The page to embed in the cast: its meta points at imageUrl and adds a launch button. */
  shareUrl: string;
}

/** A card that cannot be minted; `field` names the parameter at fault. */
export class MintError extends Error {
  override name = "MintError";
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** HMAC-SHA256 over the canonical query. The first secret signs, all verify, so keys can rotate. */
export interface Signer {
  enabled: boolean;
  sign(message: string): string;
  /** Constant time per secret; every secret is tried, so timing says nothing about which matched. */
  verify(message: string, signature: string | null): boolean;
}

const SIGNATURE_BYTES = 32;

export function createSigner(secrets: readonly string[]): Signer {
  const keys = secrets.filter((secret) => secret.length > 0);
  const mac = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest();
  return {
    enabled: keys.length > 0,
    sign: (message) => {
      if (!keys[0]) throw new Error("no signing secret");
      return mac(keys[0], message).toString("base64url");
    },
    verify: (message, signature) => {
      if (keys.length === 0 || !signature || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
      const given = Buffer.from(signature, "base64url");
      // Re-encoding must give the same text: the unused low bits of the last character may not vary.
      if (given.length !== SIGNATURE_BYTES || given.toString("base64url") !== signature) return false;
      let matched = false;
      for (const key of keys) matched = timingSafeEqual(mac(key, message), given) || matched;
      return matched;
    },
  };
}

export interface CardUrlOptions {
  /** Designs by id; defaults to the built-ins. */
  designs?: TemplateRegistry;
  /** SHARE_SECRET keys: with any, every card URL carries and needs a valid `sig`. */
  secrets?: readonly string[];
  /** Origin of the share pages (APP_URL). Needed to mint. */
  appUrl?: string;
  /** Origin that serves /api/og; defaults to appUrl. */
  ogUrl?: string;
}

export interface CardUrls {
  readonly designs: TemplateRegistry;
  readonly signer: Signer;
  /** Reads a card from a query; with signing on, also demands the strict form and a valid `sig`. */
  parse(search: URLSearchParams): ParsedCard;
  /** The one canonical query of a card (fixed order, defaults included, percent-encoded). */
  canonical(card: Card): string;
  /** The canonical query plus its signature when signing is on: what minted URLs carry. */
  query(card: Card): string;
  /** A strong ETag for a card's bytes, from its canonical form and what its avatar became. */
  etag(canonical: string, variant: string): string;
  /** Image and share URLs for a user's card. Throws MintError naming the field at fault. */
  mint(input: MintInput): ShareUrls;
  /** URLs for an already parsed card (the share page for a card URL). */
  urlsFor(card: Card): ShareUrls;
  /** The signed image URL of the same card at another size (the share page's Open Graph image). */
  imageUrlAt(card: Card, size: CardSizeId): string;
}

const clip = (s: string) => (s.length > 32 ? `${s.slice(0, 32)}…` : s);

function parseImage(raw: string | null): { url: string | null; invalid: boolean } {
  if (raw === null || !raw.trim()) return { url: null, invalid: false };
  const value = raw.trim();
  if (value.length > MAX_IMAGE_URL_LENGTH) return { url: null, invalid: true };
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return { url: url.href, invalid: false };
  } catch {
    // not a URL
  }
  return { url: null, invalid: true };
}

export function createCardUrls(options: CardUrlOptions = {}): CardUrls {
  const designs = options.designs ?? templateRegistry();
  const signer = createSigner(options.secrets ?? []);

  const fail = (status: 400 | 403, message: string): ParsedCard => ({ ok: false, status, message });

  const parseUnsigned = (search: URLSearchParams): ParsedCard => {
    const template = search.get("template");
    if (template !== null && !TEMPLATE.test(template)) return fail(400, "template: expected 1–32 lower-case letters, digits or '-'");
    const design = designs.get(template ?? designs.defaultId);
    if (!design) return fail(400, `template: unknown design "${clip(template!)}"`);

    const v = search.get("v") ?? DEFAULT_VERSION;
    if (!VERSION.test(v)) return fail(400, "v: expected 1–16 letters, digits, '.', '_' or '-'");
    const size = search.get("size") ?? "embed";
    if (!Object.hasOwn(CARD_SIZES, size)) return fail(400, `size: expected ${Object.keys(CARD_SIZES).join(" or ")}`);

    const fidRaw = search.get("fid");
    let fid: number | null = null;
    if (fidRaw !== null && fidRaw !== "") {
      if (!FID.test(fidRaw.trim())) return fail(400, "fid: expected a positive whole number");
      fid = Number(fidRaw.trim());
    }
    if (design.requires?.includes("fid") && fid === null) return fail(400, `fid: required by the ${design.id} design, expected a positive whole number`);

    const username = sanitizeName(search.get("username") ?? "").replace(/^@+/, "") || DEFAULT_USERNAME;
    const displayName = sanitizeName(search.get("displayName") ?? "") || null;
    const image = parseImage(search.get("image"));

    const raw: Record<string, string> = {};
    for (const name of Object.keys(design.fields.shape)) {
      const value = search.get(name);
      if (value === null) continue;
      if (value.length > MAX_FIELD_CHARS) return fail(400, `${name}: too long (at most ${MAX_FIELD_CHARS} characters)`);
      raw[name] = value;
    }
    const parsed = design.fields.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      const name = String(issue.path[0] ?? "data");
      const message = issue.message.startsWith("expected") ? issue.message : `expected ${issue.message}`;
      return fail(400, raw[name] === undefined ? `${name}: required, ${message}` : `${name}: ${message}`);
    }

    const card: Card = {
      design,
      template,
      identity: { username, displayName, image: image.url, fid },
      v,
      size: size as CardSizeId,
      data: parsed.data as CardData,
    };
    return { ok: true, card, canonical: canonical(card), invalidImage: image.invalid };
  };

  const canonical = (card: Card): string => {
    const search = new URLSearchParams();
    const { identity } = card;
    search.set("username", identity.username);
    if (identity.displayName) search.set("displayName", identity.displayName);
    if (identity.image) search.set("image", identity.image);
    if (identity.fid !== null) search.set("fid", String(identity.fid));
    search.set("v", card.v);
    if (card.template) search.set("template", card.template);
    // The default size stays out of the query, so embed URLs read as they always have.
    if (card.size !== "embed") search.set("size", card.size);
    for (const name of Object.keys(card.design.fields.shape)) {
      const value = card.data[name];
      if (value !== undefined) search.set(name, formatFieldValue(value));
    }
    return search.toString();
  };

  const query = (card: Card): string => {
    const base = canonical(card);
    return signer.enabled ? `${base}&${SIGNATURE_PARAM}=${signer.sign(base)}` : base;
  };

  /**
   * With signing on, a query holds each known parameter at most once, `sig` once, and nothing
   * else: what is read is then exactly what was signed. Without signing, unknown names are ignored
   * and the first of a repeat is used, because scrapers append parameters of their own.
   */
  const strictProblem = (search: URLSearchParams): string | null => {
    const design = designs.get(search.get("template") ?? designs.defaultId);
    const allowed = new Set<string>([...IDENTITY_PARAMS, ...SETTING_PARAMS, SIGNATURE_PARAM, ...Object.keys(design?.fields.shape ?? {})]);
    const seen = new Set<string>();
    for (const name of search.keys()) {
      if (!allowed.has(name)) return `unknown parameter "${clip(name)}"`;
      if (seen.has(name)) return `repeated parameter "${clip(name)}"`;
      seen.add(name);
    }
    return null;
  };

  const parse = (search: URLSearchParams): ParsedCard => {
    const problem = signer.enabled ? strictProblem(search) : null;
    if (problem) return fail(400, `Bad request: ${problem}`);
    const parsed = parseUnsigned(search);
    if (!parsed.ok) return parsed;
    // A minted URL never holds an unusable image, so one here was not minted.
    if (signer.enabled && (parsed.invalidImage || !signer.verify(parsed.canonical, search.get(SIGNATURE_PARAM)))) {
      return fail(403, "Forbidden: invalid signature");
    }
    return parsed;
  };

  const origins = () => {
    if (!options.appUrl) throw new TypeError("createCardUrls: appUrl is needed to mint URLs");
    return { app: options.appUrl.replace(/\/+$/, ""), og: (options.ogUrl ?? options.appUrl).replace(/\/+$/, "") };
  };

  const urlsFor = (card: Card): ShareUrls => {
    const { app, og } = origins();
    // The share page is one per card, whatever size its image URL was minted at.
    return { imageUrl: `${og}/api/og?${query(card)}`, shareUrl: `${app}/share?${query({ ...card, size: "embed" })}` };
  };

  const imageUrlAt = (card: Card, size: CardSizeId) => `${origins().og}/api/og?${query({ ...card, size })}`;

  const mint = (input: MintInput): ShareUrls => {
    const search = new URLSearchParams();
    const { user } = input;
    if (input.design) search.set("template", input.design);
    if (input.v) search.set("v", input.v);
    if (input.size) search.set("size", input.size);
    if (user.fid !== undefined && user.fid !== null) search.set("fid", String(user.fid));
    search.set("username", user.username || (user.fid ? `fid${user.fid}` : ""));
    if (user.displayName) search.set("displayName", user.displayName);
    if (user.pfpUrl && !parseImage(user.pfpUrl).invalid) search.set("image", user.pfpUrl);
    for (const [name, value] of Object.entries(input.data ?? {})) {
      if (value === null || value === undefined) continue;
      if (typeof value === "number" && !Number.isFinite(value)) throw new MintError(name, "expected a finite number");
      search.set(name, value instanceof Date || typeof value === "number" ? formatFieldValue(value) : String(value));
    }
    const parsed = parseUnsigned(search);
    if (!parsed.ok) {
      const [field = "card", ...rest] = parsed.message.split(": ");
      throw new MintError(field, rest.join(": ") || parsed.message);
    }
    const design = parsed.card.design;
    const unknown = Object.keys(input.data ?? {}).find((name) => !(name in design.fields.shape));
    if (unknown) throw new MintError(unknown, `not a field of the ${design.id} design`);

    // Long display names are shortened to fit the embed's URL limit; anything else is refused.
    let card = parsed.card;
    let urls = urlsFor(card);
    const tooLong = (u: ShareUrls) => Math.max(u.imageUrl.length, u.shareUrl.length) > MAX_CARD_URL_LENGTH;
    if (tooLong(urls) && card.identity.displayName) {
      const kept = graphemes(card.identity.displayName);
      while (kept.length && tooLong(urls)) {
        kept.pop();
        const shortened = kept.length ? sanitizeName(`${kept.join("").trimEnd()}…`) : null;
        card = { ...card, identity: { ...card.identity, displayName: shortened } };
        urls = urlsFor(card);
      }
    }
    if (tooLong(urls)) {
      // Blame the longest parameter the caller chose.
      const entries = [...new URLSearchParams(canonical(card))].filter(([name]) => !SETTING_PARAMS.includes(name as never));
      const [worst] = entries.sort((a, b) => encodeURIComponent(b[1]).length - encodeURIComponent(a[1]).length)[0] ?? ["card"];
      throw new MintError(worst, `too long for a card URL (at most ${MAX_CARD_URL_LENGTH} characters in all)`);
    }
    return urls;
  };

  const etag = (canonicalQuery: string, variant: string) =>
    `"${createHash("sha256").update(`${canonicalQuery}\n${variant}`).digest("base64url").slice(0, 27)}"`;

  return { designs, signer, parse, canonical, query, etag, mint, urlsFor, imageUrlAt };
}
