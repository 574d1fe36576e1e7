// analytics/: what a share brings. Long on purpose: createAnalytics wires the store, the writer,
// the events, stats and dashboard routes and the outage handling that ties them together.
import { accessSync, constants, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { LRUCache } from "lru-cache";
import { createQuickAuthVerifier, type VerifyAuthorization } from "../farcaster/auth/index";
import type { RateLimitOptions } from "../http/rate";
import { renderDashboard } from "./dashboard";
import { DAY_MS } from "./db/schema";
import { openStore, type Stats, type Store, type StoreTarget } from "./db/store";
import { createEventsRoute } from "./events";
import { text } from "./http";
import { SHARE_ID, shareIdDeriver } from "./ids";
import { checkAccess, createStatsRoute, parseDays } from "./stats";
import { createWriter, type Writer } from "./writer";

export type { Stats, Store, StoreTarget, EventRecord, ShareRecord } from "./db/store";
export { openStore } from "./db/store";
export { copyStore } from "./db/copy";
export { rebuildRollups } from "./db/rebuild";
export { renderDashboard } from "./dashboard";
export { SHARE_ID, shareIdDeriver } from "./ids";

/** The file under DATA_DIR that holds the SQLite store. */
export const SQLITE_FILE = "castcard.sqlite";
/** How long a mint waits for its share to be recorded before answering without it. */
export const RECORD_SHARE_BUDGET_MS = 1000;

type Log = (entry: { event: string; [key: string]: unknown }) => void;

export interface AnalyticsOptions {
  /** Folder of the SQLite file (created when missing); used when there is no databaseUrl. */
  dataDir: string;
  /** `postgres://…`: PostgreSQL instead of SQLite. */
  databaseUrl?: string | null;
  /** Rows older than this many days are deleted (checked at start and every 6 hours). */
  retentionDays?: number;
  /** STATS_TOKEN: null means open in development and 404 in production. */
  statsToken?: string | null;
  production?: boolean;
  /** Sign-in for `cast` and `cancel` reports: the same Quick Auth settings as minting. */
  auth?: { required: boolean; origin: string; domain: string };
  /** Given by tests or a host app; built from `auth` otherwise. */
  verify?: VerifyAuthorization;
  /** SHARE_SECRET's signing key: keys the share ids (see ids.ts). */
  shareSecret?: string | null;
  appName?: string;
  /** JSON log lines (outages, recoveries). */
  log?: Log;
  /** One line for a person at start (e.g. console.warn). */
  warn?: (line: string) => void;
  limits?: { share?: RateLimitOptions; viewer?: RateLimitOptions };
  now?: () => number;
}

/** A share as the mint knows it. */
export interface ShareInput {
  id: string;
  fid: number;
  design: string;
}

export type AnalyticsState = "starting" | "ready" | "unavailable";

export interface Analytics {
  /** The id of a card's share: from the card's canonical query (see ids.ts). */
  shareId(canonical: string): string;
  /**
   * Records a minted share; resolves true once committed, false when it could not be within
   * `budgetMs` (default 1 s): never rejects, never waits longer. The mint answers either way.
   */
  recordShare(share: ShareInput, budgetMs?: number): Promise<boolean>;
  /** POST /api/events */
  events: (request: Request) => Promise<Response>;
  /** GET /api/stats */
  stats: (request: Request) => Promise<Response>;
  /** GET /stats */
  dashboard: (request: Request) => Promise<Response>;
  /** Starting, usable, or not usable (an unwritable DATA_DIR, a database unreachable at start). */
  state(): AnalyticsState;
  /** Resolves once migrations have run (or the store was found unusable). */
  ready: Promise<void>;
  readonly target: StoreTarget | null;
  /** Writes what is queued, then closes the database. */
  close(): Promise<void>;
}

/**
 * Share analytics: shares, the casts and cancels their sharers report, and the launches clients
 * report, kept in SQLite (DATA_DIR) or PostgreSQL (DATABASE_URL), with the routes that take
 * events and show the counts. Nothing here is on the card path: a store that is down or slow
 * costs a mint at most `RECORD_SHARE_BUDGET_MS`, and cards never touch it.
 */
export function createAnalytics(options: AnalyticsOptions): Analytics {
  const log: Log = options.log ?? (() => undefined);
  const warn = options.warn ?? ((line: string) => console.warn(`castcard: ${line}`));
  const now = options.now ?? Date.now;
  const appName = options.appName ?? "Castcard";
  const production = options.production ?? false;
  const access = { token: options.statsToken ?? null, production };
  const verify = options.auth?.required ? (options.verify ?? createQuickAuthVerifier({ origin: options.auth.origin, domain: options.auth.domain })) : null;

  let state: AnalyticsState = "starting";
  let why = "";
  let target: StoreTarget | null = null;
  let store: Store | null = null;
  let writer: Writer | null = null;

  if (options.databaseUrl) {
    target = { kind: "postgres", url: options.databaseUrl };
  } else {
    const dir = resolve(options.dataDir);
    try {
      mkdirSync(dir, { recursive: true });
      accessSync(dir, constants.W_OK);
      target = { kind: "sqlite", file: join(dir, SQLITE_FILE) };
    } catch (error) {
      state = "unavailable";
      why = `DATA_DIR (${dir}) cannot be written: nothing is recorded. Set DATA_DIR to a writable folder, or DATABASE_URL=postgres://… for a shared database.`;
      warn(`${why} (${(error as NodeJS.ErrnoException).code ?? "error"})`);
    }
  }

  // Outages are logged once: the first failure says so, the first success after says it is over.
  let down = false;
  let missed = 0;
  const failed = (what: string, error: unknown) => {
    missed++;
    if (down) return;
    down = true;
    log({ event: "analytics-unavailable", what, reason: error instanceof Error ? error.message.slice(0, 200) : String(error).slice(0, 200) });
  };
  const succeeded = () => {
    if (!down) return;
    down = false;
    log({ event: "analytics-recovered", missed });
    missed = 0;
  };

  const retentionMs = (options.retentionDays ?? 400) * DAY_MS;
  let pruneTimer: ReturnType<typeof setInterval> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let closed = false;
  const prune = () => store?.prune(now() - retentionMs).then(succeeded, (error) => failed("prune", error));

  const ready: Promise<void> = target
    ? new Promise<void>((resolveReady) => {
        store = openStore(target!);
        writer = createWriter(store);
        let warned = false;
        const attempt = () => {
          store!
            .migrate()
            .then((applied) => {
              if (closed) return resolveReady();
              state = "ready";
              succeeded();
              if (applied.length) log({ event: "analytics-migrated", applied, store: target!.kind });
              void prune();
              pruneTimer = setInterval(() => void prune(), 6 * 3600_000);
              pruneTimer.unref();
              resolveReady();
            })
            .catch((error: unknown) => {
              if (closed) return resolveReady();
              const message = error instanceof Error ? error.message : String(error);
              if (target!.kind === "sqlite") {
                // A file that cannot be opened or written does not get better by waiting.
                state = "unavailable";
                why = `the SQLite store under DATA_DIR could not be opened (${message.slice(0, 120)}): nothing is recorded. Set DATA_DIR to a writable folder, or DATABASE_URL.`;
                warn(why);
                return resolveReady();
              }
              // PostgreSQL may come up later: keep trying, say so once, answer 503 meanwhile.
              if (!warned) {
                warned = true;
                warn(`the analytics database (DATABASE_URL) cannot be reached yet (${message.slice(0, 120)}); retrying every 5 s, nothing is recorded meanwhile.`);
                resolveReady();
              }
              failed("migrate", error);
              retryTimer = setTimeout(attempt, 5000);
              retryTimer.unref();
            });
        };
        attempt();
      })
    : Promise.resolve();

  const available = () => state === "ready";

  // Shares never change once recorded: remember them, so events and repeated mints skip the database.
  const known = new LRUCache<string, { fid: number; design: string }>({ max: 100_000 });
  const findShare = async (id: string) => {
    const hit = known.get(id);
    if (hit) return hit;
    try {
      const found = await store!.share(id);
      succeeded();
      if (found) known.set(id, found);
      return found;
    } catch (error) {
      failed("lookup", error);
      throw error;
    }
  };

  const deriveId = shareIdDeriver(options.shareSecret ?? null);

  const recordShare = async (share: ShareInput, budgetMs = RECORD_SHARE_BUDGET_MS): Promise<boolean> => {
    if (state === "unavailable" || !writer || !SHARE_ID.test(share.id)) return false;
    if (known.has(share.id)) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolveDeadline) => {
      timer = setTimeout(resolveDeadline, Math.max(0, budgetMs));
    });
    const write = ready
      .then(() => {
        if (!available()) throw new Error("the analytics store is not available");
        return writer!.share({ ...share, at: now() });
      })
      .then(
        () => {
          succeeded();
          known.set(share.id, { fid: share.fid, design: share.design });
          return true;
        },
        (error: unknown) => {
          failed("share", error);
          return false;
        },
      );
    const outcome = await Promise.race([write, deadline.then(() => "late" as const)]);
    clearTimeout(timer);
    if (outcome === "late") failed("share", new Error(`not recorded within ${budgetMs} ms`));
    return outcome === true;
  };

  const events = createEventsRoute({
    verify,
    findShare,
    available,
    now,
    limits: options.limits,
    record: (event) =>
      writer!.event(event).then(succeeded, (error: unknown) => {
        failed("event", error);
        throw error;
      }),
  });

  const readStats = (days: number): Promise<Stats> =>
    store!.stats(days, now()).then(
      (stats) => {
        succeeded();
        return stats;
      },
      (error: unknown) => {
        failed("stats", error);
        throw error;
      },
    );

  const stats = createStatsRoute({ access, available, stats: readStats });

  const dashboard = async (request: Request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed", { allow: "GET, HEAD" });
    const denied = checkAccess(request, access, { basic: true });
    if (denied) return denied;
    const url = new URL(request.url);
    const days = parseDays(url);
    if (!days.ok) return days.response;
    const page = (status: number, body: string) =>
      new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-robots-tag": "noindex" } });
    const render = { appName, days: days.days, path: url.pathname };
    if (!available()) {
      const reason = state === "starting" ? "The analytics store is starting or cannot be reached yet; try again shortly." : why;
      return page(503, renderDashboard(null, { ...render, unavailable: reason || "The analytics store is not available." }));
    }
    try {
      return page(200, renderDashboard(await readStats(days.days), render));
    } catch {
      return page(503, renderDashboard(null, { ...render, unavailable: "The analytics store cannot be read right now; try again shortly." }));
    }
  };

  return {
    shareId: deriveId,
    recordShare,
    events,
    stats,
    dashboard,
    state: () => state,
    ready,
    target,
    async close() {
      closed = true;
      if (pruneTimer) clearInterval(pruneTimer);
      if (retryTimer) clearTimeout(retryTimer);
      await writer?.drain();
      await (store as Store | null)?.close();
    },
  };
}

