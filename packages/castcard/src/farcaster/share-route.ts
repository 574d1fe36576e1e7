// POST /api/share: who the user is (Quick Auth, the hub), which design the button may mint, and
// the minted card, rendered before the answer so the scrape after the cast is a cache hit.
import { z } from "zod";
import type { CastcardConfig } from "../config/index";
import type { Design, DesignRegistry, FieldValue } from "../design/index";
import { MAX_JSON_BODY_BYTES, readJsonBody } from "../http/body";
import { createRateLimiter, SHARE_RATE_LIMIT, type RateLimiter } from "../http/rate";
import { json, text } from "../http/respond";
import type { OgHandler, OgLogger } from "../og/index";
import { MintError, type Card, type CardUrls, type CardUser } from "../url/index";
import { createQuickAuthVerifier, type VerifyAuthorization } from "./auth/index";
import { createHubClient, type HubClient } from "./hub/index";

/** Body of POST /api/share, as the Mini App sends it from the SDK context. */
export const shareRequestSchema = z.object({
  fid: z.number().int().positive(),
  username: z.string().max(4096).nullish(),
  displayName: z.string().max(4096).nullish(),
  pfpUrl: z.string().max(4096).nullish(),
  /** Design id; the default design when absent. */
  design: z.string().max(64).nullish(),
  /** The older name of `design`, still accepted. */
  template: z.string().max(64).nullish(),
  /** The Mini App's live preview: minted and rendered like a share, but not recorded as one. */
  preview: z.boolean().optional(),
});
export type ShareRequest = z.infer<typeof shareRequestSchema>;

/** The user a share is for, as far as the server knows them: always with a fid. */
export type ShareUser = CardUser & { fid: number };

/**
 * Fills a design's data for a card minted through POST /api/share. The request body never carries
 * data fields: what a card says about the user is the server's word, so a client cannot claim a
 * score. Return the fields' values, or null when this user cannot have this card now.
 *
 * Pass your own as `createCastcard(config, { cardData, buttonDesigns })`; this one knows the
 * built-in designs: designs without fields need nothing (`member` draws the fid the card carries),
 * and `score` is only ever minted by an app's own server.
 */
export type CardDataSource = (
  design: Design,
  user: ShareUser,
) => Record<string, FieldValue | undefined> | null | Promise<Record<string, FieldValue | undefined> | null>;

export const defaultCardData: CardDataSource = (design) => (Object.keys(design.fields.shape).length === 0 ? {} : null);

/**
 * The one answer to "which designs can the share button mint", used by POST /api/share and by the
 * page that offers them: the ids given; else, with an app's own `cardData` (which fills data, or
 * refuses one user with null), every design; else the designs without fields of their own.
 */
export function buttonDesigns(designs: DesignRegistry, options: { ids?: readonly string[]; cardData?: CardDataSource } = {}): Design[] {
  const { ids } = options;
  if (!ids) return designs.list().filter((d) => options.cardData !== undefined || Object.keys(d.fields.shape).length === 0);
  return ids.map((id) => {
    const design = designs.get(id);
    if (!design) throw new TypeError(`buttonDesigns: unknown design "${id}"`);
    return design;
  });
}

export interface ShareRouteOptions {
  /** The configuration's card URL module: its designs, and the one signer that mints. */
  urls: CardUrls;
  /** The image handler, to render a card before answering (so the scrape after the cast is a cache hit). */
  og: OgHandler;
  /** Fills a design's data; never from the body. Default: designs without data only. */
  cardData?: CardDataSource;
  /** The designs the button may mint (see `buttonDesigns`). */
  designs: readonly Design[];
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
  recordShare?: (share: { card: Card; fid: number; design: string }) => Promise<string | null>;
}

/** Without sign-in the body says who the card is for. */
const openBody = shareRequestSchema;
/** With sign-in the token does: any fid in the body is ignored. */
const signedInBody = shareRequestSchema.omit({ fid: true });

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
  const mintable = new Set(options.designs.map((d) => d.id));

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
      const fields = "username?, displayName?, pfpUrl?, design?";
      return text(400, verify ? `Bad request: expected { ${fields} }` : `Bad request: expected { fid, ${fields} }`);
    }
    const claimed = parsed.data;
    const fid = verifiedFid ?? (claimed as z.infer<typeof openBody>).fid;
    // Answers name the field the body used for the design.
    const [word, designId] = claimed.design != null ? ["design", claimed.design] : ["template", claimed.template ?? null];
    const design = urls.designs.get(designId ?? urls.designs.defaultId);
    if (!design) return text(400, `${word}: unknown design`);
    const serverOnly = () => text(400, `${word}: ${design.id} cards are minted by the app's server, not by the share button`);
    if (!mintable.has(design.id)) return serverOnly();

    const rate = limiter.take(String(fid));
    if (!rate.ok) {
      return text(429, "Too many requests: try again shortly", { "retry-after": String(rate.retryAfterSeconds) });
    }

    let user: ShareUser;
    if (hub) {
      const found = await hub.profile(fid);
      if (!found.ok) {
        // Never a card made from the claimed names: without the hub there is no answer.
        log({ event: "share-hub-unavailable", reason: found.reason });
        return text(503, "Service unavailable: profile lookup failed", { "retry-after": String(found.retryAfterSeconds) });
      }
      user = { fid, ...found.profile };
    } else {
      user = { fid, username: claimed.username ?? null, displayName: claimed.displayName ?? null, pfpUrl: claimed.pfpUrl ?? null };
    }

    // The design's data is the server's word, filled by the one documented function; never the body's.
    const data = await cardData(design, user);
    if (!data) return serverOnly();

    // The one place a user meets minting.
    let card;
    try {
      card = urls.cardFor({ design: designId, user, data });
    } catch (error) {
      if (error instanceof MintError) return text(400, error.message);
      throw error;
    }

    // Recorded while the card renders, so it costs the mint nothing it was not already waiting for.
    // A preview (the Mini App showing the card before the button is pressed) is not a share.
    const recording = options.recordShare && !claimed.preview ? options.recordShare({ card, fid, design: design.id }) : null;

    // Render before answering, so the scrape that follows the cast is a cache hit. Pointless when
    // another service (OG_SERVICE_URL) serves the images: its cache is not this one. A preview's
    // image is asked for by the page the moment it has the URL: answering as the render starts lets
    // that request join the render in flight, a round trip sooner than after it.
    if (config.ogUrl === config.appUrl) {
      const warmed = options.og.warm(card).then((ok) => ok || log({ event: "share-prerender-failed" }));
      if (!claimed.preview) await warmed;
    }
    if (!options.recordShare) return json(200, urls.urlsFor(card));
    return json(200, { ...urls.urlsFor(card), shareId: recording ? await recording.catch(() => null) : null });
  };
}
