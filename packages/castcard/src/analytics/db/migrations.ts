import { sql, type Kysely } from "kysely";
import { NOTIFY_MIGRATIONS } from "./notify-migrations";
import type { AnalyticsTables } from "./schema";

import type { DatabaseKind } from "./schema";

export type { DatabaseKind };

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

interface Migration {
  name: string;
  up(db: AnyDb, kind: DatabaseKind): Promise<void>;
}

/**
 * Every schema change, in order, written once with Kysely's schema builder for both databases.
 * Append; never edit one that has shipped.
 */
export const MIGRATIONS: Migration[] = [
  {
    name: "0001-analytics",
    async up(db) {
      await db.schema
        .createTable("castcard_shares")
        .addColumn("id", "text", (c) => c.primaryKey())
        .addColumn("fid", "bigint", (c) => c.notNull())
        .addColumn("design", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("castcard_shares_at").on("castcard_shares").column("at").execute();

      await db.schema
        .createTable("castcard_casts")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("hash", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("castcard_casts_pk", ["share_id", "hash"])
        .execute();
      await db.schema.createIndex("castcard_casts_at").on("castcard_casts").column("at").execute();

      await db.schema
        .createTable("castcard_cancels")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .execute();
      await db.schema.createIndex("castcard_cancels_at").on("castcard_cancels").column("at").execute();

      await db.schema
        .createTable("castcard_launches")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("viewer_fid", "bigint")
        .addColumn("cast_hash", "text")
        .addColumn("cast_fid", "bigint")
        .execute();
      await db.schema.createIndex("castcard_launches_at").on("castcard_launches").column("at").execute();

      await db.schema
        .createTable("castcard_daily")
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("design", "text", (c) => c.notNull())
        .addColumn("shares", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("casts", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("cancels", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("launches", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("castcard_daily_pk", ["day", "design"])
        .execute();

      await db.schema
        .createTable("castcard_share_daily")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("launches", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("castcard_share_daily_pk", ["share_id", "day"])
        .execute();
      await db.schema.createIndex("castcard_share_daily_day").on("castcard_share_daily").columns(["day", "share_id", "launches"]).execute();

      await db.schema
        .createTable("castcard_viewers")
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("viewer_fid", "bigint", (c) => c.notNull())
        .addColumn("last_day", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("castcard_viewers_pk", ["scope", "viewer_fid"])
        .execute();

      await db.schema
        .createTable("castcard_viewer_days")
        .addColumn("scope", "text", (c) => c.notNull())
        .addColumn("day", "integer", (c) => c.notNull())
        .addColumn("viewers", "integer", (c) => c.notNull())
        .addPrimaryKeyConstraint("castcard_viewer_days_pk", ["scope", "day"])
        .execute();
    },
  },
  // The notification tables (notify-migrations.ts).
  ...NOTIFY_MIGRATIONS,
  {
    // Each share keeps its card (its canonical query at the embed size, at most a card URL's
    // 1024 characters), so a sharer's reach can show it. Shares recorded before keep null.
    name: "0002-share-card",
    async up(db) {
      await db.schema.alterTable("castcard_shares").addColumn("card", "text").execute();
    },
  },
];

/** Any number: it only has to differ from other advisory locks taken on the same server. */
const POSTGRES_LOCK = 0x6361_7374_6361_7264n; // "castcard"

/**
 * Brings the schema up to date in one transaction that also holds a lock, so two instances
 * starting at once cannot both apply a migration: PostgreSQL takes a transaction-scoped advisory
 * lock; SQLite's `BEGIN IMMEDIATE` (the dialect's transactions) takes the file's write lock and the
 * other process waits for it. Both databases apply DDL transactionally: a failed migration leaves
 * nothing behind. Returns the names applied by this call.
 */
export async function migrate(db: Kysely<AnalyticsTables>, kind: DatabaseKind): Promise<string[]> {
  return (db as AnyDb).transaction().execute(async (tx) => {
    if (kind === "postgres") await sql`select pg_advisory_xact_lock(${sql.lit(POSTGRES_LOCK.toString())}::bigint)`.execute(tx);
    await tx.schema
      .createTable("castcard_migrations")
      .ifNotExists()
      .addColumn("name", "text", (c) => c.primaryKey())
      .addColumn("at", "bigint", (c) => c.notNull())
      .execute();
    const done = new Set((await tx.selectFrom("castcard_migrations").select("name").execute()).map((r: { name: string }) => r.name));
    const applied: string[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.name)) continue;
      await migration.up(tx, kind);
      await tx.insertInto("castcard_migrations").values({ name: migration.name, at: Date.now() }).execute();
      applied.push(migration.name);
    }
    return applied;
  });
}
