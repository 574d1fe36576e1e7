// `npm run bench:screen`: how soon the Mini App's first screen is real, as a user on a client meets
// it. The production build inside the test host (tests/browser/host, @farcaster/miniapp-host) in
// Chromium, a cold cache every load, unthrottled and on a slow phone (screen-load.ts), interleaved
// runs, medians. A benchmark, not a test: it prints numbers and asserts nothing.
//   BENCH_SCREEN_RUNS=9          loads per app and condition (at least 7; default 9)
//   BENCH_QUICK=1                two runs, to check the bench itself runs (not for publication)
//   BENCH_SKIP_BUILD=1           reuse the last bench build of the app if there is one
//   BENCH_SCREEN_TEMPLATE=<dir>  also load another Next app, built in <dir> (`next build` done), in
//                                the same host and the same run: the comparison the targets name
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join, resolve } from "node:path";
import { launchChromium, startHostServer } from "../tests/browser/support";
import { freePort, startNextApp, stopChild } from "../tests/support/next-app";
import { BENCH_DIST_DIR, buildApp } from "./http";
import { kib, mb, ms, percentile, ratio, table } from "./lib";
import { photoPool, startPhotoServer } from "./photo";
import { loadOnce, THROTTLED, type LoadResult } from "./screen-load";

const quick = process.env.BENCH_QUICK === "1";
const runs = quick ? 2 : Math.max(7, Number(process.env.BENCH_SCREEN_RUNS ?? 9));
const templateDir = process.env.BENCH_SCREEN_TEMPLATE ? resolve(process.env.BENCH_SCREEN_TEMPLATE) : null;
const progress = (line: string) => process.stderr.write(`bench:screen: ${line}\n`);
const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);

// What the issue recorded for the Monad template on the development machine, for a run without it.
const RECORDED_TEMPLATE = { throttled: { readyMs: 1937, lcpMs: 2006, js: 223.3 * 1024 }, unthrottled: { readyMs: 149 } };

/** `next start` of an already built Next app in `dir`, with its own `next`, on a free loopback port. */
async function startTemplate(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  const nextBin = join(dir, "node_modules/next/dist/bin/next");
  if (!existsSync(join(dir, ".next/BUILD_ID")) || !existsSync(nextBin)) throw new Error(`${dir}: not a built Next app (run npm install and next build there)`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [nextBin, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", NEXT_PUBLIC_URL: url, NEXT_TELEMETRY_DISABLED: "1" },
    stdio: "ignore",
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the template's next start exited with ${child.exitCode}`);
    if (await fetch(`${url}/`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const stop = () => stopChild(child, 5000);
  return { url, stop };
}

type Target = { name: string; url: string; card: boolean };
type Condition = "unthrottled" | "throttled";

async function main() {
  progress(`building the app into ${BENCH_DIST_DIR} (BENCH_SKIP_BUILD=1 reuses it)…`);
  buildApp(process.env.BENCH_SKIP_BUILD === "1");
  const dataDir = mkdtempSync(join(tmpdir(), "castcard-screen-"));
  const photos = await startPhotoServer(await photoPool(8));
  const [app, host, browser, template] = await Promise.all([
    startNextApp({ AVATAR_ALLOW_PRIVATE: "1", DATA_DIR: dataDir }, BENCH_DIST_DIR),
    startHostServer(),
    launchChromium(),
    templateDir ? startTemplate(templateDir) : Promise.resolve(null),
  ]);
  const targets: Target[] = [{ name: "Castcard", url: `${app.url}/`, card: true }];
  if (template) targets.push({ name: "template", url: `${template.url}/`, card: false });
  const results = new Map<string, LoadResult[]>();
  const failures = new Map<string, number>();
  try {
    // One warm-up load each (compiles nothing, but fills the servers' own caches of the page code).
    for (const t of targets) await loadOnce(browser, host.url, t.url, { fid: 1, username: "warmup", pfpUrl: `${photos.url}/p/warmup.jpg` }, { throttled: false, cardFor: t.card ? "warmup" : undefined });
    for (let i = 0; i < runs; i++) {
      // Interleaved: every round loads each app in each condition, in an order that rotates.
      const order = targets.flatMap((t) => (["unthrottled", "throttled"] as Condition[]).map((c) => ({ t, c })));
      const rotated = order.map((_, k) => order[(k + i) % order.length]!);
      for (const { t, c } of rotated) {
        // A new user every load: their card is minted and rendered for the first time, as on a first open.
        const username = `screen${i}${c[0]}`;
        const user = { fid: 10_000 + i * 2 + (c === "throttled" ? 1 : 0), username, displayName: `Screen ${i}`, pfpUrl: `${photos.url}/p/${username}.jpg` };
        const key = `${t.name}/${c}`;
        try {
          const r = await loadOnce(browser, host.url, t.url, user, { throttled: c === "throttled", cardFor: t.card ? username : undefined });
          results.set(key, [...(results.get(key) ?? []), r]);
        } catch (error) {
          // One stuck load (a busy machine) must not cost the whole run: it is counted and reported.
          failures.set(key, (failures.get(key) ?? 0) + 1);
          progress(`${key} load ${i + 1} failed: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
        }
      }
      progress(`round ${i + 1}/${runs} done`);
    }
  } finally {
    await browser.close();
    await Promise.all([app.stop(), host.close(), photos.close(), template?.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }
  const failed = [...failures].map(([key, n]) => `${key}: ${n}`).join(", ");
  process.stdout.write(`${report(results, targets)}\n${failed ? `\nFailed loads, left out of the medians: ${failed}\n` : ""}`);
}

function report(results: Map<string, LoadResult[]>, targets: Target[]): string {
  const cpu = cpus();
  const lines = [
    `Machine: ${cpu.length} cores, ${cpu[0]?.model.trim() ?? "unknown CPU"}, ${mb(totalmem())} RAM; load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}`,
    quick ? "BENCH_QUICK=1: two runs, not for publication" : "",
    `Node ${process.version}, ${process.platform}/${process.arch}; ${new Date().toISOString()}; ${runs} interleaved runs per app and condition, medians`,
    `Throttled: CPU ${THROTTLED.cpuRate}× slower, ${THROTTLED.downKbps / 1000} Mbps down / ${THROTTLED.upKbps} kbps up, ${THROTTLED.latencyMs} ms round trip. Times from the app frame's navigation start.`,
    "",
  ];
  const hasTemplate = targets.length > 1;
  for (const c of ["unthrottled", "throttled"] as Condition[]) {
    const ours = results.get(`Castcard/${c}`) ?? [];
    const theirs = results.get(`template/${c}`);
    const m = (rs: LoadResult[] | undefined, f: (r: LoadResult) => number) => (rs ? median(rs.map(f)) : NaN);
    const row = (label: string, f: (r: LoadResult) => number, show: (v: number) => string): string[] => {
      const a = m(ours, f);
      const b = m(theirs, f);
      return hasTemplate ? [label, show(a), show(b), Number.isFinite(a / b) ? ratio(a / b) : "–"] : [label, show(a)];
    };
    const range = (f: (r: LoadResult) => number) => `${ms(Math.min(...ours.map(f)))}–${ms(Math.max(...ours.map(f)))}`;
    lines.push(`### ${c === "throttled" ? "Slow phone (throttled)" : "Unthrottled"}`, "");
    lines.push(
      table(hasTemplate ? ["", "Castcard", "Monad template", "Castcard / template"] : ["", "Castcard"], [
        row("JS files transferred before `ready()`", (r) => r.jsBeforeReady, kib),
        row("inline scripts in the HTML (gzip)", (r) => r.inlineJs, kib),
        row("**JS before `ready()`, both**", (r) => r.jsBeforeReady + r.inlineJs, kib),
        row("all JS of the load", (r) => r.jsTotal, kib),
        row("HTML arrived", (r) => r.htmlMs, ms),
        row("last of that JS arrived", (r) => r.jsArrivedMs, ms),
        row("`ready()`", (r) => r.readyMs, ms),
        row("first contentful paint", (r) => r.fcpMs, ms),
        row("largest contentful paint", (r) => r.lcpMs, ms),
        row("the user's card: bytes", (r) => r.cardBytes, (v) => (Number.isFinite(v) ? kib(v) : "–")),
        row("the user's card: arrived", (r) => r.cardArrivedMs, (v) => (Number.isFinite(v) ? ms(v) : "–")),
        row("the user's card on screen", (r) => r.cardMs, (v) => (Number.isFinite(v) ? ms(v) : "–")),
      ]),
      "",
      `Castcard's spread over the runs: \`ready()\` ${range((r) => r.readyMs)}, card on screen ${range((r) => r.cardMs)}.`,
      "",
    );
  }
  lines.push(targetLines(results, hasTemplate));
  return lines.join("\n");
}

function targetLines(results: Map<string, LoadResult[]>, hasTemplate: boolean): string {
  const m = (key: string, f: (r: LoadResult) => number) => median((results.get(key) ?? []).map(f));
  const ours = { ready: m("Castcard/throttled", (r) => r.readyMs), js: m("Castcard/throttled", (r) => r.jsBeforeReady + r.inlineJs), card: m("Castcard/throttled", (r) => r.cardMs), fast: m("Castcard/unthrottled", (r) => r.readyMs) };
  const theirs = hasTemplate
    ? { ready: m("template/throttled", (r) => r.readyMs), lcp: m("template/throttled", (r) => r.lcpMs), fast: m("template/unthrottled", (r) => r.readyMs), source: "the template in this run" }
    : { ready: RECORDED_TEMPLATE.throttled.readyMs, lcp: RECORDED_TEMPLATE.throttled.lcpMs, fast: RECORDED_TEMPLATE.unthrottled.readyMs, source: "the template's numbers recorded earlier (not this run)" };
  const mark = (ok: boolean) => (ok ? "met" : "MISSED");
  return [
    `Targets, against ${theirs.source}:`,
    `- \`ready()\` throttled ≤ 0.65× the template's: ${ratio(ours.ready / theirs.ready)} (${ms(ours.ready)} vs ${ms(theirs.ready)}) — ${mark(ours.ready <= 0.65 * theirs.ready)}`,
    `- JS before \`ready()\` ≤ 160 KiB: ${kib(ours.js)} — ${mark(ours.js <= 160 * 1024)}`,
    `- the user's card on screen, throttled, no later than the template's largest paint: ${ms(ours.card)} vs ${ms(theirs.lcp)} — ${mark(ours.card <= theirs.lcp)}`,
    `- \`ready()\` unthrottled no slower than the template's: ${ms(ours.fast)} vs ${ms(theirs.fast)} — ${mark(ours.fast <= theirs.fast)}`,
  ].join("\n");
}

await main();
