import { CARD_SIZES } from "../../design/index";
import { cardMetaTags, iconUrl } from "../../farcaster/index";
import type { Castcard } from "../castcard";
import { castcardFromEnv, exitOnConfigError, type StartOptions } from "../start";

/** A Next.js App Router route module's handlers. */
type Handler = (request: Request) => Promise<Response>;

export type NextCastcardOptions = StartOptions;

/**
 * The home page's metadata, for `export const generateMetadata = castcard.metadata` in
 * `app/page.tsx`: the app's name and description, the launch embed in both dialects, and the
 * sample card as the Open Graph and X image. Assignable to Next's `Metadata`.
 */
export interface HomeMetadata {
  title: string;
  description: string;
  icons: { icon: string; apple: string };
  openGraph: { title: string; description: string; url: string; type: "website"; images: Array<{ url: string; width: number; height: number; type: string; alt: string }> };
  twitter: { card: "summary_large_image"; title: string; description: string; images: string[] };
  /** `fc:miniapp` and `fc:frame`: the embed that launches the app. */
  other: Record<string, string>;
}

export interface NextCastcard {
  /** The process's one instance, built (and its warnings printed) on first use. */
  instance(): Castcard;
  /**
   * For `instrumentation.ts`'s `register()`: builds the instance and warms the renderer, so the
   * first request pays nothing; a configuration error ends the process with its one line.
   */
  start(): Promise<Castcard>;
  /** `app/api/og/route.ts`: `export const { GET, HEAD } = castcard.og;` */
  og: { GET: Handler; HEAD: Handler };
  /** `app/api/share/route.ts`: `export const { POST } = castcard.share;` */
  share: { POST: Handler };
  /** `app/share/route.ts`: the page a cast embeds. */
  sharePage: { GET: Handler };
  /** `app/.well-known/farcaster.json/route.ts` */
  manifest: { GET: Handler };
  /** `app/icon.png/route.ts`: the app's icon, drawn from its name and colour. */
  icon: { GET: Handler; HEAD: Handler };
  /** `app/splash.png/route.ts`: the app's splash image. */
  splash: { GET: Handler; HEAD: Handler };
  /** `app/healthz/route.ts` */
  health: { GET: Handler };
  /** `app/api/events/route.ts`: share analytics events. */
  events: { POST: Handler };
  /** `app/api/webhook/route.ts`: the Farcaster client's signed notification events. */
  webhook: { POST: Handler };
  /** `app/api/reach/route.ts`: a sharer's reach, and notification opens. */
  reach: { GET: Handler; POST: Handler };
  /** `app/api/stats/route.ts` */
  stats: { GET: Handler; HEAD: Handler };
  /** `app/stats/route.ts`: the dashboard. */
  dashboard: { GET: Handler; HEAD: Handler };
  /** `app/page.tsx`: `export const generateMetadata = castcard.metadata;` */
  metadata(): Promise<HomeMetadata>;
}

// Next bundles instrumentation and each route separately, so one module can be evaluated more than
// once per process: the instance lives on globalThis to be built exactly once.
const KEY = Symbol.for("castcard.next.instance");
type Holder = { [KEY]?: Castcard };

/**
 * Castcard for a Next.js App Router app: one instance per process, configured from the
 * environment (and the app's definition, `app`) on first use, and route handlers to re-export from
 * `app/…/route.ts` files.
 *
 * ```ts
 * // src/castcard.ts
 * import definition from "../castcard.config.mjs";
 * export const castcard = createNextCastcard(definition);
 * // app/api/og/route.ts
 * export const runtime = "nodejs";
 * export const { GET, HEAD } = castcard.og;
 * ```
 */
export function createNextCastcard(options: NextCastcardOptions = {}): NextCastcard {
  const instance = (): Castcard => {
    const holder = globalThis as Holder;
    holder[KEY] ??= castcardFromEnv({ log: (entry) => console.log(JSON.stringify({ source: "castcard", ...entry })), ...options });
    return holder[KEY];
  };
  const route = (pick: (c: Castcard) => Handler): Handler => (request) => pick(instance())(request);
  const og = route((c) => c.og);
  const icon = route((c) => c.icon);
  const splash = route((c) => c.splash);
  return {
    instance,
    async start() {
      const castcard = exitOnConfigError(instance);
      await castcard.ready;
      return castcard;
    },
    og: { GET: og, HEAD: og },
    share: { POST: route((c) => c.share) },
    sharePage: { GET: route((c) => c.sharePage) },
    manifest: { GET: route((c) => c.manifest) },
    icon: { GET: icon, HEAD: icon },
    splash: { GET: splash, HEAD: splash },
    health: { GET: route((c) => c.health) },
    events: { POST: route((c) => c.events) },
    webhook: { POST: route((c) => c.webhook) },
    reach: { GET: route((c) => c.reach), POST: route((c) => c.reach) },
    stats: { GET: route((c) => c.stats), HEAD: route((c) => c.stats) },
    dashboard: { GET: route((c) => c.dashboard), HEAD: route((c) => c.dashboard) },
    async metadata() {
      const { config, sample } = instance();
      const { app } = config;
      const page = { title: app.name, description: app.description, url: `${config.appUrl}/`, ogImageUrl: sample.ogImageUrl };
      // Both embed dialects come from the core, as on every share page; Next writes the Open Graph
      // and X tags from the same values (as `property=` tags, which its `other` cannot).
      const fc = cardMetaTags(config, sample.imageUrl, page).filter((m) => m.id.startsWith("fc:"));
      const { width, height } = CARD_SIZES.og;
      return {
        title: page.title,
        description: page.description,
        icons: { icon: iconUrl(config), apple: iconUrl(config) },
        openGraph: { title: page.title, description: page.description, url: page.url, type: "website", images: [{ url: page.ogImageUrl, width, height, type: "image/png", alt: page.title }] },
        twitter: { card: "summary_large_image", title: page.title, description: page.description, images: [page.ogImageUrl] },
        other: Object.fromEntries(fc.map((m) => [m.id, m.content])),
      };
    },
  };
}
