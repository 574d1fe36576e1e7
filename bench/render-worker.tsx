// One renderer per process, so first-render time and RSS belong to that renderer alone.
// Usage: node --expose-gc --import tsx bench/render-worker.tsx <castcard|vercel> '<json plan>'
import { Card, plainCardProps } from "../packages/castcard/src/card/index";
import { loadDefaultFonts } from "../packages/castcard/src/fonts/index";
import { percentile, pool } from "./lib";

export interface RenderPlan {
  /** Renders with distinct names in total before "RSS after" is read (the first one included). */
  total: number;
  sequential: number;
  concurrent: number;
  /** Extra distinct renders for the memory check (0: skip). */
  memory: number;
  /** More renders after `total` before the memory check starts: RSS climbs for the first ~5,000. */
  memoryWarmup: number;
}

export interface RenderResult {
  importMs: number;
  firstMs: number;
  pngBytes: number;
  p50: number;
  p99: number;
  perSecond1: number;
  perSecond4: number;
  rssFirst: number;
  rssAfterTotal: number;
  memory: { before: number; after: number; renders: number; warmedUpAfter: number } | null;
  /** Castcard only: what a request pays, name fitting and font planning included (seed template). */
  fullPath: { p50: number; p99: number } | null;
}

const which = process.argv[2];
const plan = JSON.parse(process.argv[3] ?? "{}") as RenderPlan;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => {
  gc();
  return process.memoryUsage.rss();
};
const fonts = loadDefaultFonts();
const card = (username: string) => Card(plainCardProps({ username, brand: "Castcard", subtitle: "made a Castcard" }));

const fullPathHolder: { render?: (username: string) => Promise<Buffer> } = {};

async function castcardRenderer() {
  const { createCardRenderer } = await import("../packages/castcard/src/render/index");
  const { seed } = await import("../packages/castcard/src/card/seed");
  return () => {
    const renderer = createCardRenderer(fonts);
    fullPathHolder.render = (username) => renderer.renderCard(seed, { username, hasAvatar: false, brand: "Castcard", subtitle: "made a Castcard" }, null);
    return (username: string) => renderer.render(card(username), null);
  };
}

async function vercelRenderer() {
  const { ImageResponse } = await import("@vercel/og");
  const options = {
    width: 1200,
    height: 800,
    fonts: fonts.map((f) => ({ name: f.name, data: Buffer.from(f.data), weight: f.weight as 400 | 700, style: "normal" as const })),
  };
  return () => async (username: string) => Buffer.from(await new ImageResponse(card(username), options).arrayBuffer());
}

let started = performance.now();
const setup = which === "vercel" ? await vercelRenderer() : await castcardRenderer();
const importMs = performance.now() - started;

// First render: renderer construction and font registration included, as a fresh server pays them.
started = performance.now();
const render = setup();
const first = await render("alice");
const firstMs = performance.now() - started;
const rssFirst = rss();
let made = 1;
const name = () => `user${made++}x${process.pid}`;

const samples: number[] = [];
const sequentialStart = performance.now();
for (let i = 0; i < plan.sequential; i++) {
  const t = performance.now();
  await render(name());
  samples.push(performance.now() - t);
}
const perSecond1 = plan.sequential / ((performance.now() - sequentialStart) / 1000);
samples.sort((a, b) => a - b);

let fullPath: RenderResult["fullPath"] = null;
const fullPathRender = fullPathHolder.render;
if (fullPathRender) {
  const full: number[] = [];
  for (let i = 0; i < plan.sequential; i++) {
    const t = performance.now();
    await fullPathRender(name());
    full.push(performance.now() - t);
  }
  full.sort((a, b) => a - b);
  fullPath = { p50: percentile(full, 50), p99: percentile(full, 99) };
}

const concurrentMs = await pool(plan.concurrent, 4, () => render(name()));
const perSecond4 = plan.concurrent / (concurrentMs / 1000);

await pool(Math.max(0, plan.total - made), 4, () => render(name()));
const rssAfterTotal = rss();

let memory: RenderResult["memory"] = null;
if (plan.memory > 0) {
  await pool(plan.memoryWarmup, 4, () => render(name()));
  const warmedUpAfter = made;
  const before = rss();
  await pool(plan.memory, 4, () => render(name()));
  memory = { before, after: rss(), renders: plan.memory, warmedUpAfter };
}

const result: RenderResult = {
  importMs,
  firstMs,
  pngBytes: first.byteLength,
  p50: percentile(samples, 50),
  p99: percentile(samples, 99),
  perSecond1,
  perSecond4,
  rssFirst,
  rssAfterTotal,
  memory,
  fullPath,
};
console.log(`RESULT ${JSON.stringify(result)}`);
