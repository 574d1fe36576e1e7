// fronts/: where requests come in. createCastcard() is the composition root: one configuration
// wired into every route, behind one Web-standard handler that each front (Next, the service, a
// library user) builds once.
import type { CastcardConfig } from "../config/index";
import type { Design } from "../design/index";
import { json, text } from "../http/respond";
import { createCardUrls, type Card, type CardUrls, type ShareUrls } from "../url/index";
import { createCardRenderer, createOgHandler, designsOf, loadDefaultFonts, createMarkRoute, type OgHandler, type OgHandlerOptions } from "../og/index";
import { createAnalytics, type Analytics } from "../analytics/index";
import { notificationsFrom, type NotificationsOverrides } from "./notifications";
import type { Notifications } from "../notify/index";
import { buttonDesigns, createShareRoute, manifest, sampleCardUrl, sampleShareUrls, sharePageHtml, type CardDataSource, type SampleImages } from "../farcaster/index";

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
  /** GET /icon.png: the app's 1024×1024 icon, drawn from its name and colour (404 when the app has its own `iconUrl`). */
  icon: (request: Request) => Promise<Response>;
  /** GET /splash.png: the app's 200×200 splash image (404 when the app has its own `splashImageUrl`). */
  splash: (request: Request) => Promise<Response>;
  /** The app's sample card (its sample user): image, share page and 1200×630 image, for the home page. */
  sample: ShareUrls & SampleImages;
  /** The sample user's card in a design: the preview a page shows before the user's own. */
  sampleCardUrl: (design: Design) => string;
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
  /** Reach notifications (null when off: NOTIFICATIONS=off, no HUB_URL, or no analytics). */
  notifications: Notifications | null;
  /** POST /api/webhook (404 with notifications off) */
  webhook: (request: Request) => Promise<Response>;
  /** GET /api/reach, a sharer's reach; POST /api/reach, a notification's open (404 with notifications off) */
  reach: (request: Request) => Promise<Response>;
  /** Writes what analytics has queued and closes its database (the service calls it on shutdown). */
  close: () => Promise<void>;
  /** Every route above behind one Web-standard handler, for servers without a router. */
  fetch: (request: Request) => Promise<Response>;
  ready: Promise<void>;
}

/**
 * Options of `createCastcard`. The card's brand, subtitle and accent come from the app's
 * definition (`config.app`), so they are not options here.
 */
export interface CastcardOptions extends Omit<OgHandlerOptions, "avatar" | "urls" | "secrets" | "renderer" | "brand" | "subtitle" | "accent"> {
  /** Reported by /healthz; the service passes package.json's. */
  version?: string;
  /** Fills a design's data for cards minted by POST /api/share (never from the request body). */
  cardData?: CardDataSource;
  /**
   * Ids of the designs the share button offers and may mint, in order. Default: every design when
   * you pass `cardData`, else every design without fields.
   */
  buttonDesigns?: readonly string[];
  /** Share analytics to use instead of the one configuration describes; `false`: none. */
  analytics?: Analytics | false;
  /** Settings of the notifications configuration turns on (tests: the hub lookup, the fetcher's ports); `false`: none. */
  notifications?: NotificationsOverrides | false;
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
  // One renderer draws the cards and the app's icon and splash image.
  const fonts = options.fonts ?? loadDefaultFonts();
  const renderer = createCardRenderer(fonts);
  const { app } = config;
  const og = createOgHandler({
    ...options,
    fonts,
    renderer,
    urls,
    avatar: config.avatar,
    brand: app.card.brand,
    subtitle: app.card.subtitle,
    accent: app.accent,
    cache: { renderBytes: config.renderCacheBytes, ...options.cache },
  });
  const sample = sampleShareUrls(urls, app.sampleUser);

  const mintable = buttonDesigns(urls.designs, { ids: options.buttonDesigns, cardData: options.cardData });
  // Notifications keep their tables in the analytics store and count reach in its launch writes.
  let analytics: Analytics | null = null;
  const notifications =
    options.notifications === false || options.analytics !== undefined ? null : notificationsFrom(config, () => analytics?.store() ?? null, options.log, urls, options.notifications);
  analytics = options.analytics === false ? null : (options.analytics ?? analyticsFrom(config, options.log, notifications));
  // A share is its card: the id comes from the card's canonical query at the embed size, so the
  // share page can compute it without the database.
  const shareIdOf = (card: Card) => analytics!.shareId(urls.canonical({ ...card, size: "embed" }));
  const recordShare = analytics
    ? async ({ card, fid, design }: { card: Card; fid: number; design: string }) => {
        const id = shareIdOf(card);
        return (await analytics.recordShare({ id, fid, design, card })) ? id : null;
      }
    : undefined;
  const share = createShareRoute(config, { urls, og, cardData: options.cardData, designs: mintable, log: options.log, recordShare });

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
    return new Response(sharePageHtml(config, card.user, page), {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  };

  const manifestRoute = async () => json(200, manifest(config, sample), { "cache-control": "public, max-age=300" });

  const icon = createMarkRoute(renderer, app, "icon", { own: app.iconUrl, log: options.log });
  const splash = createMarkRoute(renderer, app, "splash", { own: app.splashImageUrl, log: options.log });

  // `reason` only while unavailable: the cause in a few words (SQLITE_FULL, ECONNREFUSED…).
  const analyticsHealth = (a: Analytics) => {
    const state = a.state();
    return { state, store: a.target.kind, ...(state === "unavailable" ? { reason: a.cause() ?? "starting" } : {}) };
  };

  const health = async () =>
    json(200, {
      status: "ok",
      version: options.version ?? null,
      uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
      analytics: analytics ? analyticsHealth(analytics) : null,
      ...og.stats(),
    });

  const notFound = async () => text(404, "Not found");
  const events = analytics?.events ?? notFound;
  const stats = analytics?.stats ?? notFound;
  const dashboard = analytics?.dashboard ?? notFound;
  const webhook = notifications?.webhook ?? notFound;
  const reach = notifications?.reach ?? notFound;

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "/healthz": health,
    "/api/og": og,
    "/api/share": share,
    "/share": sharePage,
    "/.well-known/farcaster.json": manifestRoute,
    "/icon.png": icon,
    "/splash.png": splash,
    ...(analytics ? { "/api/events": events, "/api/stats": stats, "/stats": dashboard } : {}),
    ...(notifications ? { "/api/webhook": webhook, "/api/reach": reach } : {}),
  };

  return {
    config,
    urls,
    buttonDesigns: mintable,
    og,
    share,
    sharePage,
    manifest: manifestRoute,
    icon,
    splash,
    sample,
    sampleCardUrl: (design) => sampleCardUrl(urls, app.sampleUser, design),
    health,
    analytics,
    events,
    stats,
    dashboard,
    notifications,
    webhook,
    reach,
    close: async () => {
      await notifications?.close();
      await analytics?.close();
    },
    ready: og.ready,
    fetch: async (request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request) : text(404, "Not found");
    },
  };
}

/** The analytics configuration describes: none with ANALYTICS=off. */
function analyticsFrom(config: CastcardConfig, log: CastcardOptions["log"], notifications: Notifications | null): Analytics | null {
  if (!config.analytics.enabled) return null;
  return createAnalytics({
    dataDir: config.analytics.dataDir,
    databaseUrl: config.analytics.databaseUrl,
    retentionDays: config.analytics.retentionDays,
    statsToken: config.analytics.statsToken,
    production: config.production,
    auth: config.auth,
    shareSecret: config.shareSecrets[0] ?? null,
    appName: config.app.name,
    log,
    onLaunches: notifications?.onLaunches,
    notificationStats: notifications?.stats,
  });
}
