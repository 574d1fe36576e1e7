// url/: the card URL, in one place. A card ⇄ its canonical query (the render cache key, the source
// of the ETag and the signed message, so equal cards share all three), signing and verifying it,
// and minting image and share URLs. Pure: no I/O, no rendering.
import { createHash } from "node:crypto";
import { designRegistry, formatFieldValue, type CardSizeId, type DesignRegistry, type FieldValue } from "../design/index";
import { graphemes, sanitizeName } from "../design/name";
import { IDENTITY_PARAMS, SETTING_PARAMS, SIGNATURE_PARAM } from "../design/reserved";
import { canonicalQuery, parseImage, problemText, readCard, type Card, type CardProblem, type CardUser } from "./codec";
import { createSigner, type Signer } from "./signer";

export { IDENTITY_PARAMS, RESERVED_PARAMS, SETTING_PARAMS, SIGNATURE_PARAM } from "../design/reserved";
export { DEFAULT_USERNAME, DEFAULT_VERSION, MAX_IMAGE_URL_LENGTH, canonicalQuery, problemText, type Card, type CardProblem, type CardUser } from "./codec";
export { createSigner, type Signer } from "./signer";

/** An embed's image URL may be at most this long; minted URLs are kept within it. */
export const MAX_CARD_URL_LENGTH = 1024;

export type ParsedCard =
  | { ok: true; card: Card; canonical: string; /** An image was given but is unusable: the card falls back to initials. */ invalidImage: boolean }
  | { ok: false; status: 400 | 403; problem: CardProblem; /** The problem as a one-line answer. */ message: string };

export interface MintInput {
  /** Design id; the default design when absent. */
  design?: string | null;
  /** Who the card is for; any field may be left out. */
  user: Partial<CardUser>;
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

/** A card that cannot be minted; `field` names the parameter at fault and `rule` what it broke. */
export class MintError extends Error {
  override name = "MintError";
  readonly rule: string;
  constructor(
    readonly field: string,
    rule: string,
  ) {
    super(`${field}: ${rule}`);
    this.rule = rule;
  }
}

export interface CardUrlOptions {
  /** Designs by id; defaults to the built-ins. */
  designs?: DesignRegistry;
  /** SHARE_SECRET keys: with any, every card URL carries and needs a valid `sig`. */
  secrets?: readonly string[];
  /** Origin of the share pages (APP_URL). Needed to mint. */
  appUrl?: string;
  /** Origin that serves /api/og; defaults to appUrl. */
  ogUrl?: string;
}

export interface CardUrls {
  readonly designs: DesignRegistry;
  readonly signer: Signer;
  /** Reads a card from a query; with signing on, also demands the strict form and a valid `sig`. */
  parse(search: URLSearchParams): ParsedCard;
  /** The one canonical query of a card (fixed order, defaults left out, percent-encoded). */
  canonical(card: Card): string;
  /** The canonical query plus its signature when signing is on: what minted URLs carry. */
  query(card: Card): string;
  /** A strong ETag for a card's bytes, from its canonical form and what else drew it. */
  etag(canonical: string, variant: string): string;
  /**
   * The card for a user, validated and (with `appUrl`) fitted to the embed's URL limit. Throws
   * MintError naming the field at fault.
   */
  cardFor(input: MintInput): Card;
  /** Image and share URLs for a user's card: `urlsFor(cardFor(input))`. Throws MintError. */
  mint(input: MintInput): ShareUrls;
  /** URLs for a card (the share page for a card URL). */
  urlsFor(card: Card): ShareUrls;
  /** The signed image URL of the same card at another size (the share page's Open Graph image). */
  imageUrlAt(card: Card, size: CardSizeId): string;
  /**
   * A card read back from a canonical query this instance stored (not a request, so there is no
   * signature to check); null when it no longer reads (its design removed) or is too long.
   */
  stored(canonical: string): Card | null;
}

const clip = (s: string) => (s.length > 32 ? `${s.slice(0, 32)}…` : s);

export function createCardUrls(options: CardUrlOptions = {}): CardUrls {
  const designs = options.designs ?? designRegistry();
  const signer = createSigner(options.secrets ?? []);

  const refuse = (problem: CardProblem): ParsedCard => ({ ok: false, status: problem.status, problem, message: problemText(problem) });

  const query = (card: Card): string => {
    const base = canonicalQuery(card);
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
    if (problem) return refuse({ status: 400, field: null, rule: `Bad request: ${problem}` });
    const read = readCard(designs, (name) => search.get(name));
    if (!read.ok) return refuse(read.problem);
    const canonical = canonicalQuery(read.card);
    // A minted URL never holds an unusable image, so one here was not minted.
    if (signer.enabled && (read.invalidImage || !signer.verify(canonical, search.get(SIGNATURE_PARAM)))) {
      return refuse({ status: 403, field: null, rule: "Forbidden: invalid signature" });
    }
    return { ok: true, card: read.card, canonical, invalidImage: read.invalidImage };
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

  const cardFor = (input: MintInput): Card => {
    const { user } = input;
    // The typed input, as the query values a URL would carry: the same rules then apply to both.
    const values: Record<string, string> = {};
    if (input.design) values.template = input.design;
    if (input.v) values.v = input.v;
    if (input.size) values.size = input.size;
    if (user.fid !== undefined && user.fid !== null) values.fid = String(user.fid);
    values.username = user.username || (user.fid ? `fid${user.fid}` : "");
    if (user.displayName) values.displayName = user.displayName;
    if (user.pfpUrl && !parseImage(user.pfpUrl).invalid) values.image = user.pfpUrl;
    for (const [name, value] of Object.entries(input.data ?? {})) {
      if (value === null || value === undefined) continue;
      if (typeof value === "number" && !Number.isFinite(value)) throw new MintError(name, "expected a finite number");
      values[name] = value instanceof Date || typeof value === "number" ? formatFieldValue(value) : String(value);
    }
    const read = readCard(designs, (name) => (Object.hasOwn(values, name) ? values[name]! : null));
    if (!read.ok) throw new MintError(read.problem.field ?? "card", read.problem.rule);
    const { design } = read.card;
    const unknown = Object.keys(input.data ?? {}).find((name) => !(name in design.fields.shape));
    if (unknown) throw new MintError(unknown, `not a field of the ${design.id} design`);

    // Long display names are shortened to fit the embed's URL limit; anything else is refused.
    // Without an origin no URL is made, so there is no limit to fit.
    let card = read.card;
    if (!options.appUrl) return card;
    const tooLong = (c: Card) => {
      const u = urlsFor(c);
      return Math.max(u.imageUrl.length, u.shareUrl.length) > MAX_CARD_URL_LENGTH;
    };
    if (tooLong(card) && card.user.displayName) {
      const kept = graphemes(card.user.displayName);
      while (kept.length && tooLong(card)) {
        kept.pop();
        const shortened = kept.length ? sanitizeName(`${kept.join("").trimEnd()}…`) : null;
        card = { ...card, user: { ...card.user, displayName: shortened } };
      }
    }
    if (tooLong(card)) {
      // Blame the longest parameter the caller chose.
      const entries = [...new URLSearchParams(canonicalQuery(card))].filter(([name]) => !SETTING_PARAMS.includes(name as never));
      const [worst] = entries.sort((a, b) => encodeURIComponent(b[1]).length - encodeURIComponent(a[1]).length)[0] ?? ["card"];
      throw new MintError(worst, `too long for a card URL (at most ${MAX_CARD_URL_LENGTH} characters in all)`);
    }
    return card;
  };

  const stored = (canonical: string): Card | null => {
    if (canonical.length > MAX_CARD_URL_LENGTH) return null;
    const search = new URLSearchParams(canonical);
    const read = readCard(designs, (name) => search.get(name));
    return read.ok ? read.card : null;
  };

  const etag = (canonical: string, variant: string) =>
    `"${createHash("sha256").update(`${canonical}\n${variant}`).digest("base64url").slice(0, 27)}"`;

  return { designs, signer, parse, canonical: canonicalQuery, query, etag, cardFor, mint: (input) => urlsFor(cardFor(input)), urlsFor, imageUrlAt, stored };
}
