// `npm run bench`: Castcard's core against @vercel/og on the same card, then HTTP figures on the
// production server. A benchmark, not a test: it prints numbers and asserts nothing.
//   BENCH_QUICK=1        small counts, to check the bench itself runs
//   BENCH_SKIP_BUILD=1   reuse the last bench build of the app if there is one
//   BENCH_HTTP_SECONDS   length of each wrk run (default 10)
import { spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { buildApp, runWrk, startApp, startOgServer, startStaticServer, timedGet, treeRss, wrkAvailable, type RunningServer, type WrkResult } from "./http";
import { kb, mb, ms, percentile, rate, ratio, table } from "./lib";
import type { RenderPlan, RenderResult } from "./render-worker";

const ROOT = new URL("..", import.meta.url).pathname;
const quick = process.env.BENCH_QUICK === "1";
const httpSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? (quick ? 3 : 10));
const plans: Record<"castcard" | "vercel", RenderPlan> = quick
  ? {
      castcard: { total: 200, sequential: 100, concurrent: 60, memory: 400, memoryWarmup: 100 },
      vercel: { total: 30, sequential: 10, concurrent: 8, memory: 0, memoryWarmup: 0 },
    }
  : {
      castcard: { total: 2000, sequential: 500, concurrent: 500, memory: 10_000, memoryWarmup: 3000 },
      // Each reference render costs ~200 ms: fewer timed samples, but the same 2,000 for RSS.
      vercel: { total: 2000, sequential: 100, concurrent: 100, memory: 0, memoryWarmup: 0 },
    };
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

function runWorker(which: "castcard" | "vercel"): Promise<RenderResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", "--import", "tsx", "bench/render-worker.tsx", which, JSON.stringify(plans[which])], {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code !== 0 || !line) return reject(new Error(`${which} render worker failed (exit ${code}):\n${out}`));
      resolve(JSON.parse(line.slice(7)));
    });
  });
}

function machine(): string {
  const cpu = cpus();
  return [
    `Machine: ${cpu.length} cores, ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${mb(totalmem())} RAM`,
    `Node ${process.version}, ${process.platform}/${process.arch}; ${new Date().toISOString()}`,
    quick ? "BENCH_QUICK=1: reduced counts, not for publication" : "",
  ]
    .filter(Boolean)
    .join("\n");
}

async function renderSection(): Promise<{ text: string; castcard: RenderResult; vercel: RenderResult }> {
  progress(`castcard core: ${plans.castcard.total} renders + ${plans.castcard.memory} for memory…`);
  const castcard = await runWorker("castcard");
  progress(`@vercel/og 0.8.4: ${plans.vercel.total} renders (~200 ms each)…`);
  const vercel = await runWorker("vercel");
  const rows: string[][] = [
    ["import of the renderer module", ms(castcard.importMs), ms(vercel.importMs), ratio(vercel.importMs / castcard.importMs)],
    ["first render (incl. renderer + fonts)", ms(castcard.firstMs), ms(vercel.firstMs), ratio(vercel.firstMs / castcard.firstMs)],
    [`p50 per render (${plans.castcard.sequential} / ${plans.vercel.sequential} sequential)`, ms(castcard.p50), ms(vercel.p50), ratio(vercel.p50 / castcard.p50)],
    ["p99 per render", ms(castcard.p99), ms(vercel.p99), ratio(vercel.p99 / castcard.p99)],
    ["renders/s, concurrency 1", rate(castcard.perSecond1), rate(vercel.perSecond1), ratio(castcard.perSecond1 / vercel.perSecond1)],
    ["renders/s, concurrency 4", rate(castcard.perSecond4), rate(vercel.perSecond4), ratio(castcard.perSecond4 / vercel.perSecond4)],
    [
      "p50 / p99 of Castcard's full card path (name fitting, font plan; what a request pays)",
      castcard.fullPath ? `${ms(castcard.fullPath.p50)} / ${ms(castcard.fullPath.p99)}` : "n/a",
      "n/a",
      "",
    ],
    ["PNG bytes (@alice card)", kb(castcard.pngBytes), kb(vercel.pngBytes), ratio(vercel.pngBytes / castcard.pngBytes)],
    ["RSS after the first render", mb(castcard.rssFirst), mb(vercel.rssFirst), ratio(vercel.rssFirst / castcard.rssFirst)],
    [`RSS after ${plans.castcard.total} distinct renders`, mb(castcard.rssAfterTotal), mb(vercel.rssAfterTotal), ratio(vercel.rssAfterTotal / castcard.rssAfterTotal)],
  ];
  const text = [
    "### Render: same JSX card, same Inter TTF, 1200×800 PNG, one process per renderer",
    "",
    table(["", "Castcard core (takumi)", "@vercel/og 0.8.4", "ratio (Castcard better by)"], rows),
  ].join("\n");
  return { text, castcard, vercel };
}

interface ServerFigures {
  label: string;
  startMs: number;
  firstMs: number;
  laterMedianMs: number;
  hit: WrkResult;
  miss: WrkResult;
  rssBefore: number | null;
  rssAfter: number | null;
  png: Uint8Array;
}

interface HttpFigures {
  text: string;
  next: ServerFigures;
  service: ServerFigures;
}

/** First request after start, then wrk on one cached URL and on a new username per request. */
async function measureServer(label: string, server: RunningServer): Promise<ServerFigures> {
  const tag = `b${Date.now().toString(36)}`;
  try {
    const first = await timedGet(`${server.url}/api/og?username=${tag}first`);
    if (first.status !== 200) throw new Error(`${label}: /api/og answered ${first.status}`);
    const later: number[] = [];
    for (let i = 0; i < 30; i++) later.push((await timedGet(`${server.url}/api/og?username=${tag}seq${i}`)).ms);
    later.sort((a, b) => a - b);

    const hitUrl = `${server.url}/api/og?username=alice`;
    const warm = await timedGet(hitUrl);
    const again = await timedGet(hitUrl);
    if (warm.status !== 200 || again.cache !== "hit") throw new Error(`${label}: expected a cached 200, got ${again.status} (${again.cache})`);

    progress(`wrk on ${label}: cache hit, cache miss (${httpSeconds} s each) …`);
    const hit = await runWrk(hitUrl, { connections: 16, seconds: httpSeconds });
    const rssBefore = treeRss(server.pid);
    const miss = await runWrk(`${server.url}/api/og`, { connections: 8, seconds: httpSeconds, distinct: tag });
    const rssAfter = treeRss(server.pid);
    return { label, startMs: server.startMs, firstMs: first.ms, laterMedianMs: percentile(later, 50), hit, miss, rssBefore, rssAfter, png: warm.bytes };
  } finally {
    await server.stop();
  }
}

async function httpSection(): Promise<HttpFigures | { text: string }> {
  if (!wrkAvailable()) {
    return {
      text: [
        "### HTTP",
        "",
        "Skipped: `wrk` is not on PATH. Install it (Debian/Ubuntu: `sudo apt-get install wrk`; macOS: `brew install wrk`)",
        "and run `npm run bench` again. autocannon is not a substitute: it parses bodies in JavaScript and",
        "becomes the bottleneck on PNG responses.",
      ].join("\n"),
    };
  }
  progress("next build (production) …");
  buildApp(process.env.BENCH_SKIP_BUILD === "1");
  progress("next start …");
  const next = await measureServer("next start", await startApp());
  progress("npm run og-server (the image service without Next) …");
  const service = await measureServer("og-server", await startOgServer());

  const calibrationServer = await startStaticServer(next.png);
  progress(`wrk: calibration (${httpSeconds} s) …`);
  const calibration = await runWrk(calibrationServer.url, { connections: 16, seconds: httpSeconds });
  await calibrationServer.close();

  const row = (label: string, r: WrkResult) => [
    label,
    `${r.connections}`,
    rate(r.perSecond),
    ms(r.p50Ms),
    ms(r.p99Ms),
    `${r.requests}`,
    `${r.non2xx + r.errors}`,
  ];
  const startRows = (s: ServerFigures) => [
    [`${s.label}: spawn → first answer`, ms(s.startMs)],
    [`${s.label}: first \`/api/og\` request after start (cache miss)`, ms(s.firstMs)],
    [`${s.label}: median of the next 30 sequential cache misses`, ms(s.laterMedianMs)],
    [
      `${s.label}: RSS before → after the cache-miss run`,
      s.rssBefore && s.rssAfter ? `${mb(s.rssBefore)} → ${mb(s.rssAfter)} (${s.miss.requests} new cards into a 64 MB render cache)` : "n/a (no /proc)",
    ],
  ];
  const text = [
    `### HTTP: wrk -t2, ${httpSeconds} s per row, 127.0.0.1, same machine as the server`,
    "",
    table(
      ["", "connections", "requests/s", "p50", "p99", "requests", "errors + non-2xx"],
      [
        row(`calibration: plain Node server returning the same ${kb(next.png.byteLength)} PNG`, calibration),
        row("`next start`: cache hit (`/api/og?username=alice`)", next.hit),
        row("`next start`: cache miss (new username per request, no avatar)", next.miss),
        row("`npm run og-server` (Hono on node, no Next): cache hit", service.hit),
        row("`npm run og-server`: cache miss", service.miss),
      ],
    ),
    "",
    table(["Start-up and server memory", ""], [...startRows(next), ...startRows(service)]),
  ].join("\n");
  return { text, next, service };
}

function targets(render: { castcard: RenderResult; vercel: RenderResult }, http: HttpFigures | { text: string }): string {
  const mark = (ok: boolean) => (ok ? "met" : "**missed**");
  const speedup = render.vercel.p50 / render.castcard.p50;
  const memory = render.castcard.memory!;
  const growth = (memory.after - memory.before) / memory.before;
  const fromTotal = (memory.after - render.castcard.rssAfterTotal) / render.castcard.rssAfterTotal;
  const rows: string[][] = [
    ["render p50 ≥ 15× faster than @vercel/og", ratio(speedup), mark(speedup >= 15)],
    ["default card PNG ≤ 120 kB", kb(render.castcard.pngBytes), mark(render.castcard.pngBytes <= 120 * 1024)],
    [
      `RSS grows ≤ 10% across ${memory.renders} distinct renders after warm-up (${memory.warmedUpAfter} renders)`,
      `${mb(memory.before)} → ${mb(memory.after)} (${(growth * 100).toFixed(1)}%; from render ${plans.castcard.total}: ${mb(render.castcard.rssAfterTotal)}, ${(fromTotal * 100).toFixed(1)}%)`,
      mark(growth <= 0.1),
    ],
  ];
  if ("next" in http) {
    for (const s of [http.next, http.service]) {
      rows.push(
        [`${s.label}: ≥ 150 cache-miss cards/s over HTTP`, rate(s.miss.perSecond), mark(s.miss.perSecond >= 150 && s.miss.non2xx === 0)],
        [
          `${s.label}: ≥ 5,000 cache-hit requests/s with p99 ≤ 20 ms`,
          `${rate(s.hit.perSecond)}, p99 ${ms(s.hit.p99Ms)}`,
          mark(s.hit.perSecond >= 5000 && s.hit.p99Ms <= 20 && s.hit.non2xx === 0),
        ],
      );
    }
  }
  return ["### Targets", "", table(["target", "measured", ""], rows)].join("\n");
}

const render = await renderSection();
const http = await httpSection();
console.log([machine(), "", render.text, "", http.text, "", targets(render, http)].join("\n"));
