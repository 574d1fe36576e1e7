import type { Kysely, Transaction } from "kysely";
import type { DatabaseKind } from "./migrations";
import { num, sorted, type EventRecord, type ShareRecord } from "./records";
import { dayOf, type AnalyticsTables } from "./schema";
import { recordViewers, type ViewerRow } from "./viewers";

type Tx = Transaction<AnalyticsTables>;
type Field = "shares" | "casts" | "cancels" | "launches";
type LaunchRecord = Extract<EventRecord, { type: "launch" }>;

/** Counts per (day, design), added to castcard_daily once per batch. */
class DailyCounts {
  readonly rows = new Map<string, { day: number; design: string; shares: number; casts: number; cancels: number; launches: number }>();
  bump(day: number, design: string, field: Field) {
    const key = `${day}\u0000${design}`;
    let row = this.rows.get(key);
    if (!row) this.rows.set(key, (row = { day, design, shares: 0, casts: 0, cancels: 0, launches: 0 }));
    row[field] += 1;
  }
}

async function insertShares(tx: Tx, shares: readonly ShareRecord[], daily: DailyCounts) {
  const unique = [...new Map(shares.map((s) => [s.id, s])).values()];
  const inserted = await tx
    .insertInto("castcard_shares")
    .values(unique.map((s) => ({ id: s.id, fid: s.fid, design: s.design, at: s.at, day: dayOf(s.at), card: s.card ?? null })))
    .onConflict((oc) => oc.column("id").doNothing())
    .returning(["design", "day"])
    .execute();
  for (const row of inserted) daily.bump(num(row.day), row.design, "shares");
}

async function insertCasts(tx: Tx, casts: Array<Extract<EventRecord, { type: "cast" }>>, daily: DailyCounts) {
  const unique = [...new Map(casts.map((c) => [`${c.share}\u0000${c.hash}`, c])).values()];
  const designOf = new Map(unique.map((c) => [c.share, c.design]));
  const inserted = await tx
    .insertInto("castcard_casts")
    .values(unique.map((c) => ({ share_id: c.share, hash: c.hash, at: c.at, day: dayOf(c.at) })))
    .onConflict((oc) => oc.columns(["share_id", "hash"]).doNothing())
    .returning(["share_id", "day"])
    .execute();
  for (const row of inserted) daily.bump(num(row.day), designOf.get(row.share_id)!, "casts");
}

async function insertCancels(tx: Tx, cancels: Array<Extract<EventRecord, { type: "cancel" }>>, daily: DailyCounts) {
  await tx
    .insertInto("castcard_cancels")
    .values(cancels.map((c) => ({ share_id: c.share, at: c.at, day: dayOf(c.at) })))
    .execute();
  for (const c of cancels) daily.bump(dayOf(c.at), c.design, "cancels");
}

/** The launches' roll-ups: launches per (share, day), and each viewer's last day per scope. */
function launchRollups(launches: LaunchRecord[], daily: DailyCounts) {
  const perShareDay = new Map<string, { share_id: string; day: number; launches: number }>();
  const viewers = new Map<string, ViewerRow>();
  const seen = (scope: string, fid: number, day: number) => {
    const key = `${scope}\u0000${fid}`;
    const row = viewers.get(key);
    if (!row) viewers.set(key, { scope, viewer_fid: fid, last_day: day });
    else row.last_day = Math.max(row.last_day, day);
  };
  for (const l of launches) {
    const day = dayOf(l.at);
    daily.bump(day, l.design, "launches");
    const key = `${l.share}\u0000${day}`;
    const row = perShareDay.get(key);
    if (row) row.launches++;
    else perShareDay.set(key, { share_id: l.share, day, launches: 1 });
    if (l.viewerFid !== null) {
      seen("*", l.viewerFid, day);
      seen(`d:${l.design}`, l.viewerFid, day);
      seen(`s:${l.share}`, l.viewerFid, day);
    }
  }
  return { perShareDay: sorted([...perShareDay.values()], (r) => `${r.share_id}\u0000${r.day}`), viewers: [...viewers.values()] };
}

async function insertLaunches(tx: Tx, kind: DatabaseKind, launches: LaunchRecord[], daily: DailyCounts) {
  await tx
    .insertInto("castcard_launches")
    .values(launches.map((l) => ({ share_id: l.share, at: l.at, day: dayOf(l.at), viewer_fid: l.viewerFid, cast_hash: l.castHash, cast_fid: l.castFid })))
    .execute();
  const { perShareDay, viewers } = launchRollups(launches, daily);
  await tx
    .insertInto("castcard_share_daily")
    .values(perShareDay)
    .onConflict((oc) => oc.columns(["share_id", "day"]).doUpdateSet((eb) => ({ launches: eb("castcard_share_daily.launches", "+", eb.ref("excluded.launches")) })))
    .execute();
  if (viewers.length) await recordViewers(tx, kind, viewers);
}

async function addDaily(tx: Tx, daily: DailyCounts) {
  await tx
    .insertInto("castcard_daily")
    .values(sorted([...daily.rows.values()], (r) => `${r.day}\u0000${r.design}`))
    .onConflict((oc) =>
      oc.columns(["day", "design"]).doUpdateSet((eb) => ({
        shares: eb("castcard_daily.shares", "+", eb.ref("excluded.shares")),
        casts: eb("castcard_daily.casts", "+", eb.ref("excluded.casts")),
        cancels: eb("castcard_daily.cancels", "+", eb.ref("excluded.cancels")),
        launches: eb("castcard_daily.launches", "+", eb.ref("excluded.launches")),
      })),
    )
    .execute();
}

/**
 * Runs inside the transaction that records launches, after them: what else must commit with them
 * (notifications made due by the launches). A failure rolls the whole batch back.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type LaunchHook = (tx: Kysely<any>, launches: ReadonlyArray<{ share: string; viewerFid: number | null }>) => Promise<void>;

/** Records shares and events, with their roll-ups, in one transaction: when it resolves, all of them are committed. */
export async function writeRecords(db: Kysely<AnalyticsTables>, kind: DatabaseKind, shares: readonly ShareRecord[], events: readonly EventRecord[], onLaunches?: LaunchHook): Promise<void> {
  if (shares.length === 0 && events.length === 0) return;
  const casts = events.filter((e) => e.type === "cast");
  const cancels = events.filter((e) => e.type === "cancel");
  const launches = events.filter((e) => e.type === "launch");
  await db.transaction().execute(async (tx) => {
    const daily = new DailyCounts();
    if (shares.length) await insertShares(tx, shares, daily);
    if (casts.length) await insertCasts(tx, casts, daily);
    if (cancels.length) await insertCancels(tx, cancels, daily);
    if (launches.length) await insertLaunches(tx, kind, launches, daily);
    if (daily.rows.size) await addDaily(tx, daily);
    if (launches.length && onLaunches) await onLaunches(tx, launches);
  });
}
