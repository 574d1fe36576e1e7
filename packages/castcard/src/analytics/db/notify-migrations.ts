import type { Kysely } from "kysely";
import type { DatabaseKind } from "./schema";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = Kysely<any>;

/**
 * The notification tables (their types and queries are in notify/store): tokens per (fid, client
 * app), each share's viewers and reach, the outbox of due notifications, and daily counts. Appended to
 * MIGRATIONS; never edit one that has shipped.
 */
export const NOTIFY_MIGRATIONS: Array<{ name: string; up(db: AnyDb, kind: DatabaseKind): Promise<void> }> = [
  {
    name: "0101-notify",
    async up(db) {
      await db.schema
        .createTable("castcard_notify_tokens")
        .addColumn("fid", "bigint", (c) => c.notNull())
        .addColumn("app_fid", "bigint", (c) => c.notNull())
        .addColumn("url", "text", (c) => c.notNull())
        .addColumn("token", "text", (c) => c.notNull())
        .addColumn("at", "bigint", (c) => c.notNull())
        .addColumn("last_sent_at", "bigint", (c) => c.notNull().defaultTo(0))
        .addColumn("sent_day", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("sent_today", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("castcard_notify_tokens_pk", ["fid", "app_fid"])
        .execute();

      await db.schema
        .createTable("castcard_notify_viewers")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("viewer_fid", "bigint", (c) => c.notNull())
        .addPrimaryKeyConstraint("castcard_notify_viewers_pk", ["share_id", "viewer_fid"])
        .execute();

      await db.schema
        .createTable("castcard_notify_reach")
        .addColumn("share_id", "text", (c) => c.primaryKey())
        .addColumn("fid", "bigint", (c) => c.notNull())
        .addColumn("viewers", "integer", (c) => c.notNull())
        .execute();

      await db.schema
        .createTable("castcard_notify_outbox")
        .addColumn("share_id", "text", (c) => c.notNull())
        .addColumn("app_fid", "bigint", (c) => c.notNull())
        .addColumn("fid", "bigint", (c) => c.notNull())
        .addColumn("milestone", "integer", (c) => c.notNull())
        .addColumn("next_at", "bigint", (c) => c.notNull())
        .addColumn("first_at", "bigint", (c) => c.notNull())
        .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
        .addPrimaryKeyConstraint("castcard_notify_outbox_pk", ["share_id", "app_fid"])
        .execute();
      await db.schema.createIndex("castcard_notify_outbox_next").on("castcard_notify_outbox").column("next_at").execute();
      await db.schema.createIndex("castcard_notify_outbox_fid").on("castcard_notify_outbox").columns(["fid", "app_fid"]).execute();

      await db.schema
        .createTable("castcard_notify_daily")
        .addColumn("day", "integer", (c) => c.primaryKey())
        .addColumn("sent", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("delivered", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("invalid", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("rate_limited", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("failed", "integer", (c) => c.notNull().defaultTo(0))
        .addColumn("opens", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
];
