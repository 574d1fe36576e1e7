// Reach milestones, counted inside the transaction that records the launches: when a share's
// distinct viewers (its minter excluded) reach a milestone, the notification is due in the same
// commit (an outbox row per client the minter has notifications on with), so a crash never loses one.
import { sql, type Kysely } from "kysely";
import { num, type NotifyTables } from "../store/schema";

/** A launch as the analytics writer records it: the share it came from and who launched (if known). */
export interface LaunchSeen {
  share: string;
  viewerFid: number | null;
}

/** The highest milestone at or below `viewers`, or 0. */
export function milestoneFor(viewers: number, milestones: readonly number[]): number {
  let reached = 0;
  for (const m of milestones) if (viewers >= m) reached = m;
  return reached;
}

const sortedUnique = <T>(rows: T[], key: (row: T) => string) => [...new Map(rows.map((r) => [key(r), r])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1));

/**
 * Counts the batch's new viewers per share and writes what became due. Costs nothing for launches
 * without a viewer fid; three statements when some viewer is new to a share; one more per share
 * that crosses a milestone. Rows are written in key order, so concurrent writers cannot deadlock.
 * Returns how many notifications became due.
 */
export async function recordReach(db: Kysely<NotifyTables>, launches: readonly LaunchSeen[], milestones: readonly number[], now: number): Promise<number> {
  const seen = sortedUnique(
    launches.filter((l): l is { share: string; viewerFid: number } => l.viewerFid !== null),
    (l) => `${l.share}\u0000${l.viewerFid}`,
  );
  if (seen.length === 0) return 0;
  const shareIds = [...new Set(seen.map((l) => l.share))];
  const minters = new Map((await db.selectFrom("castcard_shares").select(["id", "fid"]).where("id", "in", shareIds).execute()).map((r) => [r.id, num(r.fid)]));
  const counted = seen.filter((l) => minters.has(l.share) && minters.get(l.share) !== l.viewerFid);
  if (counted.length === 0) return 0;

  const fresh = await db
    .insertInto("castcard_notify_viewers")
    .values(counted.map((l) => ({ share_id: l.share, viewer_fid: l.viewerFid })))
    .onConflict((oc) => oc.columns(["share_id", "viewer_fid"]).doNothing())
    .returning("share_id")
    .execute();
  if (fresh.length === 0) return 0;
  const added = new Map<string, number>();
  for (const row of fresh) added.set(row.share_id, (added.get(row.share_id) ?? 0) + 1);

  const reach = await db
    .insertInto("castcard_notify_reach")
    .values([...added].sort(([a], [b]) => (a < b ? -1 : 1)).map(([share, n]) => ({ share_id: share, fid: minters.get(share)!, viewers: n })))
    .onConflict((oc) => oc.column("share_id").doUpdateSet((eb) => ({ viewers: eb("castcard_notify_reach.viewers", "+", eb.ref("excluded.viewers")) })))
    .returning(["share_id", "fid", "viewers"])
    .execute();

  // The count before this batch is the count after less what it added: no second read or write.
  const crossed = reach
    .map((r) => ({ share: r.share_id, fid: num(r.fid), milestone: milestoneFor(num(r.viewers), milestones), before: milestoneFor(num(r.viewers) - added.get(r.share_id)!, milestones) }))
    .filter((r) => r.milestone > r.before)
    .sort((a, b) => (a.share < b.share ? -1 : 1));
  if (crossed.length === 0) return 0;
  // One statement: a row per client the minter has a token with. (Casts: PostgreSQL cannot type a
  // bare parameter in a select list.)
  let due = 0;
  for (const r of crossed) {
    const inserted = await db
      .insertInto("castcard_notify_outbox")
      .columns(["share_id", "app_fid", "fid", "milestone", "next_at", "first_at", "attempts"])
      .expression((eb) =>
        eb
          .selectFrom("castcard_notify_tokens")
          .select([
            sql<string>`cast(${r.share} as text)`.as("share_id"),
            "app_fid",
            "fid",
            sql<number>`cast(${r.milestone} as integer)`.as("milestone"),
            sql<number>`cast(${now} as bigint)`.as("next_at"),
            sql<number>`cast(${now} as bigint)`.as("first_at"),
            sql<number>`cast(0 as integer)`.as("attempts"),
          ])
          .where("fid", "=", r.fid)
          .orderBy("app_fid"),
      )
      // A milestone still waiting (a token's limit, a retry) is replaced by the newer one: only the
      // newest reached is sent, with its own id, and its hour of retries starts again.
      .onConflict((oc) =>
        oc.columns(["share_id", "app_fid"]).doUpdateSet((eb) => ({
          milestone: eb.ref("excluded.milestone"),
          first_at: eb.ref("excluded.first_at"),
          attempts: 0,
        })),
      )
      // Rows back, not a row count: inside a transaction the SQLite store reports no count for a
      // write that asks for nothing back.
      .returning("share_id")
      .execute();
    due += inserted.length;
  }
  return due;
}
