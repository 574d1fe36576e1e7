// The /stats page, rendered on the server as one HTML document: tiles, tables and inline SVG
// charts (dashboard-parts.tsx) and its CSS. No script is sent: the browser gets markup and CSS only.
import { createRequire } from "node:module";
import type { ReactElement, ReactNode } from "react";
import type { Stats } from "./db/store";
import { COLORS, DaySeries, DesignBars, fmt, per, pct, ratio, short, Table, Tile, WINDOWS, type Column } from "./dashboard-parts";

// react-dom/server is loaded at run time, not imported: Next refuses any module graph reachable
// from a Server Component (its page imports this package) that imports react-dom/server, although
// only the /stats route handler ever calls it.
type RenderToStaticMarkup = (element: ReactElement) => string;
let renderer: RenderToStaticMarkup | null = null;
const renderToStaticMarkup: RenderToStaticMarkup = (element) =>
  (renderer ??= (createRequire(import.meta.url)("react-dom/server") as { renderToStaticMarkup: RenderToStaticMarkup }).renderToStaticMarkup)(element);

/** The /stats dashboard's settings; both fronts (Next and the image service) serve this page. */
export interface DashboardOptions {
  appName: string;
  days: number;
  /** Where the page is served, for the window links (`?days=`). */
  path?: string;
  /** When the store cannot be read: the page says so instead of showing numbers. */
  unavailable?: string | null;
}

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:${COLORS.ink};background:#f6f4fb}
main{max-width:980px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:4px 0 2px}
h2{font-size:17px;margin:26px 0 8px}
p{margin:6px 0}
.muted{color:${COLORS.muted};font-weight:400}
nav a{display:inline-block;padding:4px 10px;margin:6px 6px 0 0;border-radius:999px;background:#fff;color:${COLORS.ink};text-decoration:none;border:1px solid ${COLORS.grid}}
nav a.on{background:#2D1B69;color:#fff;border-color:#2D1B69}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(130px,1fr));gap:10px}
.tile{background:#fff;border-radius:12px;padding:12px 14px;border:1px solid ${COLORS.grid}}
.tile-value{font-size:24px;font-weight:700;font-variant-numeric:tabular-nums}
.tile-label{color:${COLORS.muted};font-size:13px}
.tile-note{color:${COLORS.muted};font-size:12px}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(280px,1fr));gap:10px}
.chart{margin:0;background:#fff;border-radius:12px;padding:10px 12px;border:1px solid ${COLORS.grid}}
figcaption{font-weight:600;font-size:14px;margin-bottom:4px}
svg{display:block;overflow:visible}
svg .axis{font-size:10px;fill:${COLORS.muted}}
svg .value{font-size:11px;fill:${COLORS.ink};font-variant-numeric:tabular-nums}
.scroll{overflow-x:auto;background:#fff;border-radius:12px;border:1px solid ${COLORS.grid}}
table{border-collapse:collapse;width:100%;font-variant-numeric:tabular-nums;font-size:14px}
th,td{padding:7px 10px;text-align:right;white-space:nowrap;border-bottom:1px solid ${COLORS.grid}}
th:first-child,td:first-child{text-align:left}
th{font-size:12px;color:${COLORS.muted};font-weight:600}
tr:last-child td{border-bottom:0}
code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace}
.note{font-size:13px;color:${COLORS.muted};background:#fff;border-left:3px solid ${COLORS.launches};padding:8px 12px;border-radius:6px;margin-top:12px}
.empty{padding:14px;color:${COLORS.muted}}
`;

function Page({ title, children }: { title: string; children: ReactNode }) {
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>{title}</title>
        <style dangerouslySetInnerHTML={{ __html: CSS }} />
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

type DesignRow = Stats["designs"][number];
type TopRow = Stats["top"][number];

const DESIGN_COLUMNS: Array<Column<DesignRow>> = [
  { head: "design", cell: (d) => d.design },
  { head: "shares", cell: (d) => fmt(d.shares) },
  { head: "casts", cell: (d) => fmt(d.casts) },
  { head: "cast rate", cell: (d) => pct(ratio(d.casts, d.shares)) },
  { head: "launches*", cell: (d) => fmt(d.launches) },
  { head: "launches per cast", cell: (d) => per(ratio(d.launches, d.casts)) },
  { head: "viewers*", cell: (d) => fmt(d.viewers) },
];

const TOP_COLUMNS: Array<Column<TopRow>> = [
  { head: "share", cell: (t) => <code title={t.share}>{short(t.share)}</code> },
  { head: "fid", cell: (t) => t.fid },
  { head: "design", cell: (t) => t.design },
  { head: "cast", cell: (t) => (t.castHash ? <code title={t.castHash}>{short(t.castHash, 8, 4)}</code> : <span className="muted">not reported</span>) },
  { head: "launches*", cell: (t) => fmt(t.launches) },
  { head: "viewers*", cell: (t) => fmt(t.viewers) },
];

function Totals({ totals }: { totals: Stats["totals"] }) {
  return (
    <div className="tiles">
      <Tile label="shares minted" value={fmt(totals.shares)} />
      <Tile label="cast" value={fmt(totals.casts)} note={`cast rate ${pct(ratio(totals.casts, totals.shares))}`} />
      <Tile label="cancelled" value={fmt(totals.cancels)} />
      <Tile label="launches*" value={fmt(totals.launches)} note={`${per(ratio(totals.launches, totals.casts))} per cast`} />
      <Tile label="viewers*" value={fmt(totals.viewers)} note="distinct fids" />
    </div>
  );
}

function Designs({ designs }: { designs: DesignRow[] }) {
  if (designs.length === 0) return <p className="empty">No shares in this window yet.</p>;
  const bars = (value: (d: DesignRow) => number | null) => designs.map((d) => ({ design: d.design, value: value(d) }));
  return (
    <>
      <Table columns={DESIGN_COLUMNS} rows={designs} rowKey={(d) => d.design} />
      <div className="charts" style={{ marginTop: 10 }}>
        <DesignBars title="Shares" color={COLORS.shares} format={(n) => fmt(n ?? 0)} rows={bars((d) => d.shares)} />
        <DesignBars title="Cast rate" color={COLORS.casts} format={pct} rows={bars((d) => ratio(d.casts, d.shares))} />
        <DesignBars title="Launches per cast*" color={COLORS.launches} format={per} rows={bars((d) => ratio(d.launches, d.casts))} />
        <DesignBars title="Viewers*" color={COLORS.launches} format={(n) => fmt(n ?? 0)} rows={bars((d) => d.viewers)} />
      </div>
    </>
  );
}

function Dashboard({ stats, options }: { stats: Stats; options: DashboardOptions }) {
  const { totals, designs, days, top } = stats;
  const path = options.path ?? "/stats";
  return (
    <Page title={`${options.appName} stats`}>
      <h1>
        {options.appName} stats <span className="muted">· last {options.days} {options.days === 1 ? "day" : "days"} (UTC)</span>
      </h1>
      <nav aria-label="Window">
        {WINDOWS.map((d) => (
          <a key={d} href={`${path}?days=${d}`} className={d === options.days ? "on" : undefined}>
            {d} days
          </a>
        ))}
      </nav>

      <h2>Totals</h2>
      <Totals totals={totals} />

      <h2>Designs compared</h2>
      <Designs designs={designs} />

      <h2>Per day</h2>
      <div className="charts">
        <DaySeries title="Shares" days={days} pick={(d) => d.shares} color={COLORS.shares} />
        <DaySeries title="Casts" days={days} pick={(d) => d.casts} color={COLORS.casts} />
        <DaySeries title="Launches*" days={days} pick={(d) => d.launches} color={COLORS.launches} />
      </div>

      <h2>Top shares</h2>
      {top.length === 0 ? <p className="empty">No launches in this window yet.</p> : <Table columns={TOP_COLUMNS} rows={top} rowKey={(t) => t.share} />}

      <p className="note">
        * Launches and viewers are what Farcaster clients report when someone opens the app from a share: nobody signs in to open an app, so
        they are the client&apos;s word, not verified. Shares are recorded by the server when a card is minted; casts and cancels are reported by
        the sharer (signed in when sign-in is on). Cast rate is casts per share minted in the window; a card cast twice counts twice.
      </p>
    </Page>
  );
}

function Unavailable({ options }: { options: DashboardOptions }) {
  return (
    <Page title={`${options.appName} stats`}>
      <h1>{options.appName} stats</h1>
      <p className="note">{options.unavailable}</p>
    </Page>
  );
}

export function renderDashboard(stats: Stats | null, options: DashboardOptions): string {
  const page = stats && !options.unavailable ? <Dashboard stats={stats} options={options} /> : <Unavailable options={options} />;
  return `<!doctype html>${renderToStaticMarkup(page)}`;
}
