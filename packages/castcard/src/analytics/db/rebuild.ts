import { sql } from "kysely";
import type { Store } from "./store";

/**
 * Recomputes the roll-ups (castcard_daily, castcard_share_daily, castcard_viewers,
 * castcard_viewer_days) from the raw rows, in one transaction: for rows loaded in bulk (an
 * import, the benchmark's seed), or to check the roll-ups against the record. The same SQL on
 * SQLite and PostgreSQL. Run it while nothing else writes.
 */
export async function rebuildRollups(store: Store): Promise<void> {
  await store.db.transaction().execute(async (tx) => {
    for (const table of ["castcard_daily", "castcard_share_daily", "castcard_viewers", "castcard_viewer_days"] as const) {
      await tx.deleteFrom(table).execute();
    }
    await sql`
      insert into castcard_daily (day, design, shares, casts, cancels, launches)
      select day, design, sum(shares), sum(casts), sum(cancels), sum(launches) from (
        select day, design, 1 as shares, 0 as casts, 0 as cancels, 0 as launches from castcard_shares
        union all select e.day, s.design, 0, 1, 0, 0 from castcard_casts e join castcard_shares s on s.id = e.share_id
        union all select e.day, s.design, 0, 0, 1, 0 from castcard_cancels e join castcard_shares s on s.id = e.share_id
        union all select e.day, s.design, 0, 0, 0, 1 from castcard_launches e join castcard_shares s on s.id = e.share_id
      ) t group by day, design`.execute(tx);
    await sql`
      insert into castcard_share_daily (share_id, day, launches)
      select share_id, day, count(*) from castcard_launches group by share_id, day`.execute(tx);
    await sql`
      insert into castcard_viewers (scope, viewer_fid, last_day)
      select '*', viewer_fid, max(day) from castcard_launches where viewer_fid is not null group by viewer_fid
      union all
      select 'd:' || s.design, e.viewer_fid, max(e.day) from castcard_launches e join castcard_shares s on s.id = e.share_id
        where e.viewer_fid is not null group by s.design, e.viewer_fid
      union all
      select 's:' || share_id, viewer_fid, max(day) from castcard_launches where viewer_fid is not null group by share_id, viewer_fid`.execute(tx);
    await sql`
      insert into castcard_viewer_days (scope, day, viewers)
      select scope, last_day, count(*) from castcard_viewers group by scope, last_day`.execute(tx);
  });
}
