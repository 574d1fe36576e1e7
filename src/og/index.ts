// Castcard's framework-agnostic core: import this from any Web-standard server.
export { createOgHandler, describeOgResponse, CACHE_FALLBACK, CACHE_IMMUTABLE } from "./handler/index";
export type { OgHandler, OgHandlerOptions, OgCacheOptions, OgResponseInfo, CardTemplate, OgLogger } from "./handler/index";
export type { AvatarPolicy, AvatarFetcher, AvatarResult } from "./avatar/index";
export { createCastcard } from "./app/index";
export type { Castcard, CastcardOptions } from "./app/index";
export { loadConfig, ConfigError } from "./config/index";
export type { CastcardConfig, Env } from "./config/index";
export { Card, CARD_WIDTH, CARD_HEIGHT, TEMPLATES, templateRegistry, Line, Name, plainCardProps } from "./card/index";
export type { CardProps, FittedName, NameBox, RichText } from "./card/index";
export { SAMPLE_USERS } from "./card/samples";
export { loadDefaultFonts, createWorldFonts } from "./fonts/index";
export type { FontFile, WorldFonts } from "./fonts/index";
export { createTwemoji } from "./emoji/index";
export type { EmojiSet } from "./emoji/index";
export { parseCardParams, canonicalQuery, cardParams } from "./params/index";
export type { CardParams } from "./params/index";
export { mintShareUrls, miniAppEmbed, manifest } from "./share/index";
