import type { Castcard } from "../castcard";
import { castcardFromEnv, exitOnConfigError, type StartOptions } from "../start";

/** A Next.js App Router route module's handlers. */
type Handler = (request: Request) => Promise<Response>;

export type NextCastcardOptions = StartOptions;

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
  const instance = (): Castcard => {
    const holder = globalThis as Holder;
    holder[KEY] ??= castcardFromEnv({ log: (entry) => console.log(JSON.stringify({ source: "castcard", ...entry })), ...options });
    return holder[KEY];
  };
  const route = (pick: (c: Castcard) => Handler): Handler => (request) => pick(instance())(request);
  const og = route((c) => c.og);
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
    health: { GET: route((c) => c.health) },
  };
}
