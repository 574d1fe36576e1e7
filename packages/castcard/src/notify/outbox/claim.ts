// Taking due notifications out of the outbox and writing back what became of them. A claim is a
// lease: the row's `next_at` moves a minute ahead, so another instance skips it, and one that dies
// mid-send leaves it to be claimed again (at-least-once; the client dedupes the id).
import { sql, type Kysely, type RawBuilder, type Transaction } from "kysely";
import { dayOf, num, type DatabaseKind, type NotifyDb, type NotifyTables } from "../store/schema";

export const TOKEN_INTERVAL_MS = 30_000;
export const TOKEN_DAILY_LIMIT = 100;
export const LEASE_MS = 60_000;
export const RATE_LIMITED_RETRY_MS = 30_000;
/** Failures (5xx, timeouts, connections) are retried with backoff until this long after first due. */
export const GIVE_UP_AFTER_MS = 3600_000;

export interface Claimed {
  share: string;
  appFid: number;
  fid: number;
  milestone: number;
  attempts: number;
  firstAt: number;
  url: string;
  token: string;
}

/** What became of one claimed row. */
export type Outcome = "delivered" | "invalid" | "rate-limited" | "retry" | "dropped";

type Tx = Transaction<NotifyTables>;

/**
 * `(a, b) in (…)` over key pairs, one statement for a whole claim: PostgreSQL takes a list of row
 * values (the number cast, as it cannot type a bare parameter there); SQLite a VALUES list.
 */
function pairsIn(kind: DatabaseKind, columns: [string, string], keys: Array<[string | number, number]>): RawBuilder<boolean> {
  const [a, b] = columns.map((c) => sql.ref(c));
  const rows = keys.map(([x, y]) => (kind === "postgres" ? sql`(${x}, ${y}::bigint)` : sql`(${x}, ${y})`));
  return kind === "postgres" ? sql<boolean>`(${a}, ${b}) in (${sql.join(rows)})` : sql<boolean>`(${a}, ${b}) in (values ${sql.join(rows)})`;
}

/**
 * Claims up to `limit` due rows whose token may be sent to now (30 s since its last, under 100
 * today), at most one per token, and reserves that token's slot. PostgreSQL: rows another instance
 * is claiming are skipped (`FOR UPDATE SKIP LOCKED`); SQLite: the transaction holds the write lock.
 */
export async function claimDue({ db, kind }: NotifyDb, now: number, limit: number): Promise<Claimed[]> {
  const today = dayOf(now);
  return db.transaction().execute(async (tx) => {
    let query = tx
      .selectFrom("castcard_notify_outbox as o")
      .innerJoin("castcard_notify_tokens as t", (j) => j.onRef("t.fid", "=", "o.fid").onRef("t.app_fid", "=", "o.app_fid"))
      .select(["o.share_id", "o.app_fid", "o.fid", "o.milestone", "o.attempts", "o.first_at", "t.url", "t.token"])
      .where("o.next_at", "<=", now)
      .where("t.last_sent_at", "<=", now - TOKEN_INTERVAL_MS)
      .where((eb) => eb.or([eb("t.sent_day", "<", today), eb("t.sent_today", "<", TOKEN_DAILY_LIMIT)]))
      .orderBy("o.next_at")
      .limit(limit);
    if (kind === "postgres") query = query.forUpdate().skipLocked();
    const rows = await query.execute();
    const byToken = new Map<string, Claimed>();
    for (const r of rows) {
      const key = `${num(r.fid)}:${num(r.app_fid)}`;
      if (byToken.has(key)) continue;
      byToken.set(key, { share: r.share_id, appFid: num(r.app_fid), fid: num(r.fid), milestone: num(r.milestone), attempts: num(r.attempts), firstAt: num(r.first_at), url: r.url, token: r.token });
    }
    const claimed = [...byToken.values()];
    if (claimed.length === 0) return claimed;
    await tx
      .updateTable("castcard_notify_outbox")
      .set((eb) => ({ next_at: now + LEASE_MS, attempts: eb("attempts", "+", 1) }))
      .where(pairsIn(kind, ["share_id", "app_fid"], claimed.map((c) => [c.share, c.appFid])))
      .execute();
    await tx
      .updateTable("castcard_notify_tokens")
      .set((eb) => ({
        last_sent_at: now,
        sent_today: eb.case().when("sent_day", "=", today).then(eb("sent_today", "+", 1)).else(1).end(),
        sent_day: today,
      }))
      .where(pairsIn(kind, ["fid", "app_fid"], claimed.map((c) => [c.fid, c.appFid])))
      .execute();
    return claimed;
  });
}

/** Backoff for the nth failed try: 30 s doubling, at most 15 minutes. */
export const backoffMs = (attempts: number) => Math.min(15 * 60_000, 30_000 * 2 ** Math.max(0, attempts - 1));

/** Writes back the outcomes of one send (or of several), and the day's counts, in one transaction. */
export async function settle(notify: NotifyDb, now: number, results: Array<{ row: Claimed; outcome: Outcome }>, posts: number): Promise<void> {
  await notify.db.transaction().execute(async (tx) => {
    const counts = { sent: posts, delivered: 0, invalid: 0, rate_limited: 0, failed: 0, opens: 0 };
    const delivered = results.filter((r) => r.outcome === "delivered").map((r) => r.row);
    counts.delivered = delivered.length;
    await done(tx, notify.kind, delivered, now);
    for (const { row, outcome } of results) {
      if (outcome === "delivered") {
        continue;
      } else if (outcome === "invalid") {
        counts.invalid++;
        // Only this token: the client may have sent a new one for the pair meanwhile.
        await tx.deleteFrom("castcard_notify_tokens").where("fid", "=", row.fid).where("app_fid", "=", row.appFid).where("token", "=", row.token).execute();
        await tx.deleteFrom("castcard_notify_outbox").where("share_id", "=", row.share).where("app_fid", "=", row.appFid).where("milestone", "=", row.milestone).execute();
      } else if (outcome === "rate-limited") {
        counts.rate_limited++;
        await later(tx, row, now + RATE_LIMITED_RETRY_MS);
      } else if (outcome === "dropped" || now - row.firstAt >= GIVE_UP_AFTER_MS) {
        counts.failed++;
        await tx.deleteFrom("castcard_notify_outbox").where("share_id", "=", row.share).where("app_fid", "=", row.appFid).where("milestone", "=", row.milestone).execute();
      } else {
        await later(tx, row, now + backoffMs(row.attempts + 1));
      }
    }
    await count(tx, dayOf(now), counts);
  });
}

/**
 * Delivered: gone from the outbox (one statement per milestone sent), unless a newer milestone
 * replaced the row meanwhile: that one stays, to wait its turn.
 */
async function done(tx: Tx, kind: DatabaseKind, rows: Claimed[], now: number) {
  const byMilestone = new Map<number, Claimed[]>();
  for (const row of rows) byMilestone.set(row.milestone, [...(byMilestone.get(row.milestone) ?? []), row]);
  for (const [milestone, list] of byMilestone) {
    const removed = await tx
      .deleteFrom("castcard_notify_outbox")
      .where("milestone", "=", milestone)
      .where(pairsIn(kind, ["share_id", "app_fid"], list.map((r) => [r.share, r.appFid])))
      .returning(["share_id", "app_fid"])
      .execute();
    const gone = new Set(removed.map((r) => `${r.share_id}\u0000${num(r.app_fid)}`));
    for (const row of list) if (!gone.has(`${row.share}\u0000${row.appFid}`)) await later(tx, row, now);
  }
}

const later = (tx: Tx, row: Claimed, at: number) =>
  tx.updateTable("castcard_notify_outbox").set({ next_at: at }).where("share_id", "=", row.share).where("app_fid", "=", row.appFid).execute();

export async function count(tx: Kysely<NotifyTables>, day: number, counts: Omit<NotifyTables["castcard_notify_daily"], "day">): Promise<void> {
  if (Object.values(counts).every((n) => n === 0)) return;
  await tx
    .insertInto("castcard_notify_daily")
    .values({ day, ...counts })
    .onConflict((oc) =>
      oc.column("day").doUpdateSet((eb) => ({
        sent: eb("castcard_notify_daily.sent", "+", eb.ref("excluded.sent")),
        delivered: eb("castcard_notify_daily.delivered", "+", eb.ref("excluded.delivered")),
        invalid: eb("castcard_notify_daily.invalid", "+", eb.ref("excluded.invalid")),
        rate_limited: eb("castcard_notify_daily.rate_limited", "+", eb.ref("excluded.rate_limited")),
        failed: eb("castcard_notify_daily.failed", "+", eb.ref("excluded.failed")),
        opens: eb("castcard_notify_daily.opens", "+", eb.ref("excluded.opens")),
      })),
    )
    .execute();
}
