import { z } from "zod";
import { createQuickAuthVerifier, type VerifyAuthorization } from "../auth/index";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "../body/index";
import type { CastcardConfig } from "../config/index";
import { text, type OgHandler, type OgLogger } from "../handler/index";
import { createHubClient, type HubClient } from "../hub/index";
import { createRateLimiter, SHARE_RATE_LIMIT, type RateLimiter } from "../limit/rate";
import { MintError, type CardUrls } from "../card-url/index";
import { defaultCardData, shareRequestSchema, type CardDataSource } from "../share/index";

/** Who a card is for: the fid (verified when sign-in is on) and the names and picture to draw. */
export interface ShareIdentity {
  fid: number;
  username: string | null;
  displayName: string | null;
  pfpUrl: string | null;
}

export interface ShareRouteOptions {
  /** The configuration's card URL module: its designs, and the one signer that mints. */
  urls: CardUrls;
  /** GET /api/og, to render a card before answering (so the scrape after the cast is a cache hit). */
  og: OgHandler;
  /** Fills a design's data; never from the body. Default: designs without data only. */
  cardData?: CardDataSource;
  log?: OgLogger;
  /** Defaults: built from config.auth and config.hub; tests may pass their own. */
  verify?: VerifyAuthorization;
  hub?: HubClient | null;
  limiter?: RateLimiter;
  maxBodyBytes?: number;
  /**
   * Records a minted share (analytics); resolves its id once committed, or null when it is not
   * recorded. It must settle within its own budget (1 s): the mint answers either way, with
   * `shareId` beside the URLs. Absent: analytics is off and the answer has no shareId.
   */
  recordShare?: (share: { shareUrl: string; fid: number; design: string }) => Promise<string | null>;
}

/** Without sign-in the body says who the card is for. */
const openBody = shareRequestSchema;
/** With sign-in the token does: any fid in the body is ignored. */
const signedInBody = shareRequestSchema.omit({ fid: true });

const json = (body: unknown) =>
  new Response(JSON.stringify(body), { headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store" } });

/**
 * POST /api/share: method → sign-in (when SHARE_SECRET is set) → bounded JSON body → per-fid rate
 * limit → names from the hub (or the body) → mint → prerender → `{ imageUrl, shareUrl }`.
 */
export function createShareRoute(config: CastcardConfig, options: ShareRouteOptions): (request: Request) => Promise<Response> {
  const verify = config.auth.required
    ? (options.verify ?? createQuickAuthVerifier({ origin: config.auth.origin, domain: config.auth.domain }))
    : null;
  const hub = options.hub !== undefined ? options.hub : config.hub ? createHubClient(config.hub) : null;
  const limiter = options.limiter ?? createRateLimiter(SHARE_RATE_LIMIT);
  const maxBodyBytes = options.maxBodyBytes ?? MAX_JSON_BODY_BYTES;
  const log: OgLogger = options.log ?? (() => undefined);
  const { urls } = options;
  const cardData = options.cardData ?? defaultCardData;

  return async (request) => {
    if (request.method !== "POST") return text(405, "Method not allowed", { allow: "POST" });

    let verifiedFid: number | null = null;
    if (verify) {
      const auth = await verify(request.headers.get("authorization"));
      if (!auth.ok) {
        await request.body?.cancel().catch(() => undefined);
        if (auth.status === 503) {
          log({ event: "share-auth-unavailable", reason: auth.reason });
          return text(503, `Service unavailable: ${auth.reason}`, { "retry-after": String(auth.retryAfterSeconds) });
        }
        return text(401, `Unauthorized: ${auth.reason}`, { "www-authenticate": 'Bearer realm="castcard"' });
      }
      verifiedFid = auth.fid;
    }

    const body = await readJsonBody(request, maxBodyBytes);
    if (!body.ok) return text(body.status, body.message);
    const parsed = (verify ? signedInBody : openBody).safeParse(body.value);
    if (!parsed.success) {
      const fields = "username?, displayName?, pfpUrl?, template?";
      return text(400, verify ? `Bad request: expected { ${fields} }` : `Bad request: expected { fid, ${fields} }`);
    }
    const claimed = parsed.data;
    const fid = verifiedFid ?? (claimed as z.infer<typeof openBody>).fid;
    const design = urls.designs.get(claimed.template ?? urls.designs.defaultId);
    if (!design) return text(400, "template: unknown design");

    const rate = limiter.take(String(fid));
    if (!rate.ok) {
      return text(429, "Too many requests: try again shortly", { "retry-after": String(rate.retryAfterSeconds) });
    }

    let identity: ShareIdentity;
    if (hub) {
      const found = await hub.profile(fid);
      if (!found.ok) {
        // Never a card made from the claimed names: without the hub there is no answer.
        log({ event: "share-hub-unavailable", reason: found.reason });
        return text(503, "Service unavailable: profile lookup failed", { "retry-after": String(found.retryAfterSeconds) });
      }
      identity = { fid, ...found.profile };
    } else {
      identity = { fid, username: claimed.username ?? null, displayName: claimed.displayName ?? null, pfpUrl: claimed.pfpUrl ?? null };
    }

    // The design's data is the server's word, filled by the one documented function; never the body's.
    const data = await cardData(design, identity);
    if (!data) return text(400, `template: ${design.id} cards are minted by the app's server, not by the share button`);

    // The one place an identity meets minting.
    let minted;
    try {
      minted = urls.mint({ design: claimed.template ?? null, user: identity, data });
    } catch (error) {
      if (error instanceof MintError) return text(400, error.message);
      throw error;
    }

    // Recorded while the card renders, so it costs the mint nothing it was not already waiting for.
    // A preview (the Mini App showing the card before the button is pressed) is not a share.
    const preview = typeof body.value === "object" && body.value !== null && (body.value as { preview?: unknown }).preview === true;
    const recording = options.recordShare && !preview ? options.recordShare({ shareUrl: minted.shareUrl, fid, design: design.id }) : null;

    // Render before answering, so the scrape that follows the cast is a cache hit. Pointless when
    // another service (OG_SERVICE_URL) serves the images: its cache is not this one.
    if (config.ogUrl === config.appUrl) {
      const warmed = await options.og(new Request(minted.imageUrl, { method: "HEAD" })).catch(() => null);
      if (!warmed?.ok) log({ event: "share-prerender-failed", status: warmed?.status ?? 0 });
    }
    if (!options.recordShare) return json(minted);
    return json({ ...minted, shareId: recording ? await recording.catch(() => null) : null });
  };
}
