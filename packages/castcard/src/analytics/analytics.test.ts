// Long on purpose: one suite run on both stores (SQLite and PostgreSQL), every bad input, budget
// and access rule of the analytics routes, so the two databases are held to the same assertions.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../../../tests/support/postgres";
import { startQuickAuthServer, type QuickAuthServer } from "../../../../tests/support/quick-auth-server";
import { copyStore, createAnalytics, openStore, rebuildRollups, type Analytics, type AnalyticsOptions, type Stats } from "./index";
import { createCardUrls } from "../url/index";
import { DAY_MS } from "./db/schema";

// The same analytics tests on both stores: an SQLite file in a temporary folder, and a real
// PostgreSQL server this file starts (or TEST_DATABASE_URL). Nothing is mocked.
const APP = "https://castcard.example.com";
const DOMAIN = "castcard.example.com";

let postgres: TestPostgres;
let auth: QuickAuthServer;
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "castcard-analytics-"));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  [postgres, auth] = await Promise.all([startTestPostgres(), startQuickAuthServer()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), auth?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Kind = "sqlite" | "postgres";
/** A fresh, empty store of the kind: a new folder, or a new database on the server. */
async function freshStore(kind: Kind): Promise<Pick<AnalyticsOptions, "dataDir" | "databaseUrl">> {
  return kind === "sqlite" ? { dataDir: tempDir() } : { dataDir: tempDir(), databaseUrl: await postgres.createDatabase() };
}

/** Another connection takes the store's write lock and keeps it until released. */
async function holdWriteLock(kind: Kind, store: Pick<AnalyticsOptions, "dataDir" | "databaseUrl">): Promise<() => Promise<void>> {
  if (kind === "postgres") {
    const blocker = new pg.Client({ connectionString: store.databaseUrl! });
    await blocker.connect();
    await blocker.query("begin");
    await blocker.query("lock table castcard_shares in access exclusive mode");
    return async () => {
      await blocker.query("rollback");
      await blocker.end();
    };
  }
  const blocker = new Database(join(store.dataDir, "castcard.sqlite"));
  // The store may be writing (its first retention pass, which runs at start): wait for it without
  // blocking this thread, which drives that transaction.
  for (let tries = 0; ; tries++) {
    try {
      blocker.exec("begin immediate");
      break;
    } catch (error) {
      if (tries > 200) throw error;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  return async () => {
    blocker.exec("rollback");
    blocker.close();
  };
}

const id = (n: number | string) => `share${String(n).padStart(17, "0")}`;
const hash = (n: number) => `0x${n.toString(16).padStart(40, "0")}`;

function post(a: Analytics, body: unknown, headers: Record<string, string> = {}) {
  return a.events(
    new Request(`${APP}/api/events`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
}
const get = (a: Analytics, path: string, headers: Record<string, string> = {}) =>
  (path.startsWith("/stats") ? a.dashboard : a.stats)(new Request(`${APP}${path}`, { headers }));
const statsOf = async (a: Analytics, days?: number): Promise<Stats> => {
  const res = await get(a, `/api/stats${days ? `?days=${days}` : ""}`);
  expect(res.status).toBe(200);
  return res.json();
};

describe.each<Kind>(["sqlite", "postgres"])("analytics on %s", (kind) => {
  const open: Analytics[] = [];
  const make = async (options: Partial<AnalyticsOptions> & Pick<AnalyticsOptions, "dataDir">) => {
    const a = createAnalytics({ production: false, ...options });
    open.push(a);
    await a.ready;
    return a;
  };
  afterAll(() => Promise.all(open.map((a) => a.close())));

  it("records shares, casts, cancels and launches, and answers the stats in exactly the documented shape", async () => {
    const a = await make(await freshStore(kind));
    expect(a.state()).toBe("ready");
    expect(await a.recordShare({ id: id(1), fid: 7, design: "seed" })).toBe(true);
    expect(await a.recordShare({ id: id(2), fid: 8, design: "split" })).toBe(true);
    // The same card minted again is the same share: counted once.
    expect(await a.recordShare({ id: id(1), fid: 7, design: "seed" })).toBe(true);

    const ok = async (body: unknown) => expect((await post(a, body)).status).toBe(204);
    await ok({ type: "cast", share: id(1), hash: hash(1) });
    // A retried report of the same cast is one cast.
    await ok({ type: "cast", share: id(1), hash: hash(1).toUpperCase().replace("0X", "0x") });
    await ok({ type: "cancel", share: id(2) });
    await ok({ type: "launch", share: id(1), viewerFid: 100, castHash: hash(1), castFid: 7 });
    await ok({ type: "launch", share: id(1), viewerFid: 100 });
    await ok({ type: "launch", share: id(1), viewerFid: 101 });
    await ok({ type: "launch", share: id(2), viewerFid: 100 });
    await ok({ type: "launch", share: id(2) });

    const stats = await statsOf(a);
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.totals).toEqual({ shares: 2, casts: 1, cancels: 1, launches: 5, viewers: 2 });
    expect(stats.designs).toEqual([
      { design: "seed", shares: 1, casts: 1, cancels: 0, launches: 3, viewers: 2 },
      { design: "split", shares: 1, casts: 0, cancels: 1, launches: 2, viewers: 1 },
    ]);
    expect(stats.days).toHaveLength(30);
    expect(stats.days.at(-1)).toEqual({ day: today, shares: 2, casts: 1, launches: 5 });
    expect(stats.days.slice(0, -1).every((d) => d.shares + d.casts + d.launches === 0)).toBe(true);
    expect(stats.top).toEqual([
      { share: id(1), fid: 7, design: "seed", castHash: hash(1), launches: 3, viewers: 2 },
      { share: id(2), fid: 8, design: "split", castHash: null, launches: 2, viewers: 1 },
    ]);
    expect(Object.keys(stats)).toEqual(["totals", "designs", "days", "top"]);
    expect((await statsOf(a, 1)).days).toEqual([{ day: today, shares: 2, casts: 1, launches: 5 }]);
  });

  it("counts a viewer once per window, on the last day they launched, as windows grow and days pass", async () => {
    const store = await freshStore(kind);
    const earlier = await make({ ...store, now: () => Date.now() - 3 * DAY_MS });
    await earlier.recordShare({ id: id(1), fid: 7, design: "seed" });
    for (const viewerFid of [5, 6]) expect((await post(earlier, { type: "launch", share: id(1), viewerFid })).status).toBe(204);
    await earlier.close();
    const today = await make(store);
    // Viewer 5 comes back today, twice; viewer 6 does not.
    for (let i = 0; i < 2; i++) expect((await post(today, { type: "launch", share: id(1), viewerFid: 5 })).status).toBe(204);
    const lastDay = await statsOf(today, 1);
    expect(lastDay.totals).toEqual({ shares: 0, casts: 0, cancels: 0, launches: 2, viewers: 1 });
    expect(lastDay.designs).toEqual([{ design: "seed", shares: 0, casts: 0, cancels: 0, launches: 2, viewers: 1 }]);
    expect(lastDay.top).toEqual([{ share: id(1), fid: 7, design: "seed", castHash: null, launches: 2, viewers: 1 }]);
    const week = await statsOf(today, 7);
    expect(week.totals).toEqual({ shares: 1, casts: 0, cancels: 0, launches: 4, viewers: 2 });
    expect(week.top[0]).toMatchObject({ launches: 4, viewers: 2 });
    expect(week.days.map((d) => d.launches)).toEqual([0, 0, 0, 2, 0, 0, 2]);

    // The roll-ups recomputed from the raw rows are the ones kept while writing.
    await today.close();
    const raw = openStore(kind === "sqlite" ? { kind, file: join(store.dataDir, "castcard.sqlite") } : { kind, url: store.databaseUrl! });
    try {
      await rebuildRollups(raw);
      for (const days of [1, 7]) expect(await raw.stats(days)).toEqual(days === 1 ? lastDay : week);
    } finally {
      await raw.close();
    }
  });

  it("refuses every bad event with a short answer naming what was wrong", async () => {
    const a = await make(await freshStore(kind));
    await a.recordShare({ id: id(1), fid: 7, design: "seed" });
    const bad = async (body: unknown, status: number, pattern: RegExp, headers: Record<string, string> = {}) => {
      const res = await post(a, body, headers);
      expect(res.status).toBe(status);
      const text = await res.text();
      expect(text).toMatch(pattern);
      expect(text.length).toBeLessThan(200);
    };
    await bad("{", 400, /body must be JSON/);
    await bad([], 400, /expected a JSON object/);
    await bad({ share: id(1) }, 400, /^Bad request: type: /);
    await bad({ type: "view", share: id(1) }, 400, /^Bad request: type: /);
    await bad({ type: "cast", hash: hash(1) }, 400, /^Bad request: share: /);
    await bad({ type: "cast", share: "short", hash: hash(1) }, 400, /^Bad request: share: /);
    await bad({ type: "cast", share: id(1) }, 400, /^Bad request: hash: expected 0x and 40 hex digits/);
    await bad({ type: "cast", share: id(1), hash: "0x123" }, 400, /^Bad request: hash: /);
    await bad({ type: "launch", share: id(1), viewerFid: -3 }, 400, /^Bad request: viewerFid: /);
    await bad({ type: "launch", share: id(1), viewerFid: 1.5 }, 400, /^Bad request: viewerFid: /);
    await bad({ type: "launch", share: id(1), viewerFid: "7" }, 400, /^Bad request: viewerFid: /);
    await bad({ type: "launch", share: id(1), castHash: "abc" }, 400, /^Bad request: castHash: /);
    await bad({ type: "launch", share: id(1), castFid: 0 }, 400, /^Bad request: castFid: /);
    await bad({ type: "launch", share: id(1), username: "alice" }, 400, /^Bad request: username: not a field/);
    await bad({ type: "cancel", share: id(1), hash: hash(1) }, 400, /^Bad request: hash: not a field/);
    await bad({ type: "launch", share: id(999) }, 404, /share: no such share/);
    await bad({ type: "launch", share: id(1), pad: "x".repeat(5000) }, 413, /at most 4096 bytes/);
    const wrongMethod = await a.events(new Request(`${APP}/api/events`));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    // Nothing above was recorded.
    expect((await statsOf(a)).totals).toEqual({ shares: 1, casts: 0, cancels: 0, launches: 0, viewers: 0 });
  });

  it("keeps a viewer to a few launches of a share a minute, and a share to hundreds, with Retry-After", async () => {
    const a = await make(await freshStore(kind));
    await a.recordShare({ id: id(1), fid: 7, design: "seed" });
    await a.recordShare({ id: id(2), fid: 7, design: "seed" });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await post(a, { type: "launch", share: id(1), viewerFid: 42 })).status);
    expect(statuses.slice(0, 5)).toEqual([204, 204, 204, 204, 204]);
    expect(statuses).toContain(429);
    const refused = await post(a, { type: "launch", share: id(1), viewerFid: 42 });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    // Another viewer of the same share is not held back by the first.
    expect((await post(a, { type: "launch", share: id(1), viewerFid: 43 })).status).toBe(204);

    // 600 launches of one share by 600 viewers within a minute are all taken (in parallel, so the
    // writes group into a few transactions); far more are not.
    const many = await Promise.all(Array.from({ length: 600 }, (_, i) => post(a, { type: "launch", share: id(2), viewerFid: 1000 + i })));
    expect(many.filter((r) => r.status === 204)).toHaveLength(600);
    const more = await Promise.all(Array.from({ length: 100 }, (_, i) => post(a, { type: "launch", share: id(2), viewerFid: 5000 + i })));
    const limited = more.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(50);
    expect(Number(limited[0]!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    const stats = await statsOf(a);
    expect(stats.totals.launches).toBe(statuses.filter((s) => s === 204).length + 1 + 600 + (100 - limited.length));
    expect(stats.top[0]).toMatchObject({ share: id(2), viewers: 600 + (100 - limited.length) });
  });

  it("with sign-in on, takes a cast or cancel only from the share's minter; launches need no sign-in", async () => {
    const a = await make({ ...(await freshStore(kind)), auth: { required: true, origin: auth.url, domain: DOMAIN }, shareSecret: "s" });
    await a.recordShare({ id: id(1), fid: 7, design: "seed" });
    const minter = await auth.token({ fid: 7, domain: DOMAIN });
    const other = await auth.token({ fid: 8, domain: DOMAIN });
    const elsewhere = await auth.token({ fid: 7, domain: "other.example.com" });

    const none = await post(a, { type: "cast", share: id(1), hash: hash(1) });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await post(a, { type: "cancel", share: id(1) }, { authorization: "Bearer nope" })).status).toBe(401);
    expect((await post(a, { type: "cancel", share: id(1) }, { authorization: `Bearer ${elsewhere}` })).status).toBe(401);
    const forbidden = await post(a, { type: "cast", share: id(1), hash: hash(1) }, { authorization: `Bearer ${other}` });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.text()).toMatch(/only the share's minter/);
    expect((await post(a, { type: "cast", share: id(1), hash: hash(1) }, { authorization: `Bearer ${minter}` })).status).toBe(204);
    expect((await post(a, { type: "cancel", share: id(1) }, { authorization: `Bearer ${minter}` })).status).toBe(204);
    expect((await post(a, { type: "launch", share: id(1), viewerFid: 9 })).status).toBe(204);
    expect((await statsOf(a)).totals).toEqual({ shares: 1, casts: 1, cancels: 1, launches: 1, viewers: 1 });
  });

  it("keeps what it acknowledged across a restart, and migrates once", async () => {
    const store = await freshStore(kind);
    const first = await make(store);
    await first.recordShare({ id: id(1), fid: 7, design: "poster" });
    expect((await post(first, { type: "launch", share: id(1), viewerFid: 5 })).status).toBe(204);
    await first.close();
    const logs: string[] = [];
    const second = await make({ ...store, log: (e) => logs.push(e.event) });
    expect(logs).not.toContain("analytics-migrated");
    expect((await statsOf(second)).totals).toEqual({ shares: 1, casts: 0, cancels: 0, launches: 1, viewers: 1 });
    // The share is known to the new instance from the database, not from memory.
    expect((await post(second, { type: "launch", share: id(1), viewerFid: 6 })).status).toBe(204);
    expect((await statsOf(second)).totals.viewers).toBe(2);
  });

  it("counts exactly when two instances on one store take events at once", async () => {
    const store = await freshStore(kind);
    // Both start at once on an empty store: the migration runs once, under a lock.
    const [a, b] = await Promise.all([make(store), make(store)]);
    expect([a.state(), b.state()]).toEqual(["ready", "ready"]);
    await a.recordShare({ id: id(1), fid: 7, design: "seed" });
    await b.recordShare({ id: id(2), fid: 8, design: "split" });
    const sends = Array.from({ length: 400 }, (_, i) =>
      post(i % 2 ? a : b, { type: "launch", share: id(1 + (i % 4 < 2 ? 0 : 1)), viewerFid: 1 + (i % 150) }),
    );
    const results = await Promise.all(sends);
    expect(results.every((r) => r.status === 204)).toBe(true);
    expect((await post(b, { type: "cast", share: id(1), hash: hash(3) })).status).toBe(204);
    expect((await post(a, { type: "cast", share: id(1), hash: hash(3) })).status).toBe(204);
    for (const x of [a, b]) {
      const s = await statsOf(x);
      expect(s.totals).toEqual({ shares: 2, casts: 1, cancels: 0, launches: 400, viewers: 150 });
      expect(s.top.map((t) => t.launches)).toEqual([200, 200]);
    }
  });

  it("deletes rows older than the retention period", async () => {
    const store = await freshStore(kind);
    const past = Date.now() - 50 * DAY_MS;
    const old = await make({ ...store, now: () => past });
    await old.recordShare({ id: id(1), fid: 7, design: "seed" });
    expect((await post(old, { type: "launch", share: id(1), viewerFid: 5 })).status).toBe(204);
    await old.close();
    const fresh = await make({ ...store, retentionDays: 30 });
    await fresh.recordShare({ id: id(2), fid: 8, design: "seed" });
    // Retention runs at start, in the background: wait for the old rows to go.
    const db = openStore(kind === "sqlite" ? { kind, file: join(store.dataDir, "castcard.sqlite") } : { kind, url: store.databaseUrl! });
    try {
      for (let i = 0; i < 50; i++) {
        const rows = await db.db.selectFrom("castcard_launches").select("share_id").execute();
        if (rows.length === 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await db.db.selectFrom("castcard_launches").selectAll().execute()).toEqual([]);
      expect((await db.db.selectFrom("castcard_shares").select("id").execute()).map((r) => r.id)).toEqual([id(2)]);
      expect(await db.db.selectFrom("castcard_viewers").selectAll().execute()).toEqual([]);
    } finally {
      await db.close();
    }
    expect((await statsOf(fresh, 365)).totals).toEqual({ shares: 1, casts: 0, cancels: 0, launches: 0, viewers: 0 });
  });

  it("guards the stats: a token as Bearer (API) or Basic password (dashboard); without one, open in development and absent in production", async () => {
    const store = await freshStore(kind);
    const token = "a-long-stats-token-for-tests";
    const guarded = await make({ ...store, statsToken: token, production: true });
    const noAuth = await get(guarded, "/api/stats");
    expect(noAuth.status).toBe(401);
    expect(noAuth.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect((await get(guarded, "/api/stats", { authorization: "Bearer wrong" })).status).toBe(401);
    expect((await get(guarded, "/api/stats", { authorization: `Bearer ${token}` })).status).toBe(200);
    const page = await get(guarded, "/stats");
    expect(page.status).toBe(401);
    expect(page.headers.get("www-authenticate")).toMatch(/^Basic realm="Castcard stats"/);
    const basic = `Basic ${Buffer.from(`anyone:${token}`).toString("base64")}`;
    const shown = await get(guarded, "/stats", { authorization: basic });
    expect(shown.status).toBe(200);
    expect(shown.headers.get("content-type")).toMatch(/^text\/html/);
    expect((await get(guarded, "/stats", { authorization: `Bearer ${token}` })).status).toBe(200);
    expect((await get(guarded, "/api/stats", { authorization: basic })).status).toBe(401);
    expect((await get(guarded, "/api/stats?days=0", { authorization: `Bearer ${token}` })).status).toBe(400);
    expect(await (await get(guarded, "/api/stats?days=abc", { authorization: `Bearer ${token}` })).text()).toMatch(/^Bad request: days: /);
    expect((await get(guarded, "/api/stats?days=3661", { authorization: `Bearer ${token}` })).status).toBe(400);

    const production = await make({ ...store, production: true });
    expect((await get(production, "/api/stats")).status).toBe(404);
    expect((await get(production, "/stats")).status).toBe(404);
    const development = await make({ ...store, production: false });
    expect((await get(development, "/api/stats")).status).toBe(200);
    expect((await get(development, "/stats?days=7")).status).toBe(200);
  });

  it("shows the counts on the dashboard: totals, designs, days and top shares, as server-drawn SVG with no script", async () => {
    const a = await make(await freshStore(kind));
    await a.recordShare({ id: id(1), fid: 7, design: "seed" });
    await a.recordShare({ id: id(2), fid: 8, design: "split" });
    await post(a, { type: "cast", share: id(1), hash: hash(77) });
    for (let v = 1; v <= 3; v++) await post(a, { type: "launch", share: id(1), viewerFid: v });
    const res = await get(a, "/stats?days=7");
    const html = await res.text();
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('name="viewport"');
    expect(html).toMatch(/last 7 days/);
    expect(html.match(/<svg/g)?.length).toBe(7);
    expect(html).toContain("<td>seed</td>");
    expect(html).toContain("<td>split</td>");
    expect(html).toContain(`title="${hash(77)}"`);
    expect(html).toMatch(/the client(&#x27;|')s word/);
    expect(html).toContain("cast rate 50%");
  });

  it("never holds a mint beyond its budget when the database is slow, and logs it once, as slow, not down", async () => {
    const store = await freshStore(kind);
    const logs: { event: string }[] = [];
    const a = await make({ ...store, log: (e) => logs.push(e) });
    // A real slow database: another connection holds the lock every insert of a share must wait for.
    const release = await holdWriteLock(kind, store);
    try {
      const started = performance.now();
      const results = await Promise.all([1, 2, 3].map((n) => a.recordShare({ id: id(n), fid: n, design: "seed" }, 300)));
      const took = performance.now() - started;
      expect(results).toEqual([false, false, false]);
      expect(took).toBeLessThan(1000);
      expect(logs.filter((l) => l.event === "analytics-slow")).toHaveLength(1);
      expect(a.state()).toBe("ready");
    } finally {
      await release();
    }
    // The writes that were waiting finish once the lock goes; new ones are recorded again.
    expect(await a.recordShare({ id: id(4), fid: 4, design: "seed" })).toBe(true);
    expect(logs.filter((l) => l.event === "analytics-unavailable")).toEqual([]);
  });
});

describe("moving between stores", () => {
  it("copies every row from SQLite to PostgreSQL and back, and the stats read the same", async () => {
    const sqlite = { dataDir: tempDir() };
    const a = createAnalytics(sqlite);
    await a.ready;
    // The first share keeps its card (its canonical query at the embed size); the second has none.
    const urls = createCardUrls();
    const card = urls.cardFor({ design: "seed", user: { username: "alice", displayName: "Alice", fid: 7 }, size: "og" });
    await a.recordShare({ id: id(1), fid: 7, design: "seed", card });
    await a.recordShare({ id: id(2), fid: 8, design: "split" });
    expect((await post(a, { type: "cast", share: id(1), hash: hash(5) })).status).toBe(204);
    expect((await post(a, { type: "cancel", share: id(2) })).status).toBe(204);
    for (let v = 1; v <= 4; v++) expect((await post(a, { type: "launch", share: id(v % 2 ? 1 : 2), viewerFid: v, castHash: hash(5), castFid: 7 })).status).toBe(204);
    const before = await statsOf(a);
    await a.close();

    const pgUrl = await postgres.createDatabase();
    const back = tempDir();
    const stores = [
      openStore({ kind: "sqlite", file: join(sqlite.dataDir, "castcard.sqlite") }),
      openStore({ kind: "postgres", url: pgUrl }),
      openStore({ kind: "sqlite", file: join(back, "castcard.sqlite") }),
    ] as const;
    try {
      expect(await copyStore(stores[0], stores[1])).toEqual({
        castcard_shares: 2,
        castcard_casts: 1,
        castcard_cancels: 1,
        castcard_launches: 4,
        castcard_daily: 2,
        castcard_share_daily: 2,
        castcard_viewers: 4 + 4 + 4,
        // One day: `*`, two designs, two shares.
        castcard_viewer_days: 5,
        // No notifications here (tests/notify/outbox.test.ts copies those).
        castcard_notify_tokens: 0,
        castcard_notify_viewers: 0,
        castcard_notify_reach: 0,
        castcard_notify_outbox: 0,
        castcard_notify_daily: 0,
      });
      await copyStore(stores[1], stores[2]);
      for (const store of stores) {
        const rows = await store.db.selectFrom("castcard_shares").select(["id", "card"]).orderBy("id").execute();
        expect(rows).toEqual([{ id: id(1), card: urls.canonical({ ...card, size: "embed" }) }, { id: id(2), card: null }]);
      }
      // A second copy into a store that has rows is refused, and changes nothing.
      await expect(copyStore(stores[0], stores[1])).rejects.toThrow(/already has rows in castcard_shares/);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    for (const options of [{ dataDir: tempDir(), databaseUrl: pgUrl }, { dataDir: back }]) {
      const moved = createAnalytics(options);
      await moved.ready;
      expect(await statsOf(moved)).toEqual(before);
      await moved.close();
    }
  });
});

describe("a share's card", () => {
  it("is kept within a card URL's length: a longer one is not kept, and the share is recorded", async () => {
    const a = createAnalytics({ dataDir: tempDir() });
    await a.ready;
    const card = createCardUrls().cardFor({ design: "seed", user: { username: "alice" } });
    const long = { ...card, user: { ...card.user, displayName: "x".repeat(1100) } };
    expect(await a.recordShare({ id: id("long"), fid: 7, design: "seed", card: long })).toBe(true);
    expect(await a.recordShare({ id: id("short"), fid: 7, design: "seed", card })).toBe(true);
    const rows = await a.store()!.db.selectFrom("castcard_shares").select(["id", "card"]).orderBy("id").execute();
    expect(rows).toEqual([{ id: id("long"), card: null }, { id: id("short"), card: "username=alice&v=1&template=seed" }]);
    await a.close();
  });
});

describe("analytics that cannot store", () => {
  it("starts without a writable DATA_DIR: warns once with what to set, records nothing, and answers 503", async () => {
    const file = join(tempDir(), "not-a-folder");
    writeFileSync(file, "");
    const warnings: string[] = [];
    const a = createAnalytics({ dataDir: join(file, "data"), warn: (l) => warnings.push(l) });
    await a.ready;
    expect(a.state()).toBe("unavailable");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/DATA_DIR .* cannot be written \(.*\): nothing is recorded until it can; retrying every 2 s\. Set DATA_DIR .* or DATABASE_URL/);
    const started = performance.now();
    expect(await a.recordShare({ id: id(1), fid: 7, design: "seed" })).toBe(false);
    expect(performance.now() - started).toBeLessThan(50);
    expect((await post(a, { type: "launch", share: id(1) })).status).toBe(503);
    expect((await get(a, "/api/stats")).status).toBe(503);
    const page = await get(a, "/stats");
    expect(page.status).toBe(503);
    expect(await page.text()).toMatch(/DATA_DIR/);
    await a.close();
    expect(warnings).toHaveLength(1);
  });

  it("starts with a PostgreSQL server that is down: mints are not held, events answer 503 with Retry-After", async () => {
    const warnings: string[] = [];
    const logs: string[] = [];
    // A port nothing listens on: connection refused, at once.
    const a = createAnalytics({ dataDir: tempDir(), databaseUrl: "postgres://castcard:x@127.0.0.1:9/castcard", warn: (l) => warnings.push(l), log: (e) => logs.push(e.event) });
    await a.ready;
    expect(a.state()).toBe("unavailable");
    expect(a.cause()).toBe("ECONNREFUSED");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/DATABASE_URL\) cannot be reached/);
    const started = performance.now();
    expect(await a.recordShare({ id: id(1), fid: 7, design: "seed" })).toBe(false);
    expect(performance.now() - started).toBeLessThan(1100);
    const res = await post(a, { type: "launch", share: id(1) });
    expect(res.status).toBe(503);
    expect(res.headers.get("retry-after")).toBe("5");
    expect(logs.filter((e) => e === "analytics-unavailable")).toHaveLength(1);
    await a.close();
  });
});
