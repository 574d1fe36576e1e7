// analytics/: what a share brings. createAnalytics wires the store's lifecycle (lifecycle.ts), the
// shares (shares.ts) and the events, stats and dashboard routes (events.ts, stats.ts).
import { createQuickAuthVerifier, type VerifyAuthorization } from "../farcaster/auth/index";
import type { RateLimitOptions } from "../http/rate";
import { DAY_MS } from "./db/schema";
import type { Stats, StoreTarget } from "./db/store";
import { createEventsRoute } from "./events";
import { shareIdDeriver } from "./ids";
import { createLifecycle, type AnalyticsState, type Log } from "./lifecycle";
import { createShares, type ShareInput } from "./shares";
import { createDashboardRoute, createStatsRoute } from "./stats";

export type { Stats, Store, StoreTarget, EventRecord, ShareRecord } from "./db/store";
export { openStore } from "./db/store";
export { copyStore } from "./db/copy";
export { rebuildRollups } from "./db/rebuild";
export { renderDashboard } from "./dashboard";
export { SHARE_ID, shareIdDeriver } from "./ids";
export { SQLITE_FILE, type AnalyticsState } from "./lifecycle";
export { RECORD_SHARE_BUDGET_MS, type ShareInput } from "./shares";

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
  /** Starting; ready; or unavailable, from a failed write, look-up or connection until a write succeeds. */
  state(): AnalyticsState;
  /** While unavailable, the cause in a few words (`SQLITE_FULL`, `ECONNREFUSED`…); else null. */
  cause(): string | null;
  /** Resolves once migrations have run (or the store was found unusable). */
  ready: Promise<void>;
  readonly target: StoreTarget;
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
  const now = options.now ?? Date.now;
  const access = { token: options.statsToken ?? null, production: options.production ?? false };
  const verify = options.auth?.required ? (options.verify ?? createQuickAuthVerifier({ origin: options.auth.origin, domain: options.auth.domain })) : null;
  const log = options.log ?? (() => undefined);
  const life = createLifecycle({
    dataDir: options.dataDir,
    databaseUrl: options.databaseUrl,
    retentionMs: (options.retentionDays ?? 400) * DAY_MS,
    log,
    warn: options.warn ?? ((line: string) => console.warn(`castcard: ${line}`)),
    now,
  });
  const shares = createShares(life, log, now);

  const events = createEventsRoute({
    verify,
    findShare: shares.find,
    available: life.available,
    now,
    limits: options.limits,
    record: (event) =>
      life.writer.event(event).then(life.succeeded, (error: unknown) => {
        life.failed("event", error);
        throw error;
      }),
  });

  // A stats read that fails answers 503 and says nothing of the store: writes tell its state.
  const readStats = (days: number): Promise<Stats> => life.store().stats(days, now());

  const statsDeps = { access, available: life.available, stats: readStats };
  return {
    shareId: shareIdDeriver(options.shareSecret ?? null),
    recordShare: shares.record,
    events,
    stats: createStatsRoute(statsDeps),
    dashboard: createDashboardRoute({ ...statsDeps, appName: options.appName ?? "Castcard", unavailableReason: () => (life.state() === "starting" ? null : life.reason()) }),
    state: life.state,
    cause: life.cause,
    ready: life.ready,
    target: life.target,
    close: life.close,
  };
}
