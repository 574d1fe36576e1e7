// The dashboard's notifications section: who has them on, per client app, and what was sent,
// delivered, refused and opened.
import type { NotificationStats } from "./db/store";
import { fmt, pct, Table, Tile, type Column } from "./dashboard-parts";

type Day = NotificationStats["days"][number];
const DAY_COLUMNS: Array<Column<Day>> = [
  { head: "Day", cell: (d) => d.day },
  { head: "Sent", cell: (d) => fmt(d.sent) },
  { head: "Tokens delivered", cell: (d) => fmt(d.delivered) },
  { head: "Invalid", cell: (d) => fmt(d.invalid) },
  { head: "Rate-limited", cell: (d) => fmt(d.rateLimited) },
  { head: "Given up", cell: (d) => fmt(d.failed) },
  { head: "Opens", cell: (d) => fmt(d.opens) },
];
const CLIENT_COLUMNS: Array<Column<NotificationStats["clients"][number]>> = [
  { head: "Client (app fid)", cell: (c) => String(c.appFid) },
  { head: "Users with notifications on", cell: (c) => fmt(c.users) },
];

export function NotificationsSection({ stats }: { stats: NotificationStats }) {
  const { totals } = stats;
  const users = stats.clients.reduce((n, c) => n + c.users, 0);
  const active = stats.days.filter((d) => d.sent || d.delivered || d.invalid || d.rateLimited || d.failed || d.opens).reverse();
  return (
    <>
      <h2>Notifications</h2>
      <div className="tiles">
        <Tile label="Users with notifications on" value={fmt(users)} note={`${stats.clients.length} ${stats.clients.length === 1 ? "client" : "clients"}`} />
        <Tile label="Sent" value={fmt(totals.sent)} />
        <Tile label="Tokens delivered" value={fmt(totals.delivered)} />
        <Tile label="Invalid · rate-limited" value={`${fmt(totals.invalid)} · ${fmt(totals.rateLimited)}`} />
        <Tile label="Opens" value={fmt(totals.opens)} note={`open rate ${pct(totals.openRate)}`} />
      </div>
      {stats.clients.length ? <Table columns={CLIENT_COLUMNS} rows={stats.clients} rowKey={(c) => String(c.appFid)} /> : null}
      {active.length === 0 ? <p className="empty">No notifications in this window yet.</p> : <Table columns={DAY_COLUMNS} rows={active} rowKey={(d) => d.day} />}
    </>
  );
}
