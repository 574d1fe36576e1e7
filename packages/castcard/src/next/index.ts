import { createCastcard, type Castcard, type CastcardOptions } from "../app/index";
import { ConfigError, loadConfig, type Env } from "../config/index";

/** A Next.js App Router route module's handlers. */
type Handler = (request: Request) => Promise<Response>;

export interface NextCastcardOptions extends CastcardOptions {
  /** Where configuration is read from, once; default `process.env`. */
  env?: Env;
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
  /** `app/healthz/route.ts` */
  health: { GET: Handler };
  /** `app/api/events/route.ts`: share analytics events. */
  events: { POST: Handler };
  /** `app/api/stats/route.ts` */
  stats: { GET: Handler; HEAD: Handler };
  /** `app/stats/route.ts`: the dashboard. */
  dashboard: { GET: Handler; HEAD: Handler };
}

// Next bundles instrumentation and each route separately, so one module can be evaluated more than
// once per process: the instance lives on globalThis to be built exactly once.
const KEY = Symbol.for("castcard.next.instance");
type Holder = { [KEY]?: Castcard };

/**
 * Castcard for a Next.js App Router app: one instance per process, configured from the
 * environment on first use, and route handlers to re-export from `app/…/route.ts` files.
 *
 * ```ts
 * // src/castcard.ts
 * export const castcard = createNextCastcard({ version: "1.0.0" });
 * // app/api/og/route.ts
 * export const runtime = "nodejs";
 * export const { GET, HEAD } = castcard.og;
 * ```
 */
export function createNextCastcard(options: NextCastcardOptions = {}): NextCastcard {
  const { env, ...castcardOptions } = options;
  const instance = (): Castcard => {
    const holder = globalThis as Holder;
    if (!holder[KEY]) {
      const { config, warnings } = loadConfig(env ?? process.env);
      for (const warning of warnings) console.warn(`castcard: ${warning}`);
      holder[KEY] = createCastcard(config, {
        log: (entry) => console.log(JSON.stringify({ source: "castcard", ...entry })),
        ...castcardOptions,
      });
    }
    return holder[KEY];
  };
  const route = (pick: (c: Castcard) => Handler): Handler => (request) => pick(instance())(request);
  const og = route((c) => c.og);
  return {
    instance,
    async start() {
      try {
        const castcard = instance();
        await castcard.ready;
        return castcard;
      } catch (error) {
        if (error instanceof ConfigError) {
          console.error(`castcard: ${error.message}`);
          process.exit(1);
        }
        throw error;
      }
    },
    og: { GET: og, HEAD: og },
    share: { POST: route((c) => c.share) },
    sharePage: { GET: route((c) => c.sharePage) },
    manifest: { GET: route((c) => c.manifest) },
    health: { GET: route((c) => c.health) },
    events: { POST: route((c) => c.events) },
    stats: { GET: route((c) => c.stats), HEAD: route((c) => c.stats) },
    dashboard: { GET: route((c) => c.dashboard), HEAD: route((c) => c.dashboard) },
  };
}
