import { avatarRequestSize, createAvatarFetcher, type AvatarFetcher, type AvatarPolicy } from "../avatar/index";
import { version as packageVersion } from "../../package.json";
import { cacheAvatars, createRenderCache, ifNoneMatchHits, type AvatarCacheOptions, type CachedCard, type RenderOutcome } from "../cache/index";
import { layoutAt, templateRegistry, type CardTemplate } from "../card/index";
import { createCardUrls, type Card, type CardUrls } from "../card-url/index";
import { loadDefaultFonts, type FontFile } from "../fonts/index";
import { LRUCache } from "lru-cache";
import { createLimiter, type LimiterOptions } from "../limit/index";
import { createCardRenderer } from "../render/index";

export type { CardTemplate } from "../card/index";

/** One line per notable event; the reason for a fallback goes here, never into a response. */
export type OgLogger = (entry: { event: string; [key: string]: unknown }) => void;

export interface OgHandlerOptions {
  /** Fonts to register; defaults to Inter regular and bold. */
  fonts?: FontFile[];
  /** Your own card design, used when a URL names no template. Defaults to the built-in "seed". */
  template?: CardTemplate;
  /** More designs, chosen with `template=<id>`; the built-ins (seed, split, poster) are always there. */
  templates?: CardTemplate[];
  /** Who may be fetched as an avatar, or a fetcher of your own. Defaults to public https only. */
  avatar?: AvatarPolicy | AvatarFetcher;
  brand?: string;
  subtitle?: string;
  log?: OgLogger;
  /** In-memory caches. Sizes are bytes; 0 turns a cache off. */
  cache?: OgCacheOptions;
  /** SHARE_SECRET keys: when any is set, every request needs a valid `sig`. The first signs, all verify. */
  secrets?: readonly string[];
  /**
   * The card URL module to parse and verify with (its designs and signer). `createCastcard` passes
   * the one it mints with; without it, one is built from `templates`, `template` and `secrets`.
   */
  urls?: CardUrls;
  /** Part of every ETag: change it when a deploy changes how equal URLs draw. Default: the package version. */
  renderVersion?: string;
  /** Load shedding: how many renders and avatar fetches run at once, and how many may wait. */
  limits?: { renders?: LimiterOptions; avatarFetches?: LimiterOptions };
}

/** Past these, a request that is not a cache hit is answered 503 with Retry-After. */
export const DEFAULT_LIMITS = {
  // A render hands off between the JS thread and libuv's 4 threads several times; 4 in flight keep
  // 2 cores busy where 2 left them idle in between (bench: ~140 vs ~110 cache misses/s).
  renders: { concurrency: 4, queue: 16 },
  avatarFetches: { concurrency: 8, queue: 16 },
} as const satisfies Record<string, LimiterOptions>;

export interface OgCacheOptions {
  /** Finished PNGs by canonical query. Default 64 MB (RENDER_CACHE_MB). */
  renderBytes?: number;
  /**
   * How long a fallback card (avatar failed) stays in memory. Default 30 s, the avatar failure TTL:
   * until then the avatar would fail again anyway, and after it the next request retries the avatar.
   */
  fallbackTtlMs?: number;
  avatar?: AvatarCacheOptions;
  /** Clock for both caches' TTLs; tests pass their own. */
  now?: () => number;
}

export const DEFAULT_RENDER_CACHE_BYTES = 64 * 1024 * 1024;

export type OgHandler = ((request: Request) => Promise<Response>) & {
  /** Resolves when fonts and renderer are ready, so the first request pays nothing extra. */
  ready: Promise<void>;
  /**
   * For a front that answers cache hits itself (the image service): the cached card for a query
   * string (what follows "?") this handler has already answered, checked and parsed; undefined
   * for anything else, which then goes through the handler as usual. Counts as a hit.
   */
  cachedHit: (rawQuery: string, ifNoneMatch: string | null) => CardHit | undefined;
  /** Figures for health checks (cache and queue sizes, counters). */
  stats: () => Record<string, unknown>;
  /** The card URL module this handler parses and verifies with. */
  urls: CardUrls;
};

/** Part of every ETag by default, so a new release never answers 304 for a card it draws differently. */
export const RENDER_VERSION = packageVersion;

/** A cache hit as a front writes it: status and header lines prepared once per card. */
export interface CardHit {
  status: 200 | 304;
  /** The PNG for a 200 (a view of the cached bytes, never a copy); null for a 304. */
  body: Uint8Array | null;
  /** Header names and values, alternating, as node's writeHead takes them. */
  headers: readonly string[];
  info: OgResponseInfo;
}

/** How many raw query strings are remembered against the card key they parsed to, and in how many characters at most. */
const QUERY_ALIASES = 10_000;
const QUERY_ALIAS_CHARS = 4 * 1024 * 1024;
/** Longer queries are parsed every time rather than remembered. */
const MAX_ALIASED_QUERY = 2048;

export const CACHE_IMMUTABLE = "public, immutable, no-transform, max-age=31536000";
export const CACHE_FALLBACK = "public, max-age=60";

/** GET /api/og: parameters → avatar → card → PNG `Response`. */
export function createOgHandler(options: OgHandlerOptions = {}): OgHandler {
  const renderer = createCardRenderer(options.fonts ?? loadDefaultFonts());
  const fetchAvatar = cacheAvatars(
    typeof options.avatar === "function" ? options.avatar : createAvatarFetcher(options.avatar ?? { allowPrivate: false, hosts: null }),
    { ...options.cache?.avatar, now: options.cache?.now ?? options.cache?.avatar?.now },
  );
  const renders = createRenderCache({ maxBytes: options.cache?.renderBytes ?? DEFAULT_RENDER_CACHE_BYTES, now: options.cache?.now });
  const fallbackTtlMs = options.cache?.fallbackTtlMs ?? 30_000;
  const urls =
    options.urls ??
    createCardUrls({
      designs: templateRegistry([...(options.templates ?? []), ...(options.template ? [options.template] : [])], options.template?.id),
      secrets: options.secrets ?? [],
    });
  const renderVersion = options.renderVersion ?? RENDER_VERSION;
  const brand = options.brand ?? "Castcard";
  const subtitle = options.subtitle ?? "made a Castcard";
  const log = options.log ?? (() => {});
  const renderSlots = createLimiter(options.limits?.renders ?? DEFAULT_LIMITS.renders);
  const fetchSlots = createLimiter(options.limits?.avatarFetches ?? DEFAULT_LIMITS.avatarFetches);
  const busy = (stage: string): RenderOutcome => {
    log({ event: "shed", stage });
    return { ok: false, status: 503, message: "Busy, try again shortly", headers: { "retry-after": "2" } };
  };

  // A query string already answered maps straight to its card key: a hit then skips the
  // parsing, the signature check (same bytes, same verdict) and the canonical query.
  const aliases = new LRUCache<string, string>({
    max: QUERY_ALIASES,
    maxSize: QUERY_ALIAS_CHARS,
    sizeCalculation: (key, query) => query.length + key.length,
  });
  const rawQueryOf = (url: string) => {
    const at = url.indexOf("?");
    return at < 0 ? "" : url.slice(at + 1);
  };

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text(405, "Method not allowed", { allow: "GET, HEAD" });
    }
    const rawQuery = rawQueryOf(request.url);
    const knownKey = aliases.get(rawQuery);
    const known = knownKey === undefined ? undefined : renders.get(knownKey);
    if (known) return cardResponse(request, known, "hit", renders.countNotModified);
    // The signature and every value are checked here, before the cache, any fetch or any render.
    const parsed = urls.parse(new URL(request.url).searchParams);
    if (!parsed.ok) return text(parsed.status, parsed.message);

    // An invalid image URL drops out of the canonical query but still makes a fallback card.
    const key = parsed.invalidImage ? `${parsed.canonical}&invalid-image` : parsed.canonical;
    if (rawQuery.length <= MAX_ALIASED_QUERY) aliases.set(rawQuery, key);
    const cached = renders.get(key);
    if (cached) return cardResponse(request, cached, "hit", renders.countNotModified);
    const { outcome, shared } = await renders.load(key, () => renderCard(parsed.card, key, parsed.invalidImage));
    if (!outcome.ok) return text(outcome.status, outcome.message, outcome.headers);
    return cardResponse(request, outcome.card, shared ? "shared" : "miss", renders.countNotModified);
  };

  const renderCard = async (card: Card, key: string, invalidImage: boolean): Promise<RenderOutcome> => {
    const started = performance.now();
    const { identity, design, size } = card;
    let avatar: { png: Buffer } | null = null;
    let fallbackReason: string | null = invalidImage ? "invalid-url" : null;
    if (identity.image) {
      // Normalised to exactly the box the design draws it in at this size.
      const side = avatarRequestSize(layoutAt(design, size).avatarSize);
      const slot = await fetchSlots.run(() => fetchAvatar(identity.image!, side));
      if (slot.shed) return busy("avatar-fetch");
      const result = slot.value;
      if (result.ok) avatar = { png: result.png };
      else fallbackReason = result.reason;
    }
    const fetched = performance.now();

    let png: Buffer;
    try {
      const input = { ...identity, data: card.data, size: card.size, hasAvatar: avatar !== null, brand, subtitle };
      const slot = await renderSlots.run(() => renderer.renderCard(design, input, avatar?.png ?? null));
      if (slot.shed) return busy("render");
      png = slot.value;
    } catch (error) {
      log({ event: "render-failed", error: error instanceof Error ? error.message : String(error) });
      return { ok: false, status: 500, message: "Could not render the image" };
    }
    const rendered = performance.now();
    if (fallbackReason) log({ event: "avatar-fallback", reason: fallbackReason });

    const avatarKind = fallbackReason ? "fallback" : identity.image ? "image" : "initials";
    const cached: CachedCard = {
      png,
      // From the canonical query (the cache key), what the avatar became, and the renderer's version.
      etag: urls.etag(key, `${renderVersion}:${avatarKind}`),
      // A fallback card may become the real one on a later scrape: keep it short-lived.
      cacheControl: fallbackReason ? CACHE_FALLBACK : CACHE_IMMUTABLE,
      avatar: avatarKind,
      ...(fallbackReason ? { fallbackReason } : {}),
      timing: `avatar;dur=${(fetched - started).toFixed(1)}, render;dur=${(rendered - fetched).toFixed(1)}`,
    };
    return { ok: true, card: cached, ttlMs: fallbackReason ? fallbackTtlMs : undefined };
  };
  const stats = () => ({
    renderCache: renders.stats(),
    avatarCache: fetchAvatar.stats(),
    fonts: renderer.stats(),
    limits: { renders: renderSlots.stats(), avatarFetches: fetchSlots.stats() },
  });
  // One throwaway request at start, past the cache: the first real request then pays none of the
  // one-time costs (lazy loading of Response and crypto, glyph caches, JIT). Font errors still reject.
  const ready = renderer.ready.then(async () => {
    try {
      const design = urls.designs.get(urls.designs.defaultId)!;
      const card: Card = { design, template: null, identity: { username: brand, displayName: null, image: null, fid: null }, v: "1", size: "embed", data: {} };
      const outcome = await renderCard(card, urls.canonical(card), false);
      if (outcome.ok) await cardResponse(new Request("http://castcard.invalid/api/og"), outcome.card, "miss", () => {}).arrayBuffer();
    } catch {
      // a failed warm-up only costs the first request its speed
    }
  });
  const cachedHit = (rawQuery: string, ifNoneMatch: string | null): CardHit | undefined => {
    const key = aliases.get(rawQuery);
    const card = key === undefined ? undefined : renders.get(key);
    if (!card) return undefined;
    const prepared = preparedHit(card);
    if (ifNoneMatch !== null && ifNoneMatchHits(ifNoneMatch, card.etag)) {
      renders.countNotModified();
      return { status: 304, body: null, headers: prepared.notModified, info: prepared.info };
    }
    return { status: 200, body: prepared.body, headers: prepared.ok, info: prepared.info };
  };
  return Object.assign(handler, { ready, stats, cachedHit, urls });
}

/** What a card response came from, for a front's request log. */
export interface OgResponseInfo {
  cache: "hit" | "miss" | "shared";
  avatar: string;
  fallbackReason: string | null;
}

// Kept beside the response rather than in a header, so no front can leak a fallback reason.
const responseInfo = new WeakMap<Response, OgResponseInfo>();

/** Cache outcome and fallback reason of a response from an OgHandler; undefined for non-card answers. */
export function describeOgResponse(response: Response): OgResponseInfo | undefined {
  return responseInfo.get(response);
}

interface PreparedHit {
  /** Header lines of a 200 hit and of a 304, name and value alternating. */
  ok: string[];
  notModified: string[];
  /** The same as objects, for a web Response. */
  okObject: Record<string, string>;
  notModifiedObject: Record<string, string>;
  body: Uint8Array<ArrayBuffer>;
  info: OgResponseInfo;
}

// Built on a card's first hit and kept as long as the card is: later hits only look it up.
const preparedHits = new WeakMap<CachedCard, PreparedHit>();

function preparedHit(card: CachedCard): PreparedHit {
  let prepared = preparedHits.get(card);
  if (!prepared) {
    const notModifiedObject: Record<string, string> = {
      "cache-control": card.cacheControl,
      etag: card.etag,
      "server-timing": "cache;desc=hit",
      "x-castcard-avatar": card.avatar,
      "x-castcard-cache": "hit",
    };
    const okObject = { ...notModifiedObject, "content-type": "image/png", "content-length": String(card.png.byteLength) };
    prepared = {
      ok: Object.entries(okObject).flat(),
      notModified: Object.entries(notModifiedObject).flat(),
      okObject,
      notModifiedObject,
      body: new Uint8Array(card.png.buffer as ArrayBuffer, card.png.byteOffset, card.png.byteLength),
      info: { cache: "hit", avatar: card.avatar, fallbackReason: card.fallbackReason ?? null },
    };
    preparedHits.set(card, prepared);
  }
  return prepared;
}

/** 200 with the PNG, or 304 when the client already holds these bytes. */
function cardResponse(request: Request, card: CachedCard, source: "hit" | "miss" | "shared", onNotModified: () => void): Response {
  if (source === "hit") {
    const prepared = preparedHit(card);
    const ifNoneMatch = request.headers.get("if-none-match");
    if (ifNoneMatch !== null && ifNoneMatchHits(ifNoneMatch, card.etag)) {
      onNotModified();
      return described(new Response(null, { status: 304, headers: prepared.notModifiedObject }), prepared.info);
    }
    return described(new Response(request.method === "HEAD" ? null : prepared.body, { status: 200, headers: prepared.okObject }), prepared.info);
  }
  const headers: Record<string, string> = {
    "cache-control": card.cacheControl,
    etag: card.etag,
    "server-timing": card.timing,
    "x-castcard-avatar": card.avatar,
    "x-castcard-cache": source,
  };
  const info: OgResponseInfo = { cache: source, avatar: card.avatar, fallbackReason: card.fallbackReason ?? null };
  if (ifNoneMatchHits(request.headers.get("if-none-match"), card.etag)) {
    onNotModified();
    return described(new Response(null, { status: 304, headers }), info);
  }
  const body = request.method === "HEAD" ? null : new Uint8Array(card.png.buffer as ArrayBuffer, card.png.byteOffset, card.png.byteLength);
  return described(
    new Response(body, {
      status: 200,
      headers: { ...headers, "content-type": "image/png", "content-length": String(card.png.byteLength) },
    }),
    info,
  );
}

function described(response: Response, info: OgResponseInfo): Response {
  responseInfo.set(response, info);
  return response;
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}
