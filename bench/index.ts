// `npm run bench`: Castcard's core against @vercel/og on the same card, then HTTP figures on the
// production server. A benchmark, not a test: it prints numbers and asserts nothing. Long on
// purpose: every section and its targets print from one run, so the ratios are same-run.
//   BENCH_QUICK=1        small counts, to check the bench itself runs
//   BENCH_SKIP_BUILD=1   reuse the last bench build of the app if there is one
//   BENCH_HTTP_SECONDS   length of each wrk run (default 10)
//   BENCH_BASELINE=<commit>  also time new photo cards on the image service as it was at that
//                        commit (git archive into a temporary folder), in the same run
//   BENCH_ONLY=cards     only the card rows (render against @vercel/og, HTTP, memory) and their targets
//   BENCH_ONLY=analytics only the share analytics rows (events route, recording a share, stats,
//                        event flood)
//   BENCH_ONLY=flood     only the event flood rows: event loop delay and card hits, idle vs under
//                        POST /api/events at full rate (BENCH_FLOOD_FRONTS=service,next picks fronts)
//   BENCH_ONLY=standalone only the standalone rows (folder size, cold starts)
//   BENCH_LAUNCHES       launch events seeded for the stats rows (default 1,000,000)
//   BENCH_ONLY=notify    only the notification rows (webhook, launches crossing milestones, delivery)
import { spawn } from "node:child_process";
import { cpus, totalmem } from "node:os";
import { buildApp, startBaselineOgServer, runWrk, startApp, startOgServer, startStaticServer, timedGet, treeRss, wrkAvailable, type RunningServer, type WrkResult } from "./http";
import { kb, mb, ms, percentile, rate, ratio, table } from "./lib";
import { analyticsSection } from "./analytics";
import { standaloneSection } from "./standalone";
import { floodSection } from "./event-flood";
import { notifySection } from "./notify";
import { startPhotoServer } from "./photo";
import type { RenderPlan, RenderResult } from "./render-worker";

const ROOT = new URL("..", import.meta.url).pathname;
const quick = process.env.BENCH_QUICK === "1";
const httpSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? (quick ? 3 : 10));
const plans: Record<"castcard" | "vercel", RenderPlan> = quick
  ? {
      castcard: { total: 200, sequential: 100, concurrent: 60, photo: 40, perDesign: 20, memory: 300, memoryWarmup: 100 },
      vercel: { total: 30, sequential: 10, concurrent: 8, photo: 6, perDesign: 3, memory: 0, memoryWarmup: 0 },
    }
  : {
      castcard: { total: 1000, sequential: 500, concurrent: 500, photo: 300, perDesign: 100, memory: 10_000, memoryWarmup: 4000 },
      // Each reference render costs 100-200 ms: fewer timed samples, the same 1,000 for RSS.
      vercel: { total: 1000, sequential: 100, concurrent: 40, photo: 60, perDesign: 20, memory: 0, memoryWarmup: 0 },
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
  progress(`castcard core: ${plans.castcard.total} renders, ${plans.castcard.photo * 3} photo cards, designs, overhead, ${plans.castcard.memory} photo cards for memory…`);
  const castcard = await runWorker("castcard");
  progress(`@vercel/og 0.8.4: ${plans.vercel.total} renders and ${plans.vercel.photo * 2} photo cards (100-200 ms each)…`);
  const vercel = await runWorker("vercel");
  const c = castcard;
  const v = vercel;
  const rows: string[][] = [
    ["import of the renderer module", ms(c.importMs), ms(v.importMs), ratio(v.importMs / c.importMs)],
    ["first render (incl. renderer + fonts)", ms(c.firstMs), ms(v.firstMs), ratio(v.firstMs / c.firstMs)],
    [`initials card: p50 per render (${plans.castcard.sequential} / ${plans.vercel.sequential} sequential)`, ms(c.p50), ms(v.p50), ratio(v.p50 / c.p50)],
    ["initials card: p99 per render", ms(c.p99), ms(v.p99), ratio(v.p99 / c.p99)],
    ["initials card: renders/s, concurrency 1", rate(c.perSecond1), rate(v.perSecond1), ratio(c.perSecond1 / v.perSecond1)],
    ["initials card: renders/s, concurrency 4", rate(c.perSecond4), rate(v.perSecond4), ratio(c.perSecond4 / v.perSecond4)],
    [
      `**new user, new photo avatar: p50** (${plans.castcard.photo} / ${plans.vercel.photo} sequential)`,
      ms(c.photo.p50),
      ms(v.photo.p50),
      ratio(v.photo.p50 / c.photo.p50),
    ],
    ["new user, new photo avatar: p99", ms(c.photo.p99), ms(v.photo.p99), ratio(v.photo.p99 / c.photo.p99)],
    ["new user, new photo avatar: cards/s, concurrency 4", rate(c.photo.perSecond4), rate(v.photo.perSecond4), ratio(c.photo.perSecond4 / v.photo.perSecond4)],
    ["PNG bytes (@alice initials card / a photo card)", `${kb(c.pngBytes)} / ${kb(c.photo.pngBytes)}`, `${kb(v.pngBytes)} / ${kb(v.photo.pngBytes)}`, ratio(v.pngBytes / c.pngBytes)],
    ["RSS after the first render", mb(c.rssFirst), mb(v.rssFirst), ratio(v.rssFirst / c.rssFirst)],
    [`RSS after ${plans.castcard.total} distinct renders`, mb(c.rssAfterTotal), mb(v.rssAfterTotal), ratio(v.rssAfterTotal / c.rssAfterTotal)],
  ];
  const designRows = Object.keys(c.designs).flatMap((id) => [
    [`${id}: initials, p50`, ms(c.designs[id]!.initials), ms(v.designs[id]?.initials ?? NaN), ratio((v.designs[id]?.initials ?? NaN) / c.designs[id]!.initials)],
    [`${id}: new photo (decoded and normalised in-process), p50`, ms(c.designs[id]!.photo), ms(v.designs[id]?.photo ?? NaN), ratio((v.designs[id]?.photo ?? NaN) / c.designs[id]!.photo)],
  ]);
  const o = c.overhead!;
  const overheadRows = (["initials", "photo"] as const).map((kind) => [
    `seed, ${kind === "photo" ? "normalised photo avatar" : "initials"}`,
    `${ms(o[kind].ours.p50)} / ${ms(o[kind].ours.p99)}`,
    `${ms(o[kind].bare.p50)} / ${ms(o[kind].bare.p99)}`,
    ratio(o[kind].ours.p50 / o[kind].bare.p50),
  ]);
  const before = c.before!;
  const text = [
    "### Render: same JSX designs, same Inter TTF, 1200×800 PNG, one process per renderer",
    "",
    table(["", "Castcard core (takumi)", "@vercel/og 0.8.4", "ratio (Castcard better by)"], rows),
    "",
    "Every built-in design (p50, sequential; Castcard's full card path, the photo decoded and normalised from JPEG bytes):",
    "",
    table(["", "Castcard", "@vercel/og 0.8.4", "ratio"], designRows),
    "",
    "Our overhead: Castcard's full card path (`renderCard`: font plan, name fitting, element tree, render) against bare takumi drawing the tree that path builds, interleaved:",
    "",
    table(["", "full card path p50 / p99", "bare takumi p50 / p99", "full / bare"], overheadRows),
    "",
    table(
      ["The photo avatar path before and after (in-process, same run)", "p50 / p99", "before / after"],
      [
        ["before: fetched, 480 px PNG deflated by sharp, decoded and scaled again by takumi (emulated)", `${ms(before.p50)} / ${ms(before.p99)}`, ""],
        ["now: fetched, normalised once to the drawn size, stored PNG", `${ms(c.photo.p50)} / ${ms(c.photo.p99)}`, ratio(before.p50 / c.photo.p50)],
      ],
    ),
  ].join("\n");
  return { text, castcard, vercel };
}

interface ServerFigures {
  label: string;
  startMs: number;
  firstMs: number;
  laterMedianMs: number;
  /** A new user with a new photo per request, sequential: p50 and the service's own timing. */
  photo: { p50: number; p99: number; avatarMs: number; renderMs: number; fallbacks: number };
  hit: WrkResult;
  miss: WrkResult;
  photoMiss: WrkResult;
  /** Avatar fetches the server made and failures it cached over the whole run (from /healthz). */
  avatars: { fetches: number; failures: number };
  /** Next only: wrk on its manifest route, the cheapest route it serves. */
  trivial: WrkResult | null;
  rssBefore: number | null;
  rssAfter: number | null;
  png: Uint8Array;
}

interface HttpFigures {
  text: string;
  next: ServerFigures;
  service: ServerFigures;
  calibration: WrkResult;
  /** The baseline's photo cards, and the current service's measured interleaved with them. */
  baseline: { commit: string; photo: PhotoFigures; current: PhotoFigures } | null;
}

const timingOf = (header: string | null, name: string) => Number(header?.match(new RegExp(`${name};dur=([\\d.]+)`))?.[1] ?? NaN);

type PhotoFigures = ServerFigures["photo"];

/**
 * A new user with a new photo per request, sequential; the first few (JIT, first decode) untimed.
 * Given several servers, their requests alternate, so a busy machine slows them all alike.
 */
async function photoCards(urls: string[], photos: string, tag: string): Promise<PhotoFigures[]> {
  const samples = urls.map(() => ({ photoMs: [] as number[], avatarMs: [] as number[], renderMs: [] as number[], fallbacks: 0 }));
  const photoCount = quick ? 20 : 100;
  for (let i = 0; i < photoCount + 5; i++) {
    for (const [n, url] of urls.entries()) {
      const key = `${tag}s${n}ph${i}`;
      const got = await timedGet(`${url}/api/og?username=${key}&image=${encodeURIComponent(`${photos}/p/${key}.jpg`)}`);
      const mine = samples[n]!;
      if (got.status !== 200 || got.avatar !== "image") mine.fallbacks++;
      if (i < 5) continue;
      mine.photoMs.push(got.ms);
      mine.avatarMs.push(timingOf(got.timing, "avatar"));
      mine.renderMs.push(timingOf(got.timing, "render"));
    }
  }
  return samples.map(({ photoMs, avatarMs, renderMs, fallbacks }) => {
    for (const list of [photoMs, avatarMs, renderMs]) list.sort((a, b) => a - b);
    return { p50: percentile(photoMs, 50), p99: percentile(photoMs, 99), avatarMs: percentile(avatarMs, 50), renderMs: percentile(renderMs, 50), fallbacks };
  });
}

/** First request after start, photo first cards, then wrk on one cached URL and on new cards per request. */
async function measureServer(label: string, server: RunningServer, photos: string, trivial: boolean): Promise<ServerFigures> {
  const tag = `b${Date.now().toString(36)}`;
  try {
    const first = await timedGet(`${server.url}/api/og?username=${tag}first`);
    if (first.status !== 200) throw new Error(`${label}: /api/og answered ${first.status}`);
    const later: number[] = [];
    for (let i = 0; i < 30; i++) later.push((await timedGet(`${server.url}/api/og?username=${tag}seq${i}`)).ms);
    later.sort((a, b) => a - b);

    const [photo] = await photoCards([server.url], photos, tag);

    const hitUrl = `${server.url}/api/og?username=alice`;
    const warm = await timedGet(hitUrl);
    const again = await timedGet(hitUrl);
    if (warm.status !== 200 || again.cache !== "hit") throw new Error(`${label}: expected a cached 200, got ${again.status} (${again.cache})`);

    progress(`wrk on ${label}: cache hit, cache miss, photo miss${trivial ? ", trivial route" : ""} (${httpSeconds} s each) …`);
    const hit = await runWrk(hitUrl, { connections: 16, seconds: httpSeconds });
    const trivialRun = trivial ? await runWrk(`${server.url}/.well-known/farcaster.json`, { connections: 16, seconds: httpSeconds }) : null;
    const rssBefore = treeRss(server.pid);
    const miss = await runWrk(`${server.url}/api/og`, { connections: 8, seconds: httpSeconds, distinct: tag });
    const photoMiss = await runWrk(`${server.url}/api/og`, { connections: 8, seconds: httpSeconds, distinct: `${tag}p`, photos });
    const rssAfter = treeRss(server.pid);
    const health = (await (await fetch(`${server.url}/healthz`)).json()) as { avatarCache?: { fetches: number; failuresCached: number } };
    const avatars = { fetches: health.avatarCache?.fetches ?? NaN, failures: health.avatarCache?.failuresCached ?? NaN };
    return {
      avatars,
      label,
      startMs: server.startMs,
      firstMs: first.ms,
      laterMedianMs: percentile(later, 50),
      photo,
      hit,
      miss,
      photoMiss,
      trivial: trivialRun,
      rssBefore,
      rssAfter,
      png: warm.bytes,
    };
  } finally {
    await server.stop();
  }
}

async function httpSection(vercel: RenderResult): Promise<HttpFigures | { text: string }> {
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
  const photoServer = await startPhotoServer();
  try {
    // Loopback avatars need the test-only setting; nothing else differs from production.
    const env = { AVATAR_ALLOW_PRIVATE: "1" };
    progress("next build (production) …");
    buildApp(process.env.BENCH_SKIP_BUILD === "1");
    progress("next start …");
    const next = await measureServer("next start", await startApp(env), photoServer.url, true);
    progress("npm run og-server (the image service without Next) …");
    const service = await measureServer("og-server", await startOgServer(env), photoServer.url, false);

    let baseline: HttpFigures["baseline"] = null;
    const baselineCommit = process.env.BENCH_BASELINE;
    if (baselineCommit) {
      progress(`the image service at ${baselineCommit} (baseline) …`);
      // Both services up at once, their requests interleaved: the comparison is same-run and same-load.
      const old = await startBaselineOgServer(baselineCommit, env);
      const now = await startOgServer(env);
      try {
        const [current, before] = await photoCards([now.url, old.url], photoServer.url, `base${Date.now().toString(36)}`);
        baseline = { commit: old.commit, photo: before!, current: current! };
      } finally {
        await old.stop();
        await now.stop();
      }
    }

    const calibrationServer = await startStaticServer(service.png);
    progress(`wrk: calibration (${httpSeconds} s) …`);
    const calibration = await runWrk(calibrationServer.url, { connections: 16, seconds: httpSeconds });
    await calibrationServer.close();

    const row = (label: string, r: WrkResult) => [label, `${r.connections}`, rate(r.perSecond), ms(r.p50Ms), ms(r.p99Ms), `${r.requests}`, `${r.non2xx + r.errors}`];
    const startRows = (s: ServerFigures) => [
      [`${s.label}: spawn → first answer`, ms(s.startMs)],
      [`${s.label}: first \`/api/og\` request after start (cache miss)`, ms(s.firstMs)],
      [`${s.label}: median of the next 30 sequential cache misses`, ms(s.laterMedianMs)],
      [
        `${s.label}: RSS before → after the two cache-miss runs`,
        s.rssBefore && s.rssAfter
          ? `${mb(s.rssBefore)} → ${mb(s.rssAfter)} (${s.miss.requests + s.photoMiss.requests} new cards into a 64 MB render cache)`
          : "n/a (no /proc)",
      ],
    ];
    const photoRow = (s: ServerFigures) => [
      `${s.label}`,
      `${ms(s.photo.p50)} / ${ms(s.photo.p99)}`,
      `${ms(s.photo.avatarMs)} / ${ms(s.photo.renderMs)}`,
      ratio(vercel.photo.p50 / s.photo.p50),
      `${s.photo.fallbacks}`,
    ];
    const text = [
      `### HTTP: wrk -t2, ${httpSeconds} s per row, 127.0.0.1, same machine as the server`,
      "",
      "A new user with a new 400×400 JPEG photo per request, sequential, from outside (Node's fetch), the photo on a local HTTP server:",
      "",
      table(
        ["front", "p50 / p99 per card", "Server-Timing p50: avatar / render", `@vercel/og in-process (${ms(vercel.photo.p50)}) / this`, "fallbacks"],
        [
          photoRow(service),
          photoRow(next),
          ...(baseline
            ? [
                photoRow({ label: `og-server, interleaved with the one at ${baseline.commit}`, photo: baseline.current } as ServerFigures),
                photoRow({ label: `og-server at ${baseline.commit} (before this work), interleaved`, photo: baseline.photo } as ServerFigures),
              ]
            : []),
        ],
      ),
      "",
      table(
        ["", "connections", "requests/s", "p50", "p99", "requests", "errors + non-2xx"],
        [
          row(`calibration: plain Node server returning the same ${kb(service.png.byteLength)} PNG`, calibration),
          row("`npm run og-server` (the image service, no Next): cache hit", service.hit),
          row("`npm run og-server`: cache miss (new username per request, no avatar)", service.miss),
          row("`npm run og-server`: cache miss with a new photo avatar per request", service.photoMiss),
          row("`next start`: trivial route (`/.well-known/farcaster.json`, 1 kB JSON)", next.trivial!),
          row("`next start`: cache hit (`/api/og?username=alice`)", next.hit),
          row("`next start`: cache miss (new username per request, no avatar)", next.miss),
          row("`next start`: cache miss with a new photo avatar per request", next.photoMiss),
        ],
      ),
      "",
      table(
        ["Start-up, server memory, avatars", ""],
        [
          ...startRows(service),
          ...startRows(next),
          ...[service, next].map((s) => [`${s.label}: avatar fetches / failures (fallback cards) over the run`, `${s.avatars.fetches} / ${s.avatars.failures}`]),
        ],
      ),
    ].join("\n");
    return { text, next, service, calibration, baseline };
  } finally {
    await photoServer.close();
  }
}

function targets(render: { castcard: RenderResult; vercel: RenderResult }, http: HttpFigures | { text: string }): string {
  const mark = (ok: boolean) => (ok ? "met" : "**missed**");
  const c = render.castcard;
  const v = render.vercel;
  const memory = c.memory!;
  const growth = (memory.after - memory.before) / memory.before;
  const initialsSpeedup = v.p50 / c.p50;
  const beforeSpeedup = c.before!.p50 / c.photo.p50;
  const rows: string[][] = [];
  if ("next" in http) {
    const photoRatio = v.photo.p50 / http.service.photo.p50;
    rows.push(
      [
        "new user with a photo avatar over HTTP on the service: ≥ 12× @vercel/og (stretch 15×), p50",
        `${ratio(photoRatio)} (${ms(http.service.photo.p50)} vs ${ms(v.photo.p50)})`,
        mark(photoRatio >= 12),
      ],
    );
  }
  rows.push(
    ["initials card in-process: ≥ 20× @vercel/og, p50", `${ratio(initialsSpeedup)} (${ms(c.p50)} vs ${ms(v.p50)})`, mark(initialsSpeedup >= 20)],
    ...(["initials", "photo"] as const).map((kind) => {
      const o = c.overhead![kind];
      const r = o.ours.p50 / o.bare.p50;
      return [`our card path ≤ 1.15× bare takumi on the same tree (${kind}), p50`, `${r.toFixed(2)}× (${ms(o.ours.p50)} vs ${ms(o.bare.p50)})`, mark(r <= 1.15)];
    }),
    ["photo-avatar first card ≥ 3× faster than before, in-process p50", `${ratio(beforeSpeedup)} (${ms(c.before!.p50)} → ${ms(c.photo.p50)})`, mark(beforeSpeedup >= 3)],
  );
  if ("next" in http && http.baseline) {
    const faster = http.baseline.photo.p50 / http.baseline.current.p50;
    rows.push([
      `photo-avatar first card ≥ 3× faster than at ${http.baseline.commit}, over HTTP on the service, p50`,
      `${ratio(faster)} (${ms(http.baseline.photo.p50)} → ${ms(http.baseline.current.p50)}, interleaved)`,
      mark(faster >= 3),
    ]);
  }
  if ("next" in http) {
    const serviceHit = http.service.hit.perSecond / http.calibration.perSecond;
    const nextHit = http.next.hit.perSecond / http.next.trivial!.perSecond;
    rows.push(
      ["service cache hit ≥ 0.6 of a bare Node server sending the same bytes", `${serviceHit.toFixed(2)} (${rate(http.service.hit.perSecond)} vs ${rate(http.calibration.perSecond)})`, mark(serviceHit >= 0.6)],
      ["Next cache hit ≥ 0.8 of Next's trivial route", `${nextHit.toFixed(2)} (${rate(http.next.hit.perSecond)} vs ${rate(http.next.trivial!.perSecond)})`, mark(nextHit >= 0.8)],
    );
    for (const s of [http.service, http.next]) {
      const clean = (r: WrkResult) => r.non2xx === 0 && r.errors === 0;
      const photoClean = clean(s.photoMiss) && s.avatars.failures === 0;
      rows.push(
        [`${s.label}: ≥ 150 cache misses/s without avatar, no non-2xx`, `${rate(s.miss.perSecond)}, ${s.miss.non2xx + s.miss.errors} bad`, mark(s.miss.perSecond >= 150 && clean(s.miss))],
        [
          `${s.label}: ≥ 100 cache misses/s with new photo avatars, no non-2xx (nor fallback)`,
          `${rate(s.photoMiss.perSecond)}, ${s.photoMiss.non2xx + s.photoMiss.errors} bad, ${s.avatars.failures} fallbacks`,
          mark(s.photoMiss.perSecond >= 100 && photoClean),
        ],
      );
    }
  }
  rows.push(
    [
      `RSS grows ≤ 10% over ${memory.cards} distinct photo cards after warm-up (${memory.warmedUpAfter} cards; whole handler, default caches)`,
      `${mb(memory.before)} → ${mb(memory.after)} (${(growth * 100).toFixed(1)}%; ${rate(memory.perSecond)} at concurrency 4, ${memory.non200} not drawn with the photo)`,
      mark(growth <= 0.1 && memory.non200 === 0),
    ],
    ["default card PNG ≤ 120 kB", kb(c.pngBytes), mark(c.pngBytes <= 120 * 1024)],
  );
  return ["### Targets", "", table(["target", "measured", ""], rows)].join("\n");
}

type TargetRows = Array<[string, string, boolean]>;
const targetTable = (title: string, rows: TargetRows) =>
  [`### Targets: ${title}`, "", table(["target", "measured", ""], rows.map(([t, m, ok]) => [t, m, ok ? "met" : "**missed**"]))].join("\n");
const analyticsTargets = (rows: TargetRows) => targetTable("share analytics", rows);
const notifyTargets = (rows: TargetRows) => targetTable("notifications", rows);

if (process.env.BENCH_ONLY === "standalone") {
  console.log([machine(), "", await standaloneSection()].join("\n"));
} else if (process.env.BENCH_ONLY === "flood") {
  const flood = await floodSection();
  console.log([machine(), "", flood.text, "", analyticsTargets(flood.targets)].join("\n"));
} else if (process.env.BENCH_ONLY === "notify") {
  const notify = await notifySection();
  console.log([machine(), "", notify.text, "", notifyTargets(notify.targets)].join("\n"));
} else if (process.env.BENCH_ONLY === "cards") {
  const render = await renderSection();
  const http = await httpSection(render.vercel);
  console.log([machine(), "", render.text, "", http.text, "", targets(render, http)].join("\n"));
} else if (process.env.BENCH_ONLY === "analytics") {
  const analytics = await analyticsSection();
  const flood = await floodSection();
  console.log([machine(), "", analytics.text, "", flood.text, "", analyticsTargets([...analytics.targets, ...flood.targets])].join("\n"));
} else {
  const render = await renderSection();
  const http = await httpSection(render.vercel);
  const analytics = await analyticsSection();
  const flood = await floodSection();
  const notify = await notifySection();
  const standalone = await standaloneSection();
  console.log(
    [machine(), "", render.text, "", http.text, "", analytics.text, "", flood.text, "", notify.text, "", standalone, "", targets(render, http), "", analyticsTargets([...analytics.targets, ...flood.targets]), "", notifyTargets(notify.targets)].join("\n"),
  );
}
