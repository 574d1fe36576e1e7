// og/: a Card in, a PNG out. The guarded avatar fetcher, fonts and emoji, layout and rendering with
// takumi, the render and avatar caches, and GET /api/og in front of them.
export { createOgHandler, type OgHandler, type OgHandlerOptions } from "./handler";
export { createCardPipeline, designsOf, DEFAULT_LIMITS, DEFAULT_RENDER_CACHE_BYTES, RENDER_VERSION } from "./pipeline";
export type { CardPipeline, OgCacheOptions, OgLogger, PipelineOptions, PipelineResult } from "./pipeline";
export { CACHE_FALLBACK, CACHE_IMMUTABLE, cardAnswer, cardResponse, describeOgResponse } from "./response";
export type { CardHit, CardSource, OgResponseInfo } from "./response";
export { createMarkRoute, renderAppMark, MARK_SIDES, type MarkKind } from "./mark";
export { createCardRenderer, type CardRenderer } from "./render/index";
export { loadDefaultFonts } from "./fonts/index";
