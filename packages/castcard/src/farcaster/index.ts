// farcaster/: what Farcaster sees and says. Who the user is (Quick Auth, the hub), the cast embed
// and link-preview tags, the manifest, the share page, and POST /api/share, which mints the card.
export { createQuickAuthVerifier, type AuthResult, type QuickAuthOptions, type VerifyAuthorization } from "./auth/index";
export { createHubClient, type HubClient, type HubClientOptions, type HubLookup, type HubProfile } from "./hub/index";
export { cardMetaTags, iconUrl, miniAppEmbed, splashImageUrl, type PageCard } from "./embed";
export { manifest, type SampleImages } from "./manifest";
export { sharePageHtml } from "./page";
export { SAMPLE_FID, sampleCardUrl, sampleShareUrls, type SampleCardUser } from "./sample";
export { buttonDesigns, createShareRoute, defaultCardData, shareRequestSchema } from "./share-route";
export type { CardDataSource, ShareRequest, ShareRouteOptions, ShareUser } from "./share-route";
