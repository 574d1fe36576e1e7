import { sql, type Transaction } from "kysely";
import type { DatabaseKind } from "./migrations";
import { num, sorted } from "./records";
import type { AnalyticsTables } from "./schema";

type Tx = Transaction<AnalyticsTables>;
export type ViewerRow = { scope: string; viewer_fid: number; last_day: number };

const CHUNK = 1000;
const keyOf = (r: { scope: string; viewer_fid: number | string }) => `${r.scope}\u0000${Number(r.viewer_fid)}`;

/** (scope, viewer_fid) among pairs: PostgreSQL takes a list of row values; SQLite only a subquery, so VALUES there. */
const pairIn = (kind: DatabaseKind, rows: ViewerRow[]) =>
  kind === "postgres"
    ? sql<boolean>`(scope, viewer_fid) in (${sql.join(rows.map((r) => sql`(${r.scope}, ${r.viewer_fid}::bigint)`))})`
    : sql<boolean>`(scope, viewer_fid) in (values ${sql.join(rows.map((r) => sql`(${r.scope}, ${r.viewer_fid})`))})`;

/** Viewers per (scope, day), as changes to add to castcard_viewer_days. */
class DayDeltas {
  readonly rows = new Map<string, { scope: string; day: number; viewers: number }>();
  add(scope: string, day: number, n: number) {
    const k = `${scope}\u0000${day}`;
    const row = this.rows.get(k);
    if (row) row.viewers += n;
    else this.rows.set(k, { scope, day, viewers: n });
  }
}

/** Inserts the chunk's new viewers, and moves the last day of those already there forward. */
async function recordChunk(tx: Tx, kind: DatabaseKind, chunk: ViewerRow[], delta: DayDeltas) {
  const inserted = await tx
    .insertInto("castcard_viewers")
    .values(chunk)
    .onConflict((oc) => oc.columns(["scope", "viewer_fid"]).doNothing())
    .returning(["scope", "viewer_fid"])
    .execute();
  const fresh = new Set(inserted.map(keyOf));
  const existing = chunk.filter((r) => !fresh.has(keyOf(r)));
  for (const r of chunk) if (fresh.has(keyOf(r))) delta.add(r.scope, r.last_day, 1);
  if (existing.length === 0) return;
  const wanted = new Map(existing.map((r) => [keyOf(r), r]));
  let read = tx.selectFrom("castcard_viewers").select(["scope", "viewer_fid", "last_day"]).where(pairIn(kind, existing));
  if (kind === "postgres") read = read.forUpdate();
  const moves = new Map<number, ViewerRow[]>();
  for (const row of await read.execute()) {
    const next = wanted.get(keyOf(row))!;
    const before = num(row.last_day);
    if (before >= next.last_day) continue;
    delta.add(next.scope, before, -1);
    delta.add(next.scope, next.last_day, 1);
    const list = moves.get(next.last_day) ?? [];
    list.push(next);
    moves.set(next.last_day, list);
  }
  for (const [day, rows] of moves) {
    await tx.updateTable("castcard_viewers").set({ last_day: day }).where(pairIn(kind, rows)).execute();
  }
}

/**
 * Moves each viewer's last day forward in its scopes and keeps castcard_viewer_days in step: a
 * viewer new to a scope is +1 on its day; one whose last day moves is -1 on the old day and +1
 * on the new. New rows are told apart by the insert itself (rows it did not insert were there),
 * and existing rows are read locked (PostgreSQL: FOR UPDATE; SQLite: the transaction holds the
 * write lock), so two instances never count one move twice.
 */
export async function recordViewers(tx: Tx, kind: DatabaseKind, all: ViewerRow[]): Promise<void> {
  const delta = new DayDeltas();
  sorted(all, keyOf);
  for (let i = 0; i < all.length; i += CHUNK) await recordChunk(tx, kind, all.slice(i, i + CHUNK), delta);
  const changes = sorted(
    [...delta.rows.values()].filter((d) => d.viewers !== 0),
    (r) => `${r.scope}\u0000${r.day}`,
  );
  for (let i = 0; i < changes.length; i += CHUNK) {
    await tx
      .insertInto("castcard_viewer_days")
      .values(changes.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(["scope", "day"]).doUpdateSet((eb) => ({ viewers: eb("castcard_viewer_days.viewers", "+", eb.ref("excluded.viewers")) })))
      .execute();
  }
}
