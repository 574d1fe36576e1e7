// Long on purpose: the whole /stats page as one server-rendered JSX file (tiles, SVG charts, tables,
// its CSS), so no chart code is shipped and the page reads top to bottom.
import { scaleBand, scaleLinear, scalePoint } from "d3-scale";
import { area, line } from "d3-shape";
import { createRequire } from "node:module";
import type { ReactElement, ReactNode } from "react";
import type { Stats } from "./db/store";

// react-dom/server is loaded at run time, not imported: Next refuses any module graph reachable
// from a Server Component (its page imports this package) that imports react-dom/server, although
// only the /stats route handler ever calls it.
type RenderToStaticMarkup = (element: ReactElement) => string;
let renderer: RenderToStaticMarkup | null = null;
const renderToStaticMarkup: RenderToStaticMarkup = (element) =>
  (renderer ??= (createRequire(import.meta.url)("react-dom/server") as { renderToStaticMarkup: RenderToStaticMarkup }).renderToStaticMarkup)(element);

/**
 * The /stats dashboard: one HTML page rendered on the server, charts as inline SVG drawn from
 * d3-scale (positions) and d3-shape (line and area paths) inside JSX. No script is sent: the
 * browser gets markup and CSS only, and both fronts (Next and the image service) serve this page.
 */
export interface DashboardOptions {
  appName: string;
  days: number;
  /** Where the page is served, for the window links (`?days=`). */
  path?: string;
  /** When the store cannot be read: the page says so instead of showing numbers. */
  unavailable?: string | null;
}

const COLORS = { shares: "#7c5cff", casts: "#12a38a", launches: "#e8833a", ink: "#1d1530", muted: "#6b6480", grid: "#e6e2ef" };
const WINDOWS = [7, 30, 90, 365];

const fmt = (n: number) => n.toLocaleString("en-US");
const pct = (n: number | null) => (n === null ? "–" : `${(n * 100).toFixed(n >= 0.1 || n === 0 ? 0 : 1)}%`);
const per = (n: number | null) => (n === null ? "–" : n >= 10 ? n.toFixed(0) : n.toFixed(1));
const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
const short = (s: string, head = 6, tail = 4) => (s.length > head + tail + 1 ? `${s.slice(0, head)}…${s.slice(-tail)}` : s);
/** A round axis top: 1, 2 or 5 times a power of ten, at least the data's maximum. */
const niceMax = (max: number) => scaleLinear().domain([0, Math.max(1, max)]).nice(4).domain()[1]!;

function Tile({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="tile">
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
      {note && <div className="tile-note">{note}</div>}
    </div>
  );
}

/** One metric across designs: a horizontal bar per design, value at the bar's end. */
function DesignBars({ title, rows, format, color }: { title: string; rows: Array<{ design: string; value: number | null }>; format: (n: number | null) => string; color: string }) {
  const width = 320;
  const label = 78;
  const valueRoom = 44;
  const bar = 18;
  const height = Math.max(1, rows.length) * (bar + 8) + 4;
  const y = scaleBand<string>().domain(rows.map((r) => r.design)).range([2, height - 2]).paddingInner(0.3);
  const max = Math.max(0, ...rows.map((r) => r.value ?? 0));
  const x = scaleLinear().domain([0, max > 0 ? max : 1]).range([0, width - label - valueRoom]);
  return (
    <figure className="chart">
      <figcaption>{title}</figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={title}>
        {rows.map((r) => {
          const top = y(r.design) ?? 0;
          const w = r.value === null ? 0 : Math.max(r.value > 0 ? 2 : 0, x(r.value));
          return (
            <g key={r.design}>
              <text x={label - 6} y={top + y.bandwidth() / 2} dy="0.35em" textAnchor="end" className="axis">
                {short(r.design, 9, 0)}
              </text>
              <rect x={label} y={top} width={w} height={y.bandwidth()} rx={3} fill={color} />
              <text x={label + w + 4} y={top + y.bandwidth() / 2} dy="0.35em" className="value">
                {format(r.value)}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** One series over the window's days: an area under a line, the maximum and the first and last day labelled. */
function DaySeries({ title, days, pick, color }: { title: string; days: Stats["days"]; pick: (d: Stats["days"][number]) => number; color: string }) {
  const width = 320;
  const height = 96;
  const margin = { top: 8, right: 6, bottom: 18, left: 34 };
  const values = days.map(pick);
  const top = niceMax(Math.max(0, ...values));
  const x = scalePoint<number>().domain(days.map((_, i) => i)).range([margin.left, width - margin.right]);
  const y = scaleLinear().domain([0, top]).range([height - margin.bottom, margin.top]);
  const px = (i: number) => (days.length === 1 ? (margin.left + width - margin.right) / 2 : x(i)!);
  const points = values.map((v, i) => [px(i), y(v)] as [number, number]);
  const path = line()(points) ?? "";
  const fill = area().y0(y(0))(points) ?? "";
  const total = values.reduce((a, b) => a + b, 0);
  return (
    <figure className="chart">
      <figcaption>
        {title} <span className="muted">· {fmt(total)} in all</span>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} width="100%" role="img" aria-label={`${title} per day`}>
        {y.ticks(3).filter(Number.isInteger).map((t) => (
          <g key={t}>
            <line x1={margin.left} x2={width - margin.right} y1={y(t)} y2={y(t)} stroke={COLORS.grid} />
            <text x={margin.left - 4} y={y(t)} dy="0.35em" textAnchor="end" className="axis">
              {fmt(t)}
            </text>
          </g>
        ))}
        <path d={fill} fill={color} fillOpacity={0.15} />
        <path d={path} fill="none" stroke={color} strokeWidth={2} strokeLinejoin="round" />
        {days.length > 0 && (
          <>
            <text x={margin.left} y={height - 4} className="axis">
              {days[0]!.day.slice(5)}
            </text>
            <text x={width - margin.right} y={height - 4} textAnchor="end" className="axis">
              {days[days.length - 1]!.day.slice(5)}
            </text>
          </>
        )}
      </svg>
    </figure>
  );
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
      <div className="tiles">
        <Tile label="shares minted" value={fmt(totals.shares)} />
        <Tile label="cast" value={fmt(totals.casts)} note={`cast rate ${pct(ratio(totals.casts, totals.shares))}`} />
        <Tile label="cancelled" value={fmt(totals.cancels)} />
        <Tile label="launches*" value={fmt(totals.launches)} note={`${per(ratio(totals.launches, totals.casts))} per cast`} />
        <Tile label="viewers*" value={fmt(totals.viewers)} note="distinct fids" />
      </div>

      <h2>Designs compared</h2>
      {designs.length === 0 ? (
        <p className="empty">No shares in this window yet.</p>
      ) : (
        <>
          <div className="scroll">
            <table>
              <thead>
                <tr>
                  <th>design</th>
                  <th>shares</th>
                  <th>casts</th>
                  <th>cast rate</th>
                  <th>launches*</th>
                  <th>launches per cast</th>
                  <th>viewers*</th>
                </tr>
              </thead>
              <tbody>
                {designs.map((d) => (
                  <tr key={d.design}>
                    <td>{d.design}</td>
                    <td>{fmt(d.shares)}</td>
                    <td>{fmt(d.casts)}</td>
                    <td>{pct(ratio(d.casts, d.shares))}</td>
                    <td>{fmt(d.launches)}</td>
                    <td>{per(ratio(d.launches, d.casts))}</td>
                    <td>{fmt(d.viewers)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="charts" style={{ marginTop: 10 }}>
            <DesignBars title="Shares" color={COLORS.shares} format={(n) => fmt(n ?? 0)} rows={designs.map((d) => ({ design: d.design, value: d.shares }))} />
            <DesignBars title="Cast rate" color={COLORS.casts} format={pct} rows={designs.map((d) => ({ design: d.design, value: ratio(d.casts, d.shares) }))} />
            <DesignBars title="Launches per cast*" color={COLORS.launches} format={per} rows={designs.map((d) => ({ design: d.design, value: ratio(d.launches, d.casts) }))} />
            <DesignBars title="Viewers*" color={COLORS.launches} format={(n) => fmt(n ?? 0)} rows={designs.map((d) => ({ design: d.design, value: d.viewers }))} />
          </div>
        </>
      )}

      <h2>Per day</h2>
      <div className="charts">
        <DaySeries title="Shares" days={days} pick={(d) => d.shares} color={COLORS.shares} />
        <DaySeries title="Casts" days={days} pick={(d) => d.casts} color={COLORS.casts} />
        <DaySeries title="Launches*" days={days} pick={(d) => d.launches} color={COLORS.launches} />
      </div>

      <h2>Top shares</h2>
      {top.length === 0 ? (
        <p className="empty">No launches in this window yet.</p>
      ) : (
        <div className="scroll">
          <table>
            <thead>
              <tr>
                <th>share</th>
                <th>fid</th>
                <th>design</th>
                <th>cast</th>
                <th>launches*</th>
                <th>viewers*</th>
              </tr>
            </thead>
            <tbody>
              {top.map((t) => (
                <tr key={t.share}>
                  <td>
                    <code title={t.share}>{short(t.share)}</code>
                  </td>
                  <td>{t.fid}</td>
                  <td>{t.design}</td>
                  <td>{t.castHash ? <code title={t.castHash}>{short(t.castHash, 8, 4)}</code> : <span className="muted">not reported</span>}</td>
                  <td>{fmt(t.launches)}</td>
                  <td>{fmt(t.viewers)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

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
