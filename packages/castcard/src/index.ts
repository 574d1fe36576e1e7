// castcard: the framework-agnostic core. Import it from any Web-standard server; `castcard/next`
// has App Router route handlers, `castcard/server` the standalone image service.

/** The zod castcard is built with: declare design fields with it, so `defineCard` recognises them. */
export { z } from "zod";

// Rendering cards: the handler behind GET /api/og.
export { createOgHandler, describeOgResponse, CACHE_FALLBACK, CACHE_IMMUTABLE, RENDER_VERSION } from "./handler/index";
export type { OgHandler, OgHandlerOptions, OgCacheOptions, OgResponseInfo, OgLogger } from "./handler/index";

// Designs: declare one and its data.
export { Card as SeedCard, CARD_WIDTH, CARD_HEIGHT, CARD_SIZES, TEMPLATES, templateRegistry, defineCard, field, layoutAt, Line, Name, digitsSize, plainCardProps } from "./card/index";
export type { CardProps, CardData, CardSample, CardSize, CardSizeId, CardTemplate, FieldValue, FittedName, NameBox, RichText, TemplateRegistry } from "./card/index";
export { SAMPLE_USERS, sampleAvatarSvg, sampleQuery, BROKEN_AVATAR_URL } from "./card/samples";
export type { SampleUser } from "./card/samples";

// The card URL: parse, verify, sign and mint.
export { createCardUrls, createSigner, MintError, MAX_CARD_URL_LENGTH, RESERVED_PARAMS } from "./card-url/index";
export type { Card, CardIdentity, CardUrls, CardUrlOptions, MintInput, MintUser, ParsedCard, ShareUrls, Signer } from "./card-url/index";

// Every route behind one configuration.
export { createCastcard } from "./app/index";
export type { Castcard, CastcardOptions } from "./app/index";
export { loadConfig, ConfigError } from "./config/index";
export type { CastcardConfig, Env } from "./config/index";
export { miniAppEmbed, manifest, cardMetaTags, defaultCardData, sampleShareUrls, sampleCardUrl, SAMPLE_USERNAME } from "./share/index";
export type { CardDataSource, ShareUser, PageCard, SampleImages } from "./share/index";

// Share analytics: shares, casts and launches, their store, routes and dashboard.
export { createAnalytics, openStore, renderDashboard, shareIdDeriver, SHARE_ID, SQLITE_FILE, RECORD_SHARE_BUDGET_MS } from "./analytics/index";
export type { Analytics, AnalyticsOptions, AnalyticsState, ShareInput, Stats, Store, StoreTarget, EventRecord, ShareRecord } from "./analytics/index";

// Who is asking, and what they are called: Quick Auth and the hub.
export { createQuickAuthVerifier } from "./auth/index";
export type { AuthResult, QuickAuthOptions, VerifyAuthorization } from "./auth/index";
export { createHubClient } from "./hub/index";
export type { HubClient, HubClientOptions, HubLookup, HubProfile } from "./hub/index";
export { readJsonBody, MAX_JSON_BODY_BYTES } from "./body/index";

// Safety and load: the guarded avatar fetcher, load shedding and rate limits.
export type { AvatarPolicy, AvatarFetcher, AvatarResult } from "./avatar/index";
export { createAvatarFetcher, AVATAR_LIMITS } from "./avatar/index";
export { createLimiter } from "./limit/index";
export type { Limiter, LimiterOptions, LimiterStats } from "./limit/index";
export { createRateLimiter, SHARE_RATE_LIMIT } from "./limit/rate";
export type { RateLimiter, RateLimitOptions } from "./limit/rate";

// Fonts and emoji.
export { loadDefaultFonts, createWorldFonts } from "./fonts/index";
export type { FontFile, WorldFonts } from "./fonts/index";
export { createTwemoji } from "./emoji/index";
export type { EmojiSet } from "./emoji/index";
