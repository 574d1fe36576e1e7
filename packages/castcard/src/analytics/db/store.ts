import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import { prune } from "./maintenance";
import { migrate, type DatabaseKind } from "./migrations";
import type { EventRecord, ShareRecord, Stats, StoreTarget } from "./records";
import type { AnalyticsTables } from "./schema";
import { SqliteWorkerDialect } from "./sqlite";
import { findShare, readStats } from "./stats";
import { writeRecords } from "./writes";

export type { Counts, DatabaseKind, EventRecord, ShareRecord, Stats, StoreTarget } from "./records";
export { TOP_SHARES } from "./stats";

/**
 * The one query layer: every query and write analytics makes, the same on SQLite and PostgreSQL.
 * What it answers lives beside it: writes.ts (shares, events and their roll-ups), stats.ts (the
 * counts and share look-ups), maintenance.ts (retention); migrations.ts keeps the schema.
 */
export interface Store {
  readonly kind: DatabaseKind;
  readonly db: Kysely<AnalyticsTables>;
  /** Applies pending migrations (safe when several instances start at once). */
  migrate(): Promise<string[]>;
  /** Records shares and events in one transaction: when it resolves, all of them are committed. */
  write(shares: readonly ShareRecord[], events: readonly EventRecord[]): Promise<void>;
  /** The share's minter and design, or null when no such share was recorded. */
  share(id: string): Promise<{ fid: number; design: string } | null>;
  /** The last `days` UTC days, today included. */
  stats(days: number, now?: number): Promise<Stats>;
  /** Deletes what is older than `before` (ms): events, roll-ups, and shares with no launch since. */
  prune(before: number): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL: the longest a statement may run (maintenance scripts raise it). */
  timeoutMs?: number;
}

function postgresDb(url: string, timeoutMs: number): Kysely<AnalyticsTables> {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    // A server that does not answer must not hold requests: the callers give up at 1 s for a
    // mint; these bound the work left behind.
    connectionTimeoutMillis: 3000,
    query_timeout: timeoutMs,
    statement_timeout: timeoutMs,
    idleTimeoutMillis: 30_000,
  });
  // An idle client whose server went away emits 'error' on the pool: without a listener, it would
  // end the process. The next query reconnects.
  pool.on("error", () => undefined);
  return new Kysely<AnalyticsTables>({ dialect: new PostgresDialect({ pool }) });
}

/** Opens the database (nothing is read or written until the first call). */
export function openStore(target: StoreTarget, { timeoutMs = 15_000 }: StoreOptions = {}): Store {
  const kind = target.kind;
  const db = target.kind === "sqlite" ? new Kysely<AnalyticsTables>({ dialect: new SqliteWorkerDialect({ file: target.file }) }) : postgresDb(target.url, timeoutMs);
  return {
    kind,
    db,
    migrate: () => migrate(db, kind),
    write: (shares, events) => writeRecords(db, kind, shares, events),
    share: (id) => findShare(db, id),
    stats: (days, now = Date.now()) => readStats(db, days, now),
    prune: (before) => prune(db, before),
    close: () => db.destroy(),
  };
}
