// The dashboard's pieces: number formats, the tiles, the one table, and the two SVG charts, drawn
// from d3-scale (positions) and d3-shape (line and area paths) inside JSX.
import { scaleBand, scaleLinear, scalePoint } from "d3-scale";
import { area, line } from "d3-shape";
import type { ReactNode } from "react";
import type { Stats } from "./db/store";

export const COLORS = { shares: "#7c5cff", casts: "#12a38a", launches: "#e8833a", ink: "#1d1530", muted: "#6b6480", grid: "#e6e2ef" };
export const WINDOWS = [7, 30, 90, 365];

export const fmt = (n: number) => n.toLocaleString("en-US");
export const pct = (n: number | null) => (n === null ? "–" : `${(n * 100).toFixed(n >= 0.1 || n === 0 ? 0 : 1)}%`);
export const per = (n: number | null) => (n === null ? "–" : n >= 10 ? n.toFixed(0) : n.toFixed(1));
export const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
export const short = (s: string, head = 6, tail = 4) => (s.length > head + tail + 1 ? `${s.slice(0, head)}…${s.slice(-tail)}` : s);
/** A round axis top: 1, 2 or 5 times a power of ten, at least the data's maximum. */
const niceMax = (max: number) => scaleLinear().domain([0, Math.max(1, max)]).nice(4).domain()[1]!;

export function Tile({ label, value, note }: { label: string; value: string; note?: string }) {
  return (
    <div className="tile">
      <div className="tile-value">{value}</div>
      <div className="tile-label">{label}</div>
      {note && <div className="tile-note">{note}</div>}
    </div>
  );
}

/** One metric across designs: a horizontal bar per design, value at the bar's end. */
export function DesignBars({ title, rows, format, color }: { title: string; rows: Array<{ design: string; value: number | null }>; format: (n: number | null) => string; color: string }) {
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
export function DaySeries({ title, days, pick, color }: { title: string; days: Stats["days"]; pick: (d: Stats["days"][number]) => number; color: string }) {
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

export interface Column<Row> {
  head: string;
  cell: (row: Row) => ReactNode;
}

/** A table of rows, one column per metric: the first column left-aligned (CSS), the rest numbers. */
export function Table<Row>({ columns, rows, rowKey }: { columns: Array<Column<Row>>; rows: Row[]; rowKey: (row: Row) => string }) {
  return (
    <div className="scroll">
      <table>
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.head}>{c.head}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((c) => (
                <td key={c.head}>{c.cell(row)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
