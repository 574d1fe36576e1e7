// Share analytics in `npm run bench` (or alone: BENCH_ONLY=analytics npm run bench):
//   1. POST /api/events on `next start` against Next's trivial route, same run (recording may cost
//      at most 30% of throughput);
//   2. the time recording a share adds to POST /api/share, analytics on against off, interleaved
//      (≤ 2 ms p50);
//   3. GET /api/stats over 1,000,000 launch events, on SQLite and on PostgreSQL (≤ 500 ms).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createAnalytics, openStore, rebuildRollups, type EventRecord, type ShareRecord, type StoreTarget } from "../packages/castcard/src/analytics/index";
import { startTestPostgres } from "../tests/support/postgres";
import { buildApp, runWrk, startApp, wrkAvailable, type WrkResult } from "./http";
import { ms, percentile, rate, table } from "./lib";

const quick = process.env.BENCH_QUICK === "1";
const httpSeconds = Number(process.env.BENCH_HTTP_SECONDS ?? (quick ? 3 : 10));
const LAUNCHES = Number(process.env.BENCH_LAUNCHES ?? (quick ? 100_000 : 1_000_000));
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

export interface AnalyticsFigures {
  text: string;
  /** Target rows: [target, measured, met]. */
  targets: Array<[string, string, boolean]>;
}

const DAY = 86_400_000;
const DESIGNS = ["seed", "split", "poster", "member", "score"];

/** A deterministic pseudo-random sequence (mulberry32), so every run seeds the same data. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * What a month of a popular app looks like: 20,000 shares over 30 days in five designs, a fifth of
 * them cast; 1,000,000 launches by 300,000 viewers, mostly on the days just after a share's cast
 * and heavily skewed to a few shares (the square of a uniform draw picks the share).
 */
async function seed(target: StoreTarget, launches: number): Promise<{ ms: number }> {
  // Rebuilding the roll-ups over a million rows is one long statement: no 15 s limit here.
  const store = openStore(target, { timeoutMs: 3_600_000 });
  await store.migrate();
  const started = performance.now();
  const rnd = random(42);
  const now = Date.now();
  const shareCount = Math.max(100, Math.round(launches / 50));
  const shares: Array<ShareRecord> = [];
  for (let i = 0; i < shareCount; i++) {
    shares.push({ id: `b${i.toString(36).padStart(21, "0")}`, fid: 1 + Math.floor(rnd() * 500_000), design: DESIGNS[i % DESIGNS.length]!, at: now - Math.floor(rnd() * 30 * DAY) });
  }
  for (let i = 0; i < shares.length; i += 5000) {
    const batch = shares.slice(i, i + 5000);
    const casts: EventRecord[] = batch.filter((_, j) => j % 5 === 0).map((s, j) => ({ type: "cast", share: s.id, design: s.design, at: s.at + 60_000, hash: `0x${(i + j).toString(16).padStart(40, "0")}` }));
    await store.write(batch, casts);
  }
  // Raw launches in bulk, then the roll-ups computed from them in SQL (rebuildRollups): the same
  // tables the live path keeps, written far faster than one event at a time.
  let done = 0;
  while (done < launches) {
    const rows: Array<{ share_id: string; at: number; day: number; viewer_fid: number; cast_hash: null; cast_fid: number }> = [];
    for (let i = 0; i < 4000 && done < launches; i++, done++) {
      const share = shares[Math.floor(rnd() * rnd() * shares.length)]!;
      const at = Math.min(now, share.at + Math.floor(rnd() * rnd() * 5 * DAY));
      rows.push({ share_id: share.id, at, day: Math.floor(at / DAY), viewer_fid: 1 + Math.floor(rnd() * 300_000), cast_hash: null, cast_fid: share.fid });
    }
    await store.db.insertInto("castcard_launches").values(rows).execute();
    if (done % 200_000 === 0) progress(`  ${target.kind}: ${done.toLocaleString("en-US")} launches written`);
  }
  await rebuildRollups(store);
  const took = performance.now() - started;
  await store.close();
  return { ms: took };
}

/** GET /api/stats (30 days, the default) through the route, warmed once, then sequentially. */
async function timeStats(target: StoreTarget, dataDir: string): Promise<{ p50: number; p99: number; launches: number }> {
  const analytics = createAnalytics(target.kind === "postgres" ? { dataDir, databaseUrl: target.url } : { dataDir });
  await analytics.ready;
  const request = () => analytics.stats(new Request("http://127.0.0.1/api/stats"));
  const first = await request();
  const body = (await first.json()) as { totals: { launches: number } };
  const times: number[] = [];
  for (let i = 0; i < (quick ? 10 : 30); i++) {
    const t = performance.now();
    const res = await request();
    await res.text();
    times.push(performance.now() - t);
  }
  await analytics.close();
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 50), p99: percentile(times, 99), launches: body.totals.launches };
}

async function statsSection(): Promise<{ rows: string[][]; targets: AnalyticsFigures["targets"] }> {
  const rows: string[][] = [];
  const targets: AnalyticsFigures["targets"] = [];
  const dir = mkdtempSync(join(tmpdir(), "castcard-bench-stats-"));
  const postgres = await startTestPostgres();
  try {
    for (const kind of ["sqlite", "postgres"] as const) {
      const target: StoreTarget = kind === "sqlite" ? { kind, file: join(dir, "castcard.sqlite") } : { kind, url: postgres.url };
      progress(`stats: writing ${LAUNCHES.toLocaleString("en-US")} launches into ${kind} …`);
      const seeded = await seed(target, LAUNCHES);
      const timed = await timeStats(target, dir);
      rows.push([kind, timed.launches.toLocaleString("en-US"), `${ms(timed.p50)} / ${ms(timed.p99)}`, `${(seeded.ms / 1000).toFixed(0)} s (bulk rows, then roll-ups rebuilt in SQL)`]);
      targets.push([`GET /api/stats over ${LAUNCHES.toLocaleString("en-US")} launches, ${kind}: ≤ 500 ms, p50`, ms(timed.p50), timed.p50 <= 500]);
    }
  } finally {
    await postgres.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return { rows, targets };
}

const mintBody = (fid: number, tag: string) => JSON.stringify({ fid, username: `${tag}${fid}` });

async function httpSection(): Promise<{ text: string; targets: AnalyticsFigures["targets"] } | null> {
  if (!wrkAvailable()) return null;
  progress("next build (production) for the analytics rows …");
  buildApp(process.env.BENCH_SKIP_BUILD === "1");
  const dataOn = mkdtempSync(join(tmpdir(), "castcard-bench-on-"));
  const [on, off] = [await startApp({ DATA_DIR: dataOn }), await startApp({ ANALYTICS: "off" })];
  const targets: AnalyticsFigures["targets"] = [];
  try {
    // The added time of recording: a new user's first mint (the card is rendered before the answer,
    // as always), alternating between the two servers so drift on the machine hits both alike.
    const tag = `m${Date.now().toString(36)}`;
    const mint = async (url: string, fid: number) => {
      const t = performance.now();
      const res = await fetch(`${url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: mintBody(fid, tag) });
      const body = (await res.json()) as { shareId?: string | null };
      return { ms: performance.now() - t, shareId: body.shareId ?? null, status: res.status };
    };
    for (let i = 0; i < 10; i++) await Promise.all([mint(on.url, 900_000 + i), mint(off.url, 900_000 + i)]);
    const count = quick ? 40 : 200;
    const withRecording: number[] = [];
    const without: number[] = [];
    let recorded = 0;
    progress(`/api/share: ${count} new users' mints on each server, interleaved …`);
    for (let i = 0; i < count; i++) {
      const order = i % 2 === 0 ? [on, off] : [off, on];
      for (const server of order) {
        const r = await mint(server.url, 1 + i);
        (server === on ? withRecording : without).push(r.ms);
        if (server === on && r.shareId) recorded++;
      }
    }
    withRecording.sort((a, b) => a - b);
    without.sort((a, b) => a - b);
    const added = percentile(withRecording, 50) - percentile(without, 50);

    // Shares the event runs launch: 200 recorded mints.
    const ids: string[] = [];
    for (let i = 0; i < 200; i++) {
      const r = await mint(on.url, 500_000 + i);
      if (r.shareId) ids.push(r.shareId);
    }
    const sharesFile = join(dataOn, "bench-shares.txt");
    writeFileSync(sharesFile, ids.join("\n"));
    progress(`wrk: Next's trivial route, then POST /api/events (${httpSeconds} s each) …`);
    const trivial = await runWrk(`${on.url}/.well-known/farcaster.json`, { connections: 16, seconds: httpSeconds });
    const events = await runWrk(`${on.url}/api/events`, { connections: 16, seconds: httpSeconds, lua: { file: "events.lua", args: [sharesFile, "1"] } });
    const share = events.perSecond / trivial.perSecond;
    const row = (label: string, r: WrkResult) => [label, `${r.connections}`, rate(r.perSecond), ms(r.p50Ms), ms(r.p99Ms), `${r.requests}`, `${r.non2xx + r.errors}`];
    targets.push(
      ["POST /api/events ≥ 0.7 of Next's trivial route (requests/s)", `${share.toFixed(2)} (${rate(events.perSecond)} vs ${rate(trivial.perSecond)}), ${events.non2xx + events.errors} bad`, share >= 0.7 && events.non2xx + events.errors === 0],
      ["recording a share adds ≤ 2 ms to POST /api/share, p50", `${added.toFixed(1)} ms (${ms(percentile(withRecording, 50))} vs ${ms(percentile(without, 50))}), ${recorded}/${count} recorded`, added <= 2 && recorded === count],
    );
    const text = [
      table(
        ["`next start`, wrk -t2", "connections", "requests/s", "p50", "p99", "requests", "errors + non-2xx"],
        [row("trivial route (`/.well-known/farcaster.json`)", trivial), row("`POST /api/events` (a launch, committed before the 204; SQLite)", events)],
      ),
      "",
      table(
        [`POST /api/share, a new user's first card, ${count} each, interleaved`, "p50", "p99"],
        [
          ["analytics on (SQLite, the share committed before the answer)", ms(percentile(withRecording, 50)), ms(percentile(withRecording, 99))],
          ["`ANALYTICS=off`", ms(percentile(without, 50)), ms(percentile(without, 99))],
        ],
      ),
    ].join("\n");
    return { text, targets };
  } finally {
    await Promise.all([on.stop(), off.stop()]);
    rmSync(dataOn, { recursive: true, force: true });
  }
}

export async function analyticsSection(): Promise<AnalyticsFigures> {
  const http = await httpSection();
  const stats = await statsSection();
  const text = [
    "### Share analytics",
    "",
    http ? http.text : "HTTP rows skipped: `wrk` is not on PATH.",
    "",
    table(["GET /api/stats (30 days) over the seeded store", "launches counted", "p50 / p99", "seeding time (not a target)"], stats.rows),
  ].join("\n");
  return { text, targets: [...(http?.targets ?? []), ...stats.targets] };
}
