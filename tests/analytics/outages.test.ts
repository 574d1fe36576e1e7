import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextApp, type RunningApp } from "../support/next-app";
import { startRestartablePostgres, type RestartablePostgres } from "../support/postgres";
import { startService, type RunningService } from "../support/start-service";

// PostgreSQL stopped and started three times while events flow at full rate, on both fronts (the
// image service and `next start`), in real processes: the process stays up, cards and share pages
// answer 200 throughout, health says `unavailable` with the cause while the database is gone,
// nothing acknowledged is lost, and events are taken again within 5 s of the database's return.
let pg: RestartablePostgres;
const running: Array<{ stop(): Promise<void> }> = [];
beforeAll(async () => {
  pg = await startRestartablePostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((r) => r.stop()));
  await pg?.stop();
});

const TOKEN = "outage-test-token-0123456789";
const auth = { authorization: `Bearer ${TOKEN}` };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Front {
  url: string;
  alive(): boolean;
  logs(): Array<Record<string, unknown>>;
}

async function mintAll(url: string, n: number) {
  const minted: Array<{ shareId: string; imageUrl: string; shareUrl: string }> = [];
  for (let i = 0; i < n; i++) {
    const res = await fetch(`${url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 5000 + i, username: `out${i}` }) });
    expect(res.status).toBe(200);
    minted.push((await res.json()) as { shareId: string; imageUrl: string; shareUrl: string });
  }
  expect(minted.every((m) => /^[A-Za-z0-9_-]{22}$/.test(m.shareId))).toBe(true);
  return minted;
}

/** Launch events from `concurrency` loops until stopped, each with a viewer fid of its own. */
function flood(url: string, shares: string[], concurrency = 12) {
  const answers: Array<{ at: number; status: number }> = [];
  let next = 1;
  let stopped = false;
  const loop = async () => {
    while (!stopped) {
      const viewerFid = next++;
      const share = shares[viewerFid % shares.length]!;
      const status = await fetch(`${url}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "launch", share, viewerFid }) })
        .then(async (r) => (await r.arrayBuffer(), r.status))
        .catch(() => 0);
      answers.push({ at: performance.now(), status });
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return {
    answers,
    async stop() {
      stopped = true;
      await Promise.all(loops);
    },
  };
}

/** Cards, share pages and health, four times a second, until stopped. */
function watch(url: string, card: string, page: string) {
  const statuses: number[] = [];
  const health: Array<{ at: number; state: string; reason?: string }> = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      for (const target of [card, page]) statuses.push(await fetch(target).then(async (r) => (await r.arrayBuffer(), r.status)).catch(() => 0));
      const h = await fetch(`${url}/healthz`).then((r) => r.json() as Promise<{ analytics: { state: string; reason?: string } }>).catch(() => null);
      health.push({ at: performance.now(), ...(h?.analytics ?? { state: "no answer" }) });
      await sleep(250);
    }
  })();
  return {
    statuses,
    health,
    async stop() {
      stopped = true;
      await done;
    },
  };
}

async function restartsUnderLoad(front: Front) {
  const minted = await mintAll(front.url, 50);
  const load = flood(front.url, minted.map((m) => m.shareId));
  const watcher = watch(front.url, minted[0]!.imageUrl, minted[0]!.shareUrl);
  const recoveries: number[] = [];
  try {
    for (let cycle = 0; cycle < 3; cycle++) {
      await sleep(1500);
      await pg.down();
      await sleep(2500);
      await pg.up();
      const upAt = performance.now();
      const deadline = upAt + 15_000;
      while (!load.answers.some((a) => a.at > upAt && a.status === 204) && performance.now() < deadline) await sleep(20);
      recoveries.push((load.answers.find((a) => a.at > upAt && a.status === 204)?.at ?? Infinity) - upAt);
    }
    await sleep(1000);
  } finally {
    await load.stop();
    await watcher.stop();
  }
  const count = (status: number) => load.answers.filter((a) => a.status === status).length;
  const acknowledged = count(204);
  const stats = (await (await fetch(`${front.url}/api/stats`, { headers: auth })).json()) as { totals: { launches: number; viewers: number } };
  return { recoveries, acknowledged, refused: count(503), unanswered: count(0), others: load.answers.filter((a) => ![204, 503].includes(a.status)).map((a) => a.status), stats, watcher };
}

function expectSurvived(front: Front, result: Awaited<ReturnType<typeof restartsUnderLoad>>) {
  const { recoveries, acknowledged, refused, stats } = result;
  console.log(JSON.stringify({ front: front.url, recoveriesMs: recoveries.map(Math.round), acknowledged, refused, launches: stats.totals.launches }));
  expect(front.alive()).toBe(true);
  // Every event answered: committed (204) or not (503), never a dropped connection or a 5xx else.
  expect(result.unanswered).toBe(0);
  expect(result.others).toEqual([]);
  expect(result.refused).toBeGreaterThan(0);
  expect(result.acknowledged).toBeGreaterThan(300);
  // Nothing acknowledged is lost (a commit whose answer was lost with the connection may add a few).
  expect(result.stats.totals.launches).toBeGreaterThanOrEqual(result.acknowledged);
  expect(result.stats.totals.launches).toBeLessThanOrEqual(result.acknowledged + result.refused);
  // Cards and share pages never touch the store.
  expect(result.watcher.statuses.length).toBeGreaterThan(20);
  expect(result.watcher.statuses.filter((s) => s !== 200)).toEqual([]);
  const down = result.watcher.health.filter((h) => h.state === "unavailable");
  expect(down.length).toBeGreaterThan(0);
  for (const h of down) expect(h.reason).toMatch(/^(ECONNREFUSED|ECONNRESET|EPIPE|57P01 admin_shutdown|57P03 cannot_connect_now|connection terminated|connection closed)$/);
  expect(result.recoveries).toHaveLength(3);
  for (const ms of result.recoveries) expect(ms).toBeLessThan(5000);
  const logs = front.logs();
  expect(logs.filter((l) => l.event === "analytics-unavailable")).toHaveLength(3);
  expect(logs.filter((l) => l.event === "analytics-recovered")).toHaveLength(3);
}

const jsonLines = (text: string) =>
  text
    .split("\n")
    .filter((l) => l.startsWith("{"))
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });

describe("PostgreSQL stopped and started three times under event load", () => {
  it("the image service stays up and recovers each time", async () => {
    const s: RunningService = await startService({ DATABASE_URL: await pg.createDatabase(), STATS_TOKEN: TOKEN });
    running.push(s);
    const result = await restartsUnderLoad({ url: s.url, alive: () => s.child.exitCode === null && s.child.signalCode === null, logs: s.lines });
    expect(s.output()).not.toMatch(/uncaught/i);
    expectSurvived({ url: s.url, alive: () => s.child.exitCode === null, logs: s.lines }, result);
  }, 120_000);

  it("next start stays up and recovers each time", async () => {
    const app: RunningApp = await startNextApp({ DATABASE_URL: await pg.createDatabase(), STATS_TOKEN: TOKEN });
    running.push(app);
    const alive = () => {
      try {
        process.kill(app.pid, 0);
        return true;
      } catch {
        return false;
      }
    };
    const result = await restartsUnderLoad({ url: app.url, alive, logs: () => jsonLines(app.logs()) });
    expect(app.logs()).not.toMatch(/uncaught/i);
    expectSurvived({ url: app.url, alive, logs: () => jsonLines(app.logs()) }, result);
  }, 120_000);
});
