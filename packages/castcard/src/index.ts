// castcard: the framework-agnostic core. Import it from any Web-standard server; `castcard/next`
// has App Router route handlers, `castcard/server` the standalone image service, and
// `castcard/testing` the sample users and helpers for testing designs.

/** The zod castcard is built with: declare design fields with it, so `defineCard` recognises them. */
export { z } from "zod";

// Rendering cards: the handler behind GET /api/og.
export { createOgHandler, describeOgResponse, CACHE_FALLBACK, CACHE_IMMUTABLE, RENDER_VERSION } from "./og/index";
export type { OgHandler, OgHandlerOptions, OgCacheOptions, OgResponseInfo, OgLogger, PipelineResult } from "./og/index";

// Designs: declare one and its data, and draw it with what the built-in designs draw with.
export { SeedCard, CARD_WIDTH, CARD_HEIGHT, CARD_SIZES, DESIGNS, designRegistry, defineCard, field, layoutAt } from "./design/index";
export { Avatar, Line, Name, segmentNodes, digitsSize, accentPalette, mixColors, contrast, luminance } from "./design/index";
export type { AvatarProps, AccentPalette, AvatarBox, CardProps, CardData, CardSample, CardSize, CardSizeId, Design, FieldValue, FittedName, NameBox, RichText, TextSegment, DesignRegistry } from "./design/index";

// The card URL: parse, verify, sign and mint.
export { createCardUrls, createSigner, MintError, MAX_CARD_URL_LENGTH, RESERVED_PARAMS } from "./url/index";
export type { Card, CardProblem, CardUser, CardUrls, CardUrlOptions, MintInput, ParsedCard, ShareUrls, Signer } from "./url/index";

// Every route behind one configuration, and who the app is.
export { createCastcard } from "./fronts/castcard";
export type { Castcard, CastcardOptions } from "./fronts/castcard";
export { defineCastcard } from "./fronts/start";
export type { StartOptions } from "./fronts/start";
export { loadConfig, resolveApp, ConfigError, APP_CATEGORIES, DEFAULT_APP_NAME, DEFAULT_APP_COLOR } from "./config/index";
export type { CastcardConfig, Env, AppInput, AppDefinition, AppCategory, LoadConfigOptions } from "./config/index";
export { miniAppEmbed, manifest, cardMetaTags, iconUrl, splashImageUrl, buttonDesigns, defaultCardData, sampleShareUrls, sampleCardUrl } from "./farcaster/index";
export type { CardDataSource, ShareUser, PageCard, SampleImages, SampleCardUser } from "./farcaster/index";

// Share analytics: shares, casts and launches, their store, routes and dashboard.
export { createAnalytics, openStore, renderDashboard, shareIdDeriver, SHARE_ID, SQLITE_FILE, RECORD_SHARE_BUDGET_MS } from "./analytics/index";
export type { Analytics, AnalyticsOptions, AnalyticsState, ShareInput, Stats, Store, StoreTarget, EventRecord, ShareRecord } from "./analytics/index";

// Reach notifications: the signed webhook, tokens per (fid, client app), milestones and delivery.
export { createNotifications, createSignerLookup, reachNotification, notificationIdOf, parseNotificationId, DEFAULT_REACH_TEXTS } from "./notify/index";
export type { Notifications, NotificationsOptions, ReachCards, ReachTexts, SignerLookup, KeyCheck } from "./notify/index";

// Who is asking, and what they are called: Quick Auth and the hub.
export { createQuickAuthVerifier, createHubClient } from "./farcaster/index";
export type { AuthResult, QuickAuthOptions, VerifyAuthorization, HubClient, HubClientOptions, HubLookup, HubProfile } from "./farcaster/index";
export { readJsonBody, MAX_JSON_BODY_BYTES } from "./http/body";

// Safety and load: the guarded avatar fetcher, load shedding and rate limits.
export type { AvatarPolicy, AvatarFetcher, AvatarResult } from "./og/avatar/index";
export { createAvatarFetcher, AVATAR_LIMITS } from "./og/avatar/index";
export { createLimiter } from "./http/limiter";
export type { Limiter, LimiterOptions, LimiterStats } from "./http/limiter";
export { createRateLimiter, SHARE_RATE_LIMIT } from "./http/rate";
export type { RateLimiter, RateLimitOptions } from "./http/rate";

// Fonts and emoji.
export { loadDefaultFonts, createWorldFonts } from "./og/fonts/index";
export type { FontFile, WorldFonts } from "./og/fonts/index";
export { createTwemoji } from "./og/emoji/index";
export type { EmojiSet } from "./og/emoji/index";
