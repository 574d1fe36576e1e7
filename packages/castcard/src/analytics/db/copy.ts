import type { Store } from "./store";

/** Every analytics table except the migration record, in the order they are copied. */
export const COPIED_TABLES = [
  "castcard_shares",
  "castcard_casts",
  "castcard_cancels",
  "castcard_launches",
  "castcard_daily",
  "castcard_share_daily",
  "castcard_viewers",
  "castcard_viewer_days",
  // The notification tables (notify-migrations.ts): tokens, reach, what is due, daily counts.
  "castcard_notify_tokens",
  "castcard_notify_viewers",
  "castcard_notify_reach",
  "castcard_notify_outbox",
  "castcard_notify_daily",
] as const;

/**
 * Copies every analytics row from one store to another (SQLite → PostgreSQL or back): both are
 * migrated first, the target must hold no analytics rows, and the copy is one transaction on the
 * target, so it is all there or not at all. Run it with the app stopped (or ANALYTICS=off), so
 * nothing is written to the source meanwhile. Returns the rows copied per table.
 */
export async function copyStore(from: Store, to: Store, { batch = 2000 }: { batch?: number } = {}): Promise<Record<string, number>> {
  await from.migrate();
  await to.migrate();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const source = from.db as any;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const target = to.db as any;
  for (const table of COPIED_TABLES) {
    const row = await target.selectFrom(table).select((eb: { fn: { countAll(): { as(n: string): unknown } } }) => eb.fn.countAll().as("n")).executeTakeFirst();
    if (Number(row?.n ?? 0) > 0) throw new Error(`the target already has rows in ${table}: copy into an empty store`);
  }
  const copied: Record<string, number> = {};
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  await target.transaction().execute(async (tx: any) => {
    for (const table of COPIED_TABLES) {
      copied[table] = 0;
      // Keyset-free paging by offset is fine here: the source does not change during the copy.
      for (let offset = 0; ; offset += batch) {
        const rows: Record<string, unknown>[] = await source.selectFrom(table).selectAll().limit(batch).offset(offset).execute();
        if (rows.length === 0) break;
        // PostgreSQL hands bigint columns back as strings: numbers in, numbers out.
        const values = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === "string" && /^(at|fid|day|viewer_fid|cast_fid|last_day|shares|casts|cancels|launches|viewers|app_fid|last_sent_at|sent_day|sent_today|milestone|next_at|first_at|attempts|sent|delivered|invalid|rate_limited|failed|opens)$/.test(k) ? Number(v) : v])));
        await tx.insertInto(table).values(values).execute();
        copied[table] += rows.length;
        if (rows.length < batch) break;
      }
    }
  });
  return copied;
}
