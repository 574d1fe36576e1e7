// Long on purpose: the one query layer. Every query and write analytics makes, for SQLite and
// PostgreSQL alike, lives here and nowhere else.
import { Kysely, PostgresDialect, sql, type Transaction } from "kysely";
import pg from "pg";
import { migrate, type DatabaseKind } from "./migrations";
import { dayOf, isoDay, type AnalyticsTables } from "./schema";
import { SqliteWorkerDialect } from "./sqlite";

export type { DatabaseKind } from "./migrations";

/** Where the store lives: one SQLite file, or a PostgreSQL database shared by every instance. */
export type StoreTarget = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

export interface ShareRecord {
  id: string;
  fid: number;
  design: string;
  /** Milliseconds since the epoch. */
  at: number;
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
}

export interface Store {
  readonly kind: DatabaseKind;
  readonly db: Kysely<AnalyticsTables>;
  /** Applies pending migrations (safe when several instances start at once). */
  migrate(): Promise<string[]>;
  /** Records shares and events in one transaction: when it resolves, all of them are committed. */
  write(shares: readonly ShareRecord[], events: readonly EventRecord[]): Promise<void>;
  /** The share's minter and design, or null when no such share was recorded. */
  share(id: string): Promise<{ fid: number; design: string } | null>;
  /** The last `days` UTC days, today included. */
  stats(days: number, now?: number): Promise<Stats>;
  /** Deletes what is older than `before` (ms): events, roll-ups, and shares with no launch since. */
  prune(before: number): Promise<void>;
  close(): Promise<void>;
}

export const TOP_SHARES = 50;

const num = (value: unknown) => Number(value ?? 0);

/**
 * Rows in one order by key. Every multi-row upsert writes its rows in this order, so two instances
 * writing overlapping rows on PostgreSQL lock them in the same order and cannot deadlock.
 */
const sorted = <T>(rows: T[], key: (row: T) => string) => rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

type Tx = Transaction<AnalyticsTables>;
type ViewerRow = { scope: string; viewer_fid: number; last_day: number };

/** Opens the database (nothing is read or written until the first call). */
export function openStore(target: StoreTarget, { timeoutMs = 15_000 }: { /** PostgreSQL: the longest a statement may run (maintenance scripts raise it). */ timeoutMs?: number } = {}): Store {
  const kind = target.kind;
  let pool: pg.Pool | null = null;
  const db =
    target.kind === "sqlite"
      ? new Kysely<AnalyticsTables>({ dialect: new SqliteWorkerDialect({ file: target.file }) })
      : new Kysely<AnalyticsTables>({
          dialect: new PostgresDialect({
            pool: (pool = new pg.Pool({
              connectionString: target.url,
              max: 4,
              // A server that does not answer must not hold requests: the callers give up at 1 s
              // for a mint; these bound the work left behind.
              connectionTimeoutMillis: 3000,
              query_timeout: timeoutMs,
              statement_timeout: timeoutMs,
              idleTimeoutMillis: 30_000,
            })),
          }),
        });
  // An idle client whose server went away emits 'error' on the pool: without a listener, it would
  // end the process. The next query reconnects.
  pool?.on("error", () => undefined);

  /**
   * Moves each viewer's last day forward in its scopes and keeps castcard_viewer_days in step: a
   * viewer new to a scope is +1 on its day; one whose last day moves is -1 on the old day and +1
   * on the new. New rows are told apart by the insert itself (rows it did not insert were there),
   * and existing rows are read locked (PostgreSQL: FOR UPDATE; SQLite: the transaction holds the
   * write lock), so two instances never count one move twice.
   */
  // (scope, viewer_fid) among pairs: PostgreSQL takes a list of row values; SQLite only a subquery,
  // so VALUES there.
  const pairIn = (rows: ViewerRow[]) =>
    kind === "postgres"
      ? sql<boolean>`(scope, viewer_fid) in (${sql.join(rows.map((r) => sql`(${r.scope}, ${r.viewer_fid}::bigint)`))})`
      : sql<boolean>`(scope, viewer_fid) in (values ${sql.join(rows.map((r) => sql`(${r.scope}, ${r.viewer_fid})`))})`;

  const recordViewers = async (tx: Tx, all: ViewerRow[]) => {
    const key = (r: { scope: string; viewer_fid: number | string }) => `${r.scope}\u0000${Number(r.viewer_fid)}`;
    const delta = new Map<string, { scope: string; day: number; viewers: number }>();
    const add = (scope: string, day: number, n: number) => {
      const k = `${scope}\u0000${day}`;
      const row = delta.get(k);
      if (row) row.viewers += n;
      else delta.set(k, { scope, day, viewers: n });
    };
    sorted(all, key);
    for (let i = 0; i < all.length; i += 1000) {
      const chunk = all.slice(i, i + 1000);
      const inserted = await tx
        .insertInto("castcard_viewers")
        .values(chunk)
        .onConflict((oc) => oc.columns(["scope", "viewer_fid"]).doNothing())
        .returning(["scope", "viewer_fid"])
        .execute();
      const fresh = new Set(inserted.map(key));
      const existing = chunk.filter((r) => !fresh.has(key(r)));
      for (const r of chunk) if (fresh.has(key(r))) add(r.scope, r.last_day, 1);
      if (existing.length === 0) continue;
      const wanted = new Map(existing.map((r) => [key(r), r]));
      let read = tx
        .selectFrom("castcard_viewers")
        .select(["scope", "viewer_fid", "last_day"])
        .where(pairIn(existing));
      if (kind === "postgres") read = read.forUpdate();
      const moves = new Map<number, ViewerRow[]>();
      for (const row of await read.execute()) {
        const next = wanted.get(key(row))!;
        const before = num(row.last_day);
        if (before >= next.last_day) continue;
        add(next.scope, before, -1);
        add(next.scope, next.last_day, 1);
        const list = moves.get(next.last_day) ?? [];
        list.push(next);
        moves.set(next.last_day, list);
      }
      for (const [day, rows] of moves) {
        await tx
          .updateTable("castcard_viewers")
          .set({ last_day: day })
          .where(pairIn(rows))
          .execute();
      }
    }
    const changes = sorted(
      [...delta.values()].filter((d) => d.viewers !== 0),
      (r) => `${r.scope}\u0000${r.day}`,
    );
    for (let i = 0; i < changes.length; i += 1000) {
      await tx
        .insertInto("castcard_viewer_days")
        .values(changes.slice(i, i + 1000))
        .onConflict((oc) => oc.columns(["scope", "day"]).doUpdateSet((eb) => ({ viewers: eb("castcard_viewer_days.viewers", "+", eb.ref("excluded.viewers")) })))
        .execute();
    }
  };

  return {
    kind,
    db,
    migrate: () => migrate(db, kind),

    async write(shares, events) {
      if (shares.length === 0 && events.length === 0) return;
      await db.transaction().execute(async (tx) => {
        // Counts per (day, design), added once per batch.
        const daily = new Map<string, { day: number; design: string; shares: number; casts: number; cancels: number; launches: number }>();
        const bump = (day: number, design: string, field: "shares" | "casts" | "cancels" | "launches", n = 1) => {
          const key = `${day}\u0000${design}`;
          let row = daily.get(key);
          if (!row) daily.set(key, (row = { day, design, shares: 0, casts: 0, cancels: 0, launches: 0 }));
          row[field] += n;
        };

        if (shares.length) {
          const unique = [...new Map(shares.map((s) => [s.id, s])).values()];
          const inserted = await tx
            .insertInto("castcard_shares")
            .values(unique.map((s) => ({ id: s.id, fid: s.fid, design: s.design, at: s.at, day: dayOf(s.at) })))
            .onConflict((oc) => oc.column("id").doNothing())
            .returning(["design", "day"])
            .execute();
          for (const row of inserted) bump(num(row.day), row.design, "shares");
        }

        const casts = events.filter((e) => e.type === "cast");
        if (casts.length) {
          const unique = [...new Map(casts.map((c) => [`${c.share}\u0000${c.hash}`, c])).values()];
          const designOf = new Map(unique.map((c) => [c.share, c.design]));
          const inserted = await tx
            .insertInto("castcard_casts")
            .values(unique.map((c) => ({ share_id: c.share, hash: c.hash, at: c.at, day: dayOf(c.at) })))
            .onConflict((oc) => oc.columns(["share_id", "hash"]).doNothing())
            .returning(["share_id", "day"])
            .execute();
          for (const row of inserted) bump(num(row.day), designOf.get(row.share_id)!, "casts");
        }

        const cancels = events.filter((e) => e.type === "cancel");
        if (cancels.length) {
          await tx
            .insertInto("castcard_cancels")
            .values(cancels.map((c) => ({ share_id: c.share, at: c.at, day: dayOf(c.at) })))
            .execute();
          for (const c of cancels) bump(dayOf(c.at), c.design, "cancels");
        }

        const launches = events.filter((e) => e.type === "launch");
        if (launches.length) {
          await tx
            .insertInto("castcard_launches")
            .values(launches.map((l) => ({ share_id: l.share, at: l.at, day: dayOf(l.at), viewer_fid: l.viewerFid, cast_hash: l.castHash, cast_fid: l.castFid })))
            .execute();
          const perShareDay = new Map<string, { share_id: string; day: number; launches: number }>();
          const viewers = new Map<string, { scope: string; viewer_fid: number; last_day: number }>();
          const seen = (scope: string, fid: number, day: number) => {
            const key = `${scope}\u0000${fid}`;
            const row = viewers.get(key);
            if (!row) viewers.set(key, { scope, viewer_fid: fid, last_day: day });
            else row.last_day = Math.max(row.last_day, day);
          };
          for (const l of launches) {
            const day = dayOf(l.at);
            bump(day, l.design, "launches");
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
          await tx
            .insertInto("castcard_share_daily")
            .values(sorted([...perShareDay.values()], (r) => `${r.share_id}\u0000${r.day}`))
            .onConflict((oc) =>
              oc.columns(["share_id", "day"]).doUpdateSet((eb) => ({ launches: eb("castcard_share_daily.launches", "+", eb.ref("excluded.launches")) })),
            )
            .execute();
          if (viewers.size) await recordViewers(tx, [...viewers.values()]);
        }

        if (daily.size) {
          await tx
            .insertInto("castcard_daily")
            .values(sorted([...daily.values()], (r) => `${r.day}\u0000${r.design}`))
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
      });
    },

    async share(id) {
      const row = await db.selectFrom("castcard_shares").select(["fid", "design"]).where("id", "=", id).executeTakeFirst();
      return row ? { fid: num(row.fid), design: row.design } : null;
    },

    async stats(days, now = Date.now()) {
      const today = dayOf(now);
      const first = today - days + 1;
      const [dailyRows, viewerRows, topRows] = await Promise.all([
        db.selectFrom("castcard_daily").select(["day", "design", "shares", "casts", "cancels", "launches"]).where("day", ">=", first).execute(),
        // Viewers in the window, overall and per design (scopes `*` and `d:…`), from one index range each.
        db
          .selectFrom("castcard_viewer_days")
          .select(["scope", (eb) => eb.fn.sum<number>("viewers").as("n")])
          .where((eb) => eb.or([eb("scope", "=", "*"), eb.and([eb("scope", ">=", "d:"), eb("scope", "<", "d;")])]))
          .where("day", ">=", first)
          .groupBy("scope")
          .execute(),
        db
          .selectFrom("castcard_share_daily")
          .select(["share_id", (eb) => eb.fn.sum<number>("launches").as("n")])
          .where("day", ">=", first)
          .groupBy("share_id")
          .orderBy("n", "desc")
          .orderBy("share_id")
          .limit(TOP_SHARES)
          .execute(),
      ]);

      const totals: Counts = { shares: 0, casts: 0, cancels: 0, launches: 0, viewers: 0 };
      const designs = new Map<string, { design: string } & Counts>();
      const perDay = new Map<number, { shares: number; casts: number; launches: number }>();
      for (const row of dailyRows) {
        const counts = { shares: num(row.shares), casts: num(row.casts), cancels: num(row.cancels), launches: num(row.launches) };
        let design = designs.get(row.design);
        if (!design) designs.set(row.design, (design = { design: row.design, shares: 0, casts: 0, cancels: 0, launches: 0, viewers: 0 }));
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
          if (!design) designs.set(name, (design = { design: name, shares: 0, casts: 0, cancels: 0, launches: 0, viewers: 0 }));
          design.viewers = num(row.n);
        }
      }

      let top: Stats["top"] = [];
      if (topRows.length) {
        const ids = topRows.map((r) => r.share_id);
        const [shareRows, castRows, topViewerRows] = await Promise.all([
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
        const viewersOf = new Map(topViewerRows.map((r) => [r.scope.slice(2), num(r.n)]));
        top = topRows.flatMap((row) => {
          const share = shareOf.get(row.share_id);
          // A share pruned by retention, whose launches remain from inside the window: leave it out.
          if (!share) return [];
          return [
            {
              share: row.share_id,
              fid: num(share.fid),
              design: share.design,
              castHash: latestCast.get(row.share_id)?.hash ?? null,
              launches: num(row.n),
              viewers: viewersOf.get(row.share_id) ?? 0,
            },
          ];
        });
      }

      const dayList: Stats["days"] = [];
      for (let d = first; d <= today; d++) {
        const counts = perDay.get(d) ?? { shares: 0, casts: 0, launches: 0 };
        dayList.push({ day: isoDay(d), ...counts });
      }
      const designList = [...designs.values()].sort((a, b) => b.shares - a.shares || b.launches - a.launches || a.design.localeCompare(b.design));
      return { totals, designs: designList, days: dayList, top };
    },

    async prune(before) {
      const day = dayOf(before);
      await db.transaction().execute(async (tx) => {
        await tx.deleteFrom("castcard_launches").where("at", "<", before).execute();
        await tx.deleteFrom("castcard_casts").where("at", "<", before).execute();
        await tx.deleteFrom("castcard_cancels").where("at", "<", before).execute();
        await tx.deleteFrom("castcard_daily").where("day", "<", day).execute();
        await tx.deleteFrom("castcard_share_daily").where("day", "<", day).execute();
        await tx.deleteFrom("castcard_viewers").where("last_day", "<", day).execute();
        await tx.deleteFrom("castcard_viewer_days").where("day", "<", day).execute();
        // A share older than the window stays while it still has launches inside it.
        await tx
          .deleteFrom("castcard_shares")
          .where("at", "<", before)
          .where(({ not, exists, selectFrom }) =>
            not(exists(selectFrom("castcard_share_daily").select(sql.lit(1).as("one")).whereRef("castcard_share_daily.share_id", "=", "castcard_shares.id"))),
          )
          .execute();
      });
    },

    close: () => db.destroy(),
  };
}
