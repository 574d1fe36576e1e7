import type { Kysely } from "kysely";
import { num, type Counts, type Stats } from "./records";
import { dayOf, isoDay, type AnalyticsTables } from "./schema";

type Db = Kysely<AnalyticsTables>;

/** How many shares the stats list, most launched first. */
export const TOP_SHARES = 50;

/** The share's minter and design, or null when no such share was recorded. */
export async function findShare(db: Db, id: string): Promise<{ fid: number; design: string } | null> {
  const row = await db.selectFrom("castcard_shares").select(["fid", "design"]).where("id", "=", id).executeTakeFirst();
  return row ? { fid: num(row.fid), design: row.design } : null;
}

const emptyDesign = (design: string) => ({ design, shares: 0, casts: 0, cancels: 0, launches: 0, viewers: 0 });

/** Totals, per design and per day, from the daily roll-up and the viewer days since `first`. */
async function countWindow(db: Db, first: number) {
  const [dailyRows, viewerRows] = await Promise.all([
    db.selectFrom("castcard_daily").select(["day", "design", "shares", "casts", "cancels", "launches"]).where("day", ">=", first).execute(),
    // Viewers in the window, overall and per design (scopes `*` and `d:…`), from one index range each.
    db
      .selectFrom("castcard_viewer_days")
      .select(["scope", (eb) => eb.fn.sum<number>("viewers").as("n")])
      .where((eb) => eb.or([eb("scope", "=", "*"), eb.and([eb("scope", ">=", "d:"), eb("scope", "<", "d;")])]))
      .where("day", ">=", first)
      .groupBy("scope")
      .execute(),
  ]);
  const totals: Counts = { shares: 0, casts: 0, cancels: 0, launches: 0, viewers: 0 };
  const designs = new Map<string, { design: string } & Counts>();
  const perDay = new Map<number, { shares: number; casts: number; launches: number }>();
  for (const row of dailyRows) {
    const counts = { shares: num(row.shares), casts: num(row.casts), cancels: num(row.cancels), launches: num(row.launches) };
    let design = designs.get(row.design);
    if (!design) designs.set(row.design, (design = emptyDesign(row.design)));
    const day = perDay.get(num(row.day)) ?? { shares: 0, casts: 0, launches: 0 };
    perDay.set(num(row.day), day);
    for (const key of ["shares", "casts", "cancels", "launches"] as const) {
      totals[key] += counts[key];
      design[key] += counts[key];
    }
    day.shares += counts.shares;
    day.casts += counts.casts;
    day.launches += counts.launches;
  }
  for (const row of viewerRows) {
    if (row.scope === "*") totals.viewers = num(row.n);
    else {
      const name = row.scope.slice(2);
      let design = designs.get(name);
      if (!design) designs.set(name, (design = emptyDesign(name)));
      design.viewers = num(row.n);
    }
  }
  return { totals, designs, perDay };
}

/** The most launched shares since `first`, with their minter, design, latest cast and viewers. */
async function topShares(db: Db, first: number): Promise<Stats["top"]> {
  const topRows = await db
    .selectFrom("castcard_share_daily")
    .select(["share_id", (eb) => eb.fn.sum<number>("launches").as("n")])
    .where("day", ">=", first)
    .groupBy("share_id")
    .orderBy("n", "desc")
    .orderBy("share_id")
    .limit(TOP_SHARES)
    .execute();
  if (topRows.length === 0) return [];
  const ids = topRows.map((r) => r.share_id);
  const [shareRows, castRows, viewerRows] = await Promise.all([
    db.selectFrom("castcard_shares").select(["id", "fid", "design"]).where("id", "in", ids).execute(),
    db.selectFrom("castcard_casts").select(["share_id", "hash", "at"]).where("share_id", "in", ids).execute(),
    db
      .selectFrom("castcard_viewer_days")
      .select(["scope", (eb) => eb.fn.sum<number>("viewers").as("n")])
      .where("scope", "in", ids.map((id) => `s:${id}`))
      .where("day", ">=", first)
      .groupBy("scope")
      .execute(),
  ]);
  const shareOf = new Map(shareRows.map((r) => [r.id, r]));
  const latestCast = new Map<string, { hash: string; at: number }>();
  for (const row of castRows) {
    const seen = latestCast.get(row.share_id);
    if (!seen || num(row.at) > seen.at) latestCast.set(row.share_id, { hash: row.hash, at: num(row.at) });
  }
  const viewersOf = new Map(viewerRows.map((r) => [r.scope.slice(2), num(r.n)]));
  return topRows.flatMap((row) => {
    const share = shareOf.get(row.share_id);
    // A share pruned by retention, whose launches remain from inside the window: leave it out.
    if (!share) return [];
    const castHash = latestCast.get(row.share_id)?.hash ?? null;
    return [{ share: row.share_id, fid: num(share.fid), design: share.design, castHash, launches: num(row.n), viewers: viewersOf.get(row.share_id) ?? 0 }];
  });
}

/** The stats of the last `days` UTC days, today included. */
export async function readStats(db: Db, days: number, now: number): Promise<Stats> {
  const today = dayOf(now);
  const first = today - days + 1;
  const [{ totals, designs, perDay }, top] = await Promise.all([countWindow(db, first), topShares(db, first)]);
  const dayList: Stats["days"] = [];
  for (let d = first; d <= today; d++) dayList.push({ day: isoDay(d), ...(perDay.get(d) ?? { shares: 0, casts: 0, launches: 0 }) });
  const designList = [...designs.values()].sort((a, b) => b.shares - a.shares || b.launches - a.launches || a.design.localeCompare(b.design));
  return { totals, designs: designList, days: dayList, top };
}
