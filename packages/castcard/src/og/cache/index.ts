// In-memory caches in front of the two expensive steps: rendering a card and fetching an avatar.
export { createRenderCache, etagOf, ifNoneMatchHits } from "./render";
export type { CachedCard, RenderCache, RenderCacheOptions, RenderCacheStats, RenderOutcome } from "./render";
export { cacheAvatars, AVATAR_CACHE_DEFAULTS } from "./avatar";
export type { AvatarCacheOptions, AvatarCacheStats, CachedAvatarFetcher } from "./avatar";
