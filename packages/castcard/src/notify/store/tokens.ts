import type { NotifyDb } from "./schema";
import { dayOf, num } from "./schema";

/** Keeps (or replaces) the token of one (fid, client app) pair; the other pairs are untouched. */
export async function saveToken({ db }: NotifyDb, row: { fid: number; appFid: number; url: string; token: string; at: number }): Promise<void> {
  await db
    .insertInto("castcard_notify_tokens")
    .values({ fid: row.fid, app_fid: row.appFid, url: row.url, token: row.token, at: row.at, last_sent_at: 0, sent_day: dayOf(row.at), sent_today: 0 })
    .onConflict((oc) => oc.columns(["fid", "app_fid"]).doUpdateSet({ url: row.url, token: row.token, at: row.at }))
    .execute();
}

/** Forgets the token of one (fid, client app) pair, and what was waiting to be sent with it. */
export async function removeToken({ db }: NotifyDb, fid: number, appFid: number): Promise<void> {
  await db.transaction().execute(async (tx) => {
    await tx.deleteFrom("castcard_notify_tokens").where("fid", "=", fid).where("app_fid", "=", appFid).execute();
    await tx.deleteFrom("castcard_notify_outbox").where("fid", "=", fid).where("app_fid", "=", appFid).execute();
  });
}

/** The client apps a fid has notifications on with. */
export async function tokensOf({ db }: NotifyDb, fid: number): Promise<Array<{ appFid: number; url: string; token: string }>> {
  const rows = await db.selectFrom("castcard_notify_tokens").select(["app_fid", "url", "token"]).where("fid", "=", fid).orderBy("app_fid").execute();
  return rows.map((r) => ({ appFid: num(r.app_fid), url: r.url, token: r.token }));
}
