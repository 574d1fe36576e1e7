import { Kysely, PostgresDialect, PostgresDriver, type PostgresDialectConfig } from "kysely";
import pg from "pg";
import { probe, prune } from "./maintenance";
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
  /** One small committed write that changes nothing: rejects while the store cannot take writes. */
  probe(): Promise<void>;
  close(): Promise<void>;
}

export interface StoreOptions {
  /** PostgreSQL: the longest a statement may run (maintenance scripts raise it). */
  timeoutMs?: number;
}

/**
 * A rollback on a connection that broke mid-transaction fails too ("not queryable"); Kysely would
 * then throw that instead of what broke it. The pool drops a broken client when it is released, so
 * the rollback's own failure is dropped here and the transaction's cause is what callers see.
 */
class CauseKeepingDriver extends PostgresDriver {
  override async rollbackTransaction(connection: Parameters<PostgresDriver["rollbackTransaction"]>[0]): Promise<void> {
    await super.rollbackTransaction(connection).catch(() => undefined);
  }
}

class CauseKeepingDialect extends PostgresDialect {
  readonly #config: PostgresDialectConfig;
  constructor(config: PostgresDialectConfig) {
    super(config);
    this.#config = config;
  }
  override createDriver() {
    return new CauseKeepingDriver(this.#config);
  }
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
  // A client whose server goes away emits 'error': idle ones on the pool, checked-out ones (a query
  // or a transaction under way) on the client itself, where pg puts no listener. Unheard, either
  // ends the process. The queries under way fail with the cause, the pool drops the client, and the
  // next query reconnects.
  pool.on("error", () => undefined);
  pool.on("connect", (client) => client.on("error", () => undefined));
  return new Kysely<AnalyticsTables>({ dialect: new CauseKeepingDialect({ pool }) });
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
    probe: () => probe(db),
    close: () => db.destroy(),
  };
}
