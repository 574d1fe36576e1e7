import type { DatabaseKind } from "./schema";

/** Where the store lives: one SQLite file, or a PostgreSQL database shared by every instance. */
export type StoreTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export type { DatabaseKind };

export interface ShareRecord {
  id: string;
  fid: number;
  design: string;
  /** Milliseconds since the epoch. */
  at: number;
  /** The card's canonical query at the embed size (what the id derives from); null when not known. */
  card?: string | null;
}

/** An event as stored: the route has already found the share, so its design travels with it. */
export type EventRecord =
  | { type: "cast"; share: string; design: string; at: number; hash: string }
  | { type: "cancel"; share: string; design: string; at: number }
  | { type: "launch"; share: string; design: string; at: number; viewerFid: number | null; castHash: string | null; castFid: number | null };

export interface Counts {
  shares: number;
  casts: number;
  cancels: number;
  launches: number;
  viewers: number;
}

/** The answer of GET /api/stats, exactly. */
export interface Stats {
  totals: Counts;
  designs: Array<{ design: string } & Counts>;
  days: Array<{ day: string; shares: number; casts: number; launches: number }>;
  top: Array<{ share: string; fid: number; design: string; castHash: string | null; launches: number; viewers: number }>;
  /** Present when notifications are on (their counts are kept by notify/). */
  notifications?: NotificationStats;
}

/** Notifications in the window: users with them on per client app, and what was sent and opened per day. */
export interface NotificationStats {
  clients: Array<{ appFid: number; users: number }>;
  totals: { sent: number; delivered: number; invalid: number; rateLimited: number; failed: number; opens: number; openRate: number | null };
  days: Array<{ day: string; sent: number; delivered: number; invalid: number; rateLimited: number; failed: number; opens: number }>;
}

/** A database number as a number: PostgreSQL hands bigint columns and sums back as strings. */
export const num = (value: unknown) => Number(value ?? 0);

/**
 * Rows in one order by key. Every multi-row upsert writes its rows in this order, so two instances
 * writing overlapping rows on PostgreSQL lock them in the same order and cannot deadlock.
 */
export const sorted = <T>(rows: T[], key: (row: T) => string): T[] => {
  // Each key built once, not twice per comparison: a batch sorts thousands of viewer rows.
  const keyed = rows.map((row) => ({ row, k: key(row) }));
  keyed.sort((a, b) => (a.k < b.k ? -1 : a.k > b.k ? 1 : 0));
  for (let i = 0; i < keyed.length; i++) rows[i] = keyed[i]!.row;
  return rows;
};
