import type { CastcardConfig } from "../config/index";
import { templateRegistry } from "../card/index";
import { createCardUrls, type CardUrls } from "../card-url/index";
import { createOgHandler, text, type OgHandler, type OgHandlerOptions } from "../handler/index";
import { manifest, sampleShareUrls, sharePageHtml, type CardDataSource } from "../share/index";
import { createShareRoute } from "./share-route";
import { createAnalytics, type Analytics } from "../analytics/index";

export interface Castcard {
  config: CastcardConfig;
  /** The card URL module: parse, verify and mint cards with this instance's designs and secrets. */
  urls: CardUrls;
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
  /** Share analytics (null with ANALYTICS=off): the store, and the routes below. */
  analytics: Analytics | null;
  /** POST /api/events (404 with analytics off) */
  events: (request: Request) => Promise<Response>;
  /** GET /api/stats (404 with analytics off) */
  stats: (request: Request) => Promise<Response>;
  /** GET /stats, the dashboard (404 with analytics off) */
  dashboard: (request: Request) => Promise<Response>;
  /** Every route above behind one Web-standard handler, for servers without a router. */
  fetch: (request: Request) => Promise<Response>;
  ready: Promise<void>;
  /** Writes what analytics has queued and closes its database (the service calls it on shutdown). */
  close: () => Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

export interface CastcardOptions extends Omit<OgHandlerOptions, "avatar" | "urls" | "secrets"> {
  /** Reported by /healthz; the service passes package.json's. */
  version?: string;
  /** Fills a design's data for cards minted by POST /api/share (never from the request body). */
  cardData?: CardDataSource;
  /** Share analytics to use instead of the one configuration describes; `false`: none. */
  analytics?: Analytics | false;
}

/** Wires configuration into every route. Each front (Next, the service, a library user) calls this once. */
export function createCastcard(config: CastcardConfig, options: CastcardOptions = {}): Castcard {
  const startedAt = performance.now();
  // One card URL module (and so one signer) per configuration: the handler verifies with it, the
  // share routes mint with it.
  const urls = createCardUrls({
    designs: templateRegistry([...(options.templates ?? []), ...(options.template ? [options.template] : [])], options.template?.id),
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

  const analytics =
    options.analytics === false
      ? null
      : (options.analytics ??
        (config.analytics.enabled
          ? createAnalytics({
              dataDir: config.analytics.dataDir,
              databaseUrl: config.analytics.databaseUrl,
              retentionDays: config.analytics.retentionDays,
              statsToken: config.analytics.statsToken,
              production: config.production,
              auth: config.auth,
              shareSecret: config.shareSecrets[0] ?? null,
              appName: config.app.name,
              log: options.log,
            })
          : null));
  // A share is its card: the id comes from the card's canonical query at the embed size, so the
  // share page can compute it without the database.
  const shareIdOf = (card: Parameters<CardUrls["canonical"]>[0]) => analytics!.shareId(urls.canonical({ ...card, size: "embed" }));
  const recordShare = analytics
    ? async ({ shareUrl, fid, design }: { shareUrl: string; fid: number; design: string }) => {
        const parsed = urls.parse(new URL(shareUrl).searchParams);
        if (!parsed.ok) return null;
        const id = shareIdOf(parsed.card);
        return (await analytics.recordShare({ id, fid, design })) ? id : null;
      }
    : undefined;

  const share = createShareRoute(config, { urls, og, cardData: options.cardData, log: options.log, recordShare });

  const sharePage = async (request: Request) => {
    const parsed = urls.parse(new URL(request.url).searchParams);
    if (!parsed.ok) return text(parsed.status, parsed.message);
    // Whatever size the link names, the cast embed is the 3:2 card and Open Graph the 1.91:1 one.
    const { card } = parsed;
    const page = {
      shareUrl: urls.urlsFor(card).shareUrl,
      imageUrl: urls.imageUrlAt(card, "embed"),
      ogImageUrl: urls.imageUrlAt(card, "og"),
      // The launch button opens the app with the share's id, so the launch can be attributed.
      launchUrl: analytics ? `${config.appUrl}/?share=${shareIdOf(card)}` : undefined,
    };
    return new Response(sharePageHtml(config, card.identity, page), {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  };

  const manifestRoute = async () => json(200, manifest(config, sample), { "cache-control": "public, max-age=300" });

  const health = async () =>
    json(200, {
      status: "ok",
      version: options.version ?? null,
      uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
      analytics: analytics ? { state: analytics.state(), store: analytics.target?.kind ?? null } : null,
      ...og.stats(),
    });

  const notFound = async () => text(404, "Not found");
  const events = analytics?.events ?? notFound;
  const stats = analytics?.stats ?? notFound;
  const dashboard = analytics?.dashboard ?? notFound;

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "/healthz": health,
    "/api/og": og,
    "/api/share": share,
    "/share": sharePage,
    "/.well-known/farcaster.json": manifestRoute,
    ...(analytics ? { "/api/events": events, "/api/stats": stats, "/stats": dashboard } : {}),
  };

  return {
    config,
    urls,
    og,
    share,
    sharePage,
    manifest: manifestRoute,
    health,
    analytics,
    events,
    stats,
    dashboard,
    close: async () => {
      await analytics?.close();
    },
    ready: og.ready,
    fetch: async (request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request) : text(404, "Not found");
    },
  };
}
