/**
 * The analytics tables. Only fids, cast hashes, share ids, designs, times, and each share's card
 * (the public name, avatar URL and values its image URL already carries): no addresses or user
 * agents. Times are milliseconds since the epoch; `day` is the UTC day number (days since
 * 1970-01-01), stored beside each time so both databases group by the same integer.
 *
 * Raw rows (shares, casts, cancels, launches) are the record; the three roll-ups are kept in the
 * same transaction as the rows they count, so the stats read a few hundred rows, not every launch.
 */
export interface AnalyticsTables {
  /** `card`: the shared card's canonical query at the embed size; null for shares recorded before it was kept. */
  castcard_shares: { id: string; fid: number; design: string; at: number; day: number; card: string | null };
  /** One row per (share, cast hash): a report repeated by a retry is counted once. */
  castcard_casts: { share_id: string; hash: string; at: number; day: number };
  castcard_cancels: { share_id: string; at: number; day: number };
  castcard_launches: { share_id: string; at: number; day: number; viewer_fid: number | null; cast_hash: string | null; cast_fid: number | null };
  /** Counts per UTC day and design. */
  castcard_daily: { day: number; design: string; shares: number; casts: number; cancels: number; launches: number };
  /** Launches per share and UTC day (the top shares of any window). */
  castcard_share_daily: { share_id: string; day: number; launches: number };
  /** The last day each viewer launched within a scope: `*` (any share), `d:<design>` or `s:<share>`. */
  castcard_viewers: { scope: string; viewer_fid: number; last_day: number };
  /**
   * How many viewers of a scope have their last launch on each day, kept in step with
   * castcard_viewers (a viewer moving from day d1 to d2 is -1 on d1, +1 on d2). Stats windows
   * always end today, so distinct viewers in the last N days is a sum over at most N rows, however
   * many viewers there are.
   */
  castcard_viewer_days: { scope: string; day: number; viewers: number };
  castcard_migrations: { name: string; at: number };
}

export const DAY_MS = 86_400_000;
export const dayOf = (ms: number) => Math.floor(ms / DAY_MS);
export const isoDay = (day: number) => new Date(day * DAY_MS).toISOString().slice(0, 10);

/** The two stores the one query layer runs on. */
export type DatabaseKind = "sqlite" | "postgres";
