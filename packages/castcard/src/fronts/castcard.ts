// fronts/: where requests come in. createCastcard() is the composition root: one configuration
// wired into every route, behind one Web-standard handler that each front (Next, the service, a
// library user) builds once.
import type { CastcardConfig } from "../config/index";
import type { Design } from "../design/index";
import { json, text } from "../http/respond";
import { createCardUrls, type CardUrls } from "../url/index";
import { createOgHandler, designsOf, type OgHandler, type OgHandlerOptions } from "../og/index";
import { buttonDesigns, createShareRoute, manifest, sampleShareUrls, sharePageHtml, type CardDataSource } from "../farcaster/index";

export interface Castcard {
  config: CastcardConfig;
  /** The card URL module: parse, verify and mint cards with this instance's designs and secrets. */
  urls: CardUrls;
  /** The designs the share button may mint, in order: what POST /api/share accepts and the page offers. */
  buttonDesigns: readonly Design[];
  /** GET /api/og */
  og: OgHandler;
  /** POST /api/share */
  share: (request: Request) => Promise<Response>;
  /** GET /share: a plain HTML share page (the Next app renders its own). */
  sharePage: (request: Request) => Promise<Response>;
  /** GET /.well-known/farcaster.json */
  manifest: (request: Request) => Promise<Response>;
  /** GET /healthz: version, uptime and the handler's cache and queue figures, never cached. */
  health: (request: Request) => Promise<Response>;
  /** Every route above behind one Web-standard handler, for servers without a router. */
  fetch: (request: Request) => Promise<Response>;
  ready: Promise<void>;
}

export interface CastcardOptions extends Omit<OgHandlerOptions, "avatar" | "urls" | "secrets"> {
  /** Reported by /healthz; the service passes package.json's. */
  version?: string;
  /** Fills a design's data for cards minted by POST /api/share (never from the request body). */
  cardData?: CardDataSource;
  /**
   * Ids of the designs the share button offers and may mint, in order. Default: every design when
   * you pass `cardData`, else every design without fields.
   */
  buttonDesigns?: readonly string[];
}

/** Wires configuration into every route. Each front (Next, the service, a library user) calls this once. */
export function createCastcard(config: CastcardConfig, options: CastcardOptions = {}): Castcard {
  const startedAt = performance.now();
  // One card URL module (and so one signer) per configuration: the handler verifies with it, the
  // share routes mint with it.
  const urls = createCardUrls({
    designs: designsOf(options),
    secrets: config.shareSecrets,
    appUrl: config.appUrl,
    ogUrl: config.ogUrl,
  });
  const og = createOgHandler({
    ...options,
    urls,
    avatar: config.avatar,
    cache: { renderBytes: config.renderCacheBytes, ...options.cache },
  });
  const sample = sampleShareUrls(urls);

  const mintable = buttonDesigns(urls.designs, { ids: options.buttonDesigns, cardData: options.cardData });
  const share = createShareRoute(config, { urls, og, cardData: options.cardData, designs: mintable, log: options.log });

  const sharePage = async (request: Request) => {
    const parsed = urls.parse(new URL(request.url).searchParams);
    if (!parsed.ok) return text(parsed.status, parsed.message);
    // Whatever size the link names, the cast embed is the 3:2 card and Open Graph the 1.91:1 one.
    const { card } = parsed;
    const page = { shareUrl: urls.urlsFor(card).shareUrl, imageUrl: urls.imageUrlAt(card, "embed"), ogImageUrl: urls.imageUrlAt(card, "og") };
    return new Response(sharePageHtml(config, card.user, page), {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  };

  const manifestRoute = async () => json(200, manifest(config, sample), { "cache-control": "public, max-age=300" });

  const health = async () =>
    json(200, {
      status: "ok",
      version: options.version ?? null,
      uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
      ...og.stats(),
    });

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "/healthz": health,
    "/api/og": og,
    "/api/share": share,
    "/share": sharePage,
    "/.well-known/farcaster.json": manifestRoute,
  };

  return {
    config,
    urls,
    buttonDesigns: mintable,
    og,
    share,
    sharePage,
    manifest: manifestRoute,
    health,
    ready: og.ready,
    fetch: async (request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request) : text(404, "Not found");
    },
  };
}
