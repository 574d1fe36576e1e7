import type { NotificationStats } from "../../analytics/index";
import { count } from "../outbox/claim";
import { dayOf, num, type NotifyDb } from "./schema";

const isoDay = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** The notifications section of the stats: the last `days` UTC days, today included. */
export async function notificationStats({ db }: NotifyDb, days: number, now: number): Promise<NotificationStats> {
  const today = dayOf(now);
  const first = today - days + 1;
  const [clients, rows] = await Promise.all([
    db.selectFrom("castcard_notify_tokens").select(["app_fid", (eb) => eb.fn.countAll<number>().as("n")]).groupBy("app_fid").orderBy("n", "desc").orderBy("app_fid").execute(),
    db.selectFrom("castcard_notify_daily").selectAll().where("day", ">=", first).execute(),
  ]);
  const byDay = new Map(rows.map((r) => [num(r.day), r]));
  const totals = { sent: 0, delivered: 0, invalid: 0, rateLimited: 0, failed: 0, opens: 0, openRate: null as number | null };
  const list: NotificationStats["days"] = [];
  for (let d = first; d <= today; d++) {
    const r = byDay.get(d);
    const day = { day: isoDay(d), sent: num(r?.sent), delivered: num(r?.delivered), invalid: num(r?.invalid), rateLimited: num(r?.rate_limited), failed: num(r?.failed), opens: num(r?.opens) };
    for (const k of ["sent", "delivered", "invalid", "rateLimited", "failed", "opens"] as const) totals[k] += day[k];
    list.push(day);
  }
  totals.openRate = totals.delivered > 0 ? totals.opens / totals.delivered : null;
  return { clients: clients.map((c) => ({ appFid: num(c.app_fid), users: num(c.n) })), totals, days: list };
}

/** One notification opened (the app reports it when a notification launched it). */
export async function recordOpen(notify: NotifyDb, now: number): Promise<void> {
  await count(notify.db, dayOf(now), { sent: 0, delivered: 0, invalid: 0, rate_limited: 0, failed: 0, opens: 1 });
}
