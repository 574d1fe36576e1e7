import { sql, type Kysely } from "kysely";
import { dayOf, type AnalyticsTables } from "./schema";

/** Deletes what is older than `before` (ms): events, roll-ups, and shares with no launch since. One transaction. */
export async function prune(db: Kysely<AnalyticsTables>, before: number): Promise<void> {
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
}

/**
 * A write that changes nothing: the oldest migration's time set to itself, committed. It needs
 * what every write needs (a connection, the write lock, room on the disk for the log), so it tells
 * whether the store takes writes without recording anything.
 */
export async function probe(db: Kysely<AnalyticsTables>): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx
      .updateTable("castcard_migrations")
      .set((eb) => ({ at: eb.ref("at") }))
      .where("name", "=", (eb) => eb.selectFrom("castcard_migrations").select((e) => e.fn.min<string>("name").as("first")))
      .execute();
  });
}
