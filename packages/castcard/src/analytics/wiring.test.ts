import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../../../../tests/support/postgres";
import { createCastcard } from "../fronts/castcard";
import { loadConfig, type Env } from "../config/index";

// Analytics as createCastcard wires it: the mint records the share and answers its id, and a
// database that is slow or down never fails or holds a mint past the 1 s budget.
const APP = "https://castcard.example.com";
let postgres: TestPostgres;
const dirs: string[] = [];
beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function app(env: Env, logs: Array<{ event: string }> = []) {
  const dir = mkdtempSync(join(tmpdir(), "castcard-wiring-"));
  dirs.push(dir);
  const { config } = loadConfig({ APP_URL: APP, DATA_DIR: dir, ...env });
  return createCastcard(config, { log: (e) => logs.push(e) });
}

const mint = async (c: ReturnType<typeof app>, body: object) => {
  const started = performance.now();
  const res = await c.share(new Request(`${APP}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) }));
  return { res, ms: performance.now() - started };
};

describe("analytics in createCastcard", () => {
  it("records a mint (SQLite by default) and attributes events to its shareId", async () => {
    const c = app({});
    await c.ready;
    await c.analytics!.ready;
    const { res } = await mint(c, { fid: 5, username: "five", template: "poster" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { imageUrl: string; shareUrl: string; shareId: string };
    expect(Object.keys(body)).toEqual(["imageUrl", "shareUrl", "shareId"]);
    const event = await c.fetch(new Request(`${APP}/api/events`, { method: "POST", body: JSON.stringify({ type: "launch", share: body.shareId, viewerFid: 6 }) }));
    expect(event.status).toBe(204);
    const stats = (await (await c.fetch(new Request(`${APP}/api/stats`))).json()) as { designs: unknown[] };
    expect(stats.designs).toEqual([{ design: "poster", shares: 1, casts: 0, cancels: 0, launches: 1, viewers: 1 }]);
    expect(((await (await c.fetch(new Request(`${APP}/healthz`))).json()) as { analytics: unknown }).analytics).toEqual({ state: "ready", store: "sqlite" });
    await c.close();
  });

  it("answers a mint within the budget, without a shareId, while PostgreSQL is slow; logs it once", async () => {
    const url = await postgres.createDatabase();
    const logs: Array<{ event: string }> = [];
    const c = app({ DATABASE_URL: url }, logs);
    await c.ready;
    await c.analytics!.ready;
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    await blocker.query("begin");
    await blocker.query("lock table castcard_shares in access exclusive mode");
    try {
      const results = await Promise.all([1, 2].map((n) => mint(c, { fid: 40 + n, username: `slow${n}` })));
      for (const { res, ms } of results) {
        expect(res.status).toBe(200);
        const body = (await res.json()) as { imageUrl: string; shareId: string | null };
        expect(body.shareId).toBeNull();
        expect(body.imageUrl).toMatch(/^https:\/\/castcard\.example\.com\/api\/og\?/);
        // 1 s of budget, plus the card's own render.
        expect(ms).toBeLessThan(2500);
      }
      expect(logs.filter((l) => l.event === "analytics-slow")).toHaveLength(1);
      // Cards never touch the store.
      const card = await c.fetch(new Request(`${APP}/api/og?username=slow1`));
      expect(card.status).toBe(200);
    } finally {
      await blocker.query("rollback");
      await blocker.end();
    }
    await c.close();
  });

  it("answers mints and cards as before when PostgreSQL is down", async () => {
    const logs: Array<{ event: string }> = [];
    const c = app({ DATABASE_URL: "postgres://castcard:x@127.0.0.1:9/castcard" }, logs);
    await c.ready;
    const { res, ms } = await mint(c, { fid: 9, username: "nine" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { shareId: string | null }).shareId).toBeNull();
    expect(ms).toBeLessThan(2500);
    expect((await c.fetch(new Request(`${APP}/share${new URL((await (await mint(c, { fid: 9, username: "nine" })).res.json() as { shareUrl: string }).shareUrl).search}`))).status).toBe(200);
    await c.close();
  });

  it("with ANALYTICS=off records nothing, serves none of the routes, and launches the app at APP_URL", async () => {
    const c = app({ ANALYTICS: "off" });
    expect(c.analytics).toBeNull();
    const { res } = await mint(c, { fid: 5, username: "five" });
    const body = (await res.json()) as Record<string, string>;
    expect(Object.keys(body)).toEqual(["imageUrl", "shareUrl"]);
    for (const path of ["/api/events", "/api/stats", "/stats"]) expect((await c.fetch(new Request(`${APP}${path}`))).status).toBe(404);
    const html = await (await c.fetch(new Request(body.shareUrl!))).text();
    expect(html).toContain("&quot;url&quot;:&quot;https://castcard.example.com&quot;");
    expect(html).not.toContain("?share=");
  });
});
