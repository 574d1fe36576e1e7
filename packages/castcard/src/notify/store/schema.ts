// The notification tables, kept in the analytics store (one database, one Kysely layer; their
// migration is in analytics/db beside the others). Only fids, share ids, tokens and times.
import type { Kysely } from "kysely";

export interface NotifyTables {
  /**
   * One token per (user fid, client app fid): a client's token never overwrites another client's.
   * `last_sent_at`, `sent_day` and `sent_today` hold the token's sending limits (1 per 30 s, 100 a day).
   */
  castcard_notify_tokens: {
    fid: number;
    app_fid: number;
    url: string;
    token: string;
    at: number;
    last_sent_at: number;
    sent_day: number;
    sent_today: number;
  };
  /** Each viewer counted once per share (the minter's own launches are not counted). */
  castcard_notify_viewers: { share_id: string; viewer_fid: number };
  /** Distinct viewers of a share other than its minter: a milestone is crossed when a batch takes it past one. */
  castcard_notify_reach: { share_id: string; fid: number; viewers: number };
  /**
   * Due notifications: one row per (share, client app), the newest milestone reached. Written in
   * the transaction of the launch that made it due; deleted once delivered, given up or its token
   * gone. `next_at` is when it may next be tried (a claim pushes it forward: a lease).
   */
  castcard_notify_outbox: {
    share_id: string;
    app_fid: number;
    fid: number;
    milestone: number;
    next_at: number;
    first_at: number;
    attempts: number;
  };
  /** The analytics table of shares, read for a share's minter (see analytics/db/schema.ts). */
  castcard_shares: { id: string; fid: number };
  /** What was sent and opened per UTC day. */
  castcard_notify_daily: {
    day: number;
    sent: number;
    delivered: number;
    invalid: number;
    rate_limited: number;
    failed: number;
    opens: number;
  };
}

export type DatabaseKind = "sqlite" | "postgres";

/** The store notifications use: the analytics database, once it is ready. */
export interface NotifyDb {
  kind: DatabaseKind;
  db: Kysely<NotifyTables>;
}

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
export const num = (value: unknown) => Number(value ?? 0);
