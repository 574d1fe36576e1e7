// A finished card as an HTTP answer: its headers built once, written out either as a Web Response
// or as the header lines node's writeHead takes (the image service's cache-hit path).
import { ifNoneMatchHits, type CachedCard } from "./cache/index";

export const CACHE_IMMUTABLE = "public, immutable, no-transform, max-age=31536000";
export const CACHE_FALLBACK = "public, max-age=60";

/** Where an answered card came from. */
export type CardSource = "hit" | "miss" | "shared";

/** What a card response came from, for a front's request log. */
export interface OgResponseInfo {
  cache: CardSource;
  avatar: string;
  fallbackReason: string | null;
}

/** A card answer as a front writes it: status, header lines and body, prepared once per card. */
export interface CardHit {
  status: 200 | 304;
  /** The PNG for a 200 (a view of the cached bytes, never a copy); null for a 304. */
  body: Uint8Array | null;
  /** Header names and values, alternating, as node's writeHead takes them. */
  headers: readonly string[];
  info: OgResponseInfo;
}

interface Prepared {
  /** Headers of a 200 and of a 304, as objects (a Web Response) and as lines (node). */
  ok: Record<string, string>;
  notModified: Record<string, string>;
  okLines: string[];
  notModifiedLines: string[];
  body: Uint8Array<ArrayBuffer>;
  info: OgResponseInfo;
}

function prepare(card: CachedCard, source: CardSource): Prepared {
  const notModified: Record<string, string> = {
    "cache-control": card.cacheControl,
    etag: card.etag,
    "server-timing": source === "hit" ? "cache;desc=hit" : card.timing,
    "x-castcard-avatar": card.avatar,
    "x-castcard-cache": source,
  };
  const ok = { ...notModified, "content-type": "image/png", "content-length": String(card.png.byteLength) };
  return {
    ok,
    notModified,
    okLines: Object.entries(ok).flat(),
    notModifiedLines: Object.entries(notModified).flat(),
    body: new Uint8Array(card.png.buffer as ArrayBuffer, card.png.byteOffset, card.png.byteLength),
    info: { cache: source, avatar: card.avatar, fallbackReason: card.fallbackReason ?? null },
  };
}

// A hit's answer is built on the card's first hit and kept as long as the card is.
const hits = new WeakMap<CachedCard, Prepared>();
function prepared(card: CachedCard, source: CardSource): Prepared {
  if (source !== "hit") return prepare(card, source);
  let hit = hits.get(card);
  if (!hit) hits.set(card, (hit = prepare(card, "hit")));
  return hit;
}

/** The node form: 200 with the PNG, or 304 when `If-None-Match` already holds these bytes. */
export function cardAnswer(card: CachedCard, source: CardSource, ifNoneMatch: string | null): CardHit {
  const p = prepared(card, source);
  if (ifNoneMatch !== null && ifNoneMatchHits(ifNoneMatch, card.etag)) return { status: 304, body: null, headers: p.notModifiedLines, info: p.info };
  return { status: 200, body: p.body, headers: p.okLines, info: p.info };
}

// Kept beside the response rather than in a header, so no front can leak a fallback reason.
const responseInfo = new WeakMap<Response, OgResponseInfo>();

/** Cache outcome and fallback reason of a response from an OgHandler; undefined for non-card answers. */
export function describeOgResponse(response: Response): OgResponseInfo | undefined {
  return responseInfo.get(response);
}

/** The Web form of `cardAnswer`; a HEAD gets the headers alone. */
export function cardResponse(request: Request, card: CachedCard, source: CardSource): { response: Response; notModified: boolean } {
  const p = prepared(card, source);
  const notModified = ifNoneMatchHits(request.headers.get("if-none-match"), card.etag);
  const response = notModified
    ? new Response(null, { status: 304, headers: p.notModified })
    : new Response(request.method === "HEAD" ? null : p.body, { status: 200, headers: p.ok });
  responseInfo.set(response, p.info);
  return { response, notModified };
}
