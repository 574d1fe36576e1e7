// Event writes against the card path in `npm run bench` (or alone: BENCH_ONLY=flood npm run bench):
// on the image service and on `next start`, each with analytics on SQLite, the event loop's delay
// (perf_hooks.monitorEventLoopDelay inside the server, preloaded from bench/loop-probe.mjs) and
// the latency of card cache hits (one request at a time, a few ms apart), first idle, then while
// wrk posts `POST /api/events` launches at full rate. Target, on the image service: loop delay
// ≤ 20 ms p99 under the flood, card hits p99 ≤ 3× their idle p99. "Own CPU between ticks" is the
// main thread's CPU time between two ticks of a 10 ms timer: the share of a delay that is the
// server's own work rather than waiting for a core on a busy machine (Linux only).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startService } from "../tests/support/start-service";
import { buildApp, runWrk, startApp, startBaselineOgServer, wrkAvailable, type WrkResult } from "./http";
import { ms, percentile, rate, table } from "./lib";

const quick = process.env.BENCH_QUICK === "1";
const seconds = Number(process.env.BENCH_HTTP_SECONDS ?? (quick ? 4 : 10));
const CONNECTIONS = Number(process.env.BENCH_FLOOD_CONNECTIONS ?? 64);
const PROBE = fileURLToPath(new URL("./loop-probe.mjs", import.meta.url));
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Targets = Array<[string, string, boolean]>;
interface Front {
  label: string;
  /** The front's cheapest route, flooded as the control. */
  trivial: string;
  url: string;
  pid: number;
  stop: () => Promise<void>;
}
interface Phase {
  loop: { p50: number; p99: number; max: number; own: { p50: number; p99: number; max: number } | null };
  cards: { p50: number; p99: number; count: number };
  events: WrkResult | null;
}

/** The loop delay the server saw since the last call (SIGUSR2 to the probe, which writes a file). */
async function loopDelay(front: Front, dir: string): Promise<Phase["loop"]> {
  const file = join(dir, `${front.pid}.json`);
  const read = () => {
    try {
      return JSON.parse(readFileSync(file, "utf8")) as { seq: number } & Phase["loop"];
    } catch {
      return null;
    }
  };
  const before = read()?.seq ?? 0;
  process.kill(front.pid, "SIGUSR2");
  for (let i = 0; i < 200; i++) {
    const now = read();
    if (now && now.seq > before) return { p50: now.p50, p99: now.p99, max: now.max, own: now.own };
    await sleep(25);
  }
  throw new Error(`${front.label}: the loop probe did not answer (is ${PROBE} preloaded?)`);
}

/** Card cache hits, one at a time with a 5 ms pause, for `forMs`. */
async function probeCards(url: string, forMs: number): Promise<Phase["cards"]> {
  const times: number[] = [];
  const end = performance.now() + forMs;
  while (performance.now() < end) {
    const t = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    times.push(performance.now() - t);
    if (res.status !== 200 || res.headers.get("x-castcard-cache") !== "hit") throw new Error(`card probe: expected a cached 200, got ${res.status} (${res.headers.get("x-castcard-cache")})`);
    await sleep(5);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), count: times.length };
}

/** The probes while `load` runs (none: idle), over the same length each time. */
async function phase(front: Front, dir: string, card: string, load: (() => Promise<WrkResult>) | null): Promise<Phase> {
  const probeMs = (seconds - 2) * 1000;
  const wrk = load?.() ?? null;
  if (wrk) await sleep(1000);
  await loopDelay(front, dir);
  const cards = await probeCards(card, probeMs);
  const loop = await loopDelay(front, dir);
  return { loop, cards, events: wrk ? await wrk : null };
}

/**
 * Idle; a flood of the front's cheapest route at the same concurrency (what HTTP load alone does
 * to the loop: the control); then the flood of events.
 */
async function measure(front: Front, dir: string, sharesFile: string, tag: number): Promise<{ idle: Phase; control: Phase; flood: Phase }> {
  const card = `${front.url}/api/og?username=floodprobe`;
  for (let i = 0; i < 20; i++) await (await fetch(card)).arrayBuffer();
  const idle = await phase(front, dir, card, null);
  progress(`${front.label}: ${front.trivial} flood, then POST /api/events flood (${seconds} s each), card hits and loop delay meanwhile …`);
  const control = await phase(front, dir, card, () => runWrk(`${front.url}${front.trivial}`, { connections: CONNECTIONS, seconds }));
  const flood = await phase(front, dir, card, () =>
    runWrk(`${front.url}/api/events`, { connections: CONNECTIONS, seconds, lua: { file: "events.lua", args: [sharesFile, String(tag)] } }),
  );
  return { idle, control, flood };
}

async function mintShares(front: Front, dir: string): Promise<string> {
  const ids: string[] = [];
  for (let i = 0; i < 200; i++) {
    const res = await fetch(`${front.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 700_000 + i, username: `flood${i}` }) });
    const body = (await res.json()) as { shareId?: string | null };
    if (body.shareId) ids.push(body.shareId);
  }
  if (ids.length < 200) throw new Error(`${front.label}: only ${ids.length} of 200 shares were recorded`);
  const file = join(dir, `shares-${front.pid}.txt`);
  writeFileSync(file, ids.join("\n"));
  return file;
}

type FrontKind = "service" | "baseline" | "next";

async function startFront(kind: FrontKind, dataDir: string, probeDir: string): Promise<Front> {
  const env = { DATA_DIR: dataDir, CASTCARD_LOOP_PROBE_DIR: probeDir };
  if (kind === "service") {
    const s = await startService(env, undefined, ["--import", PROBE], { keepOutput: false });
    return { label: "`npm run og-server` (image service)", trivial: "/healthz", url: s.url, pid: s.child.pid!, stop: s.stop };
  }
  if (kind === "baseline") {
    const s = await startBaselineOgServer(process.env.BENCH_BASELINE!, { ...env, NODE_OPTIONS: `--import ${PROBE}` });
    return { label: `image service at ${s.commit}`, trivial: "/healthz", url: s.url, pid: s.pid, stop: s.stop };
  }
  const app = await startApp({ ...env, NODE_OPTIONS: `--import ${PROBE}` });
  return { label: "`next start`", trivial: "/.well-known/farcaster.json", url: app.url, pid: app.pid, stop: app.stop };
}

async function measureFront(kind: FrontKind, tag: number, rows: string[][], targets: Targets): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "castcard-bench-flood-"));
  const front = await startFront(kind, join(dir, "data"), dir);
  try {
    const sharesFile = await mintShares(front, dir);
    const { idle, control, flood } = await measure(front, dir, sharesFile, tag);
    const e = flood.events!;
    const c = control.events!;
    const own = (p: Phase) => (p.loop.own ? `${ms(p.loop.own.p99)} / ${ms(p.loop.own.max)}` : "—");
    const row = (label: string, p: Phase) => [`${front.label}, ${label}`, `${ms(p.loop.p50)} / ${ms(p.loop.p99)} / ${ms(p.loop.max)}`, own(p), `${ms(p.cards.p50)} / ${ms(p.cards.p99)} (${p.cards.count})`];
    rows.push(
      [...row("idle", idle), "—"],
      [...row(`\`${front.trivial}\` flood (control)`, control), `${rate(c.perSecond)}, ${c.non2xx + c.errors} bad`],
      [...row("`POST /api/events` flood", flood), `${rate(e.perSecond)}, ${e.non2xx + e.errors} bad`],
    );
    if (kind === "service") {
      const r = flood.cards.p99 / idle.cards.p99;
      targets.push(
        ["image service: event loop delay ≤ 20 ms p99 while taking POST /api/events at full rate", `${ms(flood.loop.p99)} (idle ${ms(idle.loop.p99)}; ${rate(e.perSecond)})`, flood.loop.p99 <= 20],
        ["image service: card cache hits p99 ≤ 3× idle p99 under the event flood", `${r.toFixed(1)}× (${ms(flood.cards.p99)} vs ${ms(idle.cards.p99)})`, r <= 3],
      );
    }
  } finally {
    await front.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function floodSection(): Promise<{ text: string; targets: Targets }> {
  if (!wrkAvailable()) return { text: "Event flood rows skipped: `wrk` is not on PATH.", targets: [] };
  const fronts = (process.env.BENCH_FLOOD_FRONTS ?? "service,next").split(",") as FrontKind[];
  // BENCH_BASELINE=<commit>: the image service at that commit too, measured right before the
  // current one in each round, so both see the same machine.
  if (process.env.BENCH_BASELINE && fronts.includes("service")) fronts.splice(fronts.indexOf("service"), 0, "baseline");
  if (fronts.includes("next")) {
    progress("next build (production) for the event flood rows …");
    buildApp(process.env.BENCH_SKIP_BUILD === "1");
  }
  const rows: string[][] = [];
  const targets: Targets = [];
  const rounds = Number(process.env.BENCH_FLOOD_ROUNDS ?? 1);
  let tag = 10;
  for (let round = 0; round < rounds; round++) for (const kind of fronts) await measureFront(kind, tag++, rows, targets);
  const header = ["front (analytics on SQLite)", "event loop delay p50 / p99 / max", "own CPU between ticks p99 / max", "card cache hit p50 / p99 (samples)", `requests/s (wrk -c${CONNECTIONS}), bad`];
  return { text: ["### Event writes and the card path", "", table(header, rows)].join("\n"), targets };
}
