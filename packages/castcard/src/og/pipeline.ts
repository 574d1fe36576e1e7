// The image pipeline: a typed Card in, a finished (cached) card out. Avatar through the one guarded
// fetcher, layout and render through takumi, load shedding, the render cache with single flight.
import { createHash } from "node:crypto";
import { version as packageVersion } from "../../package.json";
import { designRegistry, layoutAt, type Design } from "../design/index";
import { createLimiter, type LimiterOptions } from "../http/limiter";
import { createCardUrls, type Card, type CardUrls } from "../url/index";
import { avatarRequestSize, createAvatarFetcher, type AvatarFetcher, type AvatarPolicy } from "./avatar/index";
import { cacheAvatars, createRenderCache, type AvatarCacheOptions, type CachedCard, type RenderOutcome } from "./cache/index";
import { loadDefaultFonts, type FontFile } from "./fonts/index";
import { createCardRenderer, type CardRenderer } from "./render/index";
import { CACHE_FALLBACK, CACHE_IMMUTABLE, type CardSource } from "./response";

/** One line per notable event; the reason for a fallback goes here, never into a response. */
export type OgLogger = (entry: { event: string; [key: string]: unknown }) => void;

export interface PipelineOptions {
  /** Fonts to register; defaults to Inter regular and bold. */
  fonts?: FontFile[];
  /** A renderer to share, made with `fonts` (`createCastcard` draws the app's icon with the same one). */
  renderer?: CardRenderer;
  /** Your own card design, used when a URL names none. Defaults to the built-in "seed". */
  defaultDesign?: Design;
  /** More designs, chosen with `template=<id>`; the built-ins are always there. */
  designs?: Design[];
  /** Who may be fetched as an avatar, or a fetcher of your own. Defaults to public https only. */
  avatar?: AvatarPolicy | AvatarFetcher;
  /** The brand line every card draws (`props.brand`). Default "Castcard". */
  brand?: string;
  /** The line under the name (`props.subtitle`). Default "made a Castcard". */
  subtitle?: string;
  /** The app's colour, `#RRGGBB`, for the designs' accent (`props.accent`). Default none: each design's own colours. */
  accent?: string | null;
  log?: OgLogger;
  /** In-memory caches. Sizes are bytes; 0 turns a cache off. */
  cache?: OgCacheOptions;
  /** SHARE_SECRET keys: when any is set, every request needs a valid `sig`. The first signs, all verify. */
  secrets?: readonly string[];
  /**
   * The card URL module to parse and verify with (its designs and signer). `createCastcard` passes
   * the one it mints with; without it, one is built from `designs`, `defaultDesign` and `secrets`.
   */
  urls?: CardUrls;
  /**
   * Part of every ETag and cache key, with the package version, the fonts, brand, subtitle,
   * accent and the design's id and `version`: change it when a deploy changes how equal URLs draw
   * in a way none of those says. Default: the package version.
   */
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

/** Part of every ETag by default, so a new release never answers 304 for a card it draws differently. */
export const RENDER_VERSION = packageVersion;

/** A finished card and where it came from, or why there is none (a short, safe answer). */
export type PipelineResult =
  | { ok: true; card: CachedCard; source: CardSource }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

export interface CardPipeline {
  /** Resolves when fonts and renderer are ready and one card has been drawn. */
  ready: Promise<void>;
  readonly urls: CardUrls;
  /**
   * The cache key of a card: what draws it here (see `look`) and its canonical query, marked when
   * an unusable image fell back. The ETag is made from it.
   */
  keyOf(card: Card, canonical: string, invalidImage: boolean): string;
  /** A card already finished under a key, counted as a hit. */
  cached(key: string): CachedCard | undefined;
  /** The finished card: from the cache, from a render already in flight, or rendered now. */
  render(card: Card, known?: { key: string; invalidImage: boolean }): Promise<PipelineResult>;
  /** Counts a 304 answered from a cached card. */
  countNotModified(): void;
  stats(): Record<string, unknown>;
}

/** The designs a front serves: the built-ins plus its own, with its default. */
export const designsOf = (options: Pick<PipelineOptions, "designs" | "defaultDesign">) =>
  designRegistry([...(options.designs ?? []), ...(options.defaultDesign ? [options.defaultDesign] : [])], options.defaultDesign?.id);

export function createCardPipeline(options: PipelineOptions = {}): CardPipeline {
  const fonts = options.fonts ?? loadDefaultFonts();
  const renderer = options.renderer ?? createCardRenderer(fonts);
  const fetchAvatar = cacheAvatars(
    typeof options.avatar === "function" ? options.avatar : createAvatarFetcher(options.avatar ?? { allowPrivate: false, hosts: null }),
    { ...options.cache?.avatar, now: options.cache?.now ?? options.cache?.avatar?.now },
  );
  const renders = createRenderCache({ maxBytes: options.cache?.renderBytes ?? DEFAULT_RENDER_CACHE_BYTES, now: options.cache?.now });
  const fallbackTtlMs = options.cache?.fallbackTtlMs ?? 30_000;
  const urls = options.urls ?? createCardUrls({ designs: designsOf(options), secrets: options.secrets ?? [] });
  const renderVersion = options.renderVersion ?? RENDER_VERSION;
  const brand = options.brand ?? "Castcard";
  const subtitle = options.subtitle ?? "made a Castcard";
  const accent = options.accent ?? null;

  // Everything besides the URL that decides a card's pixels, per design: a re-brand, a new colour,
  // a design's new version or a new release changes every key and ETag, so no cache (ours, a
  // CDN's, a client's with If-None-Match) answers with the old picture. URLs stay as they were.
  const fontPrint = createHash("sha256");
  for (const f of fonts) fontPrint.update(`${f.name}\n${f.weight}\n`).update(f.data);
  const setup = [packageVersion, renderVersion, fontPrint.digest("base64url"), brand, subtitle, accent ?? ""];
  const looks = new WeakMap<Design, string>();
  const look = (design: Design) => {
    let value = looks.get(design);
    if (!value) {
      value = createHash("sha256").update(JSON.stringify([...setup, design.id, design.version ?? ""])).digest("base64url").slice(0, 16);
      looks.set(design, value);
    }
    return value;
  };
  const log = options.log ?? (() => {});
  const renderSlots = createLimiter(options.limits?.renders ?? DEFAULT_LIMITS.renders);
  const fetchSlots = createLimiter(options.limits?.avatarFetches ?? DEFAULT_LIMITS.avatarFetches);
  const busy = (stage: string): RenderOutcome => {
    log({ event: "shed", stage });
    return { ok: false, status: 503, message: "Busy, try again shortly", headers: { "retry-after": "2" } };
  };

  const draw = async (card: Card, key: string, invalidImage: boolean): Promise<RenderOutcome> => {
    const started = performance.now();
    const { user, design, size } = card;
    let avatar: Buffer | null = null;
    let fallbackReason: string | null = invalidImage ? "invalid-url" : null;
    if (user.pfpUrl) {
      // Normalised to exactly the box the design draws it in at this size.
      const side = avatarRequestSize(layoutAt(design, size).avatarSize);
      const slot = await fetchSlots.run(() => fetchAvatar(user.pfpUrl!, side));
      if (slot.shed) return busy("avatar-fetch");
      const result = slot.value;
      if (result.ok) avatar = result.png;
      else fallbackReason = result.reason;
    }
    const fetched = performance.now();

    let png: Buffer;
    try {
      const input = { ...user, data: card.data, size, hasAvatar: avatar !== null, brand, subtitle, accent };
      const slot = await renderSlots.run(() => renderer.renderCard(design, input, avatar));
      if (slot.shed) return busy("render");
      png = slot.value;
    } catch (error) {
      log({ event: "render-failed", error: error instanceof Error ? error.message : String(error) });
      return { ok: false, status: 500, message: "Could not render the image" };
    }
    const rendered = performance.now();
    if (fallbackReason) log({ event: "avatar-fallback", reason: fallbackReason });

    const avatarKind = fallbackReason ? "fallback" : user.pfpUrl ? "image" : "initials";
    const cached: CachedCard = {
      png,
      // From the cache key (what draws the card, and its canonical query) and what the avatar became.
      etag: urls.etag(key, avatarKind),
      // A fallback card may become the real one on a later scrape: keep it short-lived.
      cacheControl: fallbackReason ? CACHE_FALLBACK : CACHE_IMMUTABLE,
      avatar: avatarKind,
      ...(fallbackReason ? { fallbackReason } : {}),
      timing: `avatar;dur=${(fetched - started).toFixed(1)}, render;dur=${(rendered - fetched).toFixed(1)}`,
    };
    return { ok: true, card: cached, ttlMs: fallbackReason ? fallbackTtlMs : undefined };
  };

  const keyOf = (card: Card, canonical: string, invalidImage: boolean) => `${look(card.design)} ${canonical}${invalidImage ? "&invalid-image" : ""}`;

  const render = async (card: Card, known?: { key: string; invalidImage: boolean }): Promise<PipelineResult> => {
    const invalidImage = known?.invalidImage ?? false;
    const key = known?.key ?? keyOf(card, urls.canonical(card), invalidImage);
    const hit = renders.get(key);
    if (hit) return { ok: true, card: hit, source: "hit" };
    const { outcome, shared } = await renders.load(key, () => draw(card, key, invalidImage));
    if (!outcome.ok) return outcome;
    return { ok: true, card: outcome.card, source: shared ? "shared" : "miss" };
  };

  // One throwaway card at start, past the cache: the first real request then pays none of the
  // one-time costs (glyph caches, JIT). Font errors still reject.
  const ready = renderer.ready.then(async () => {
    try {
      const design = urls.designs.get(urls.designs.defaultId)!;
      const card: Card = { design, namesDesign: false, user: { username: brand, displayName: null, pfpUrl: null, fid: null }, v: "1", size: "embed", data: {} };
      await draw(card, keyOf(card, urls.canonical(card), false), false);
    } catch {
      // a failed warm-up only costs the first request its speed
    }
  });

  return {
    ready,
    urls,
    keyOf,
    cached: (key) => renders.get(key),
    render,
    countNotModified: renders.countNotModified,
    stats: () => ({
      renderCache: renders.stats(),
      avatarCache: fetchAvatar.stats(),
      fonts: renderer.stats(),
      limits: { renders: renderSlots.stats(), avatarFetches: fetchSlots.stats() },
    }),
  };
}
