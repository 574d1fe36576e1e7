import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestPostgres, type TestPostgres } from "../support/postgres";
import { startService, type RunningService } from "../support/start-service";

// Analytics in real processes: the image service (`castcard-og`, the package's compiled bin), on
// an SQLite file and on a real PostgreSQL server. kill -9 right after acknowledged events, two
// instances starting at once and taking events at once, a data folder that cannot be written.
let postgres: TestPostgres;
const dirs: string[] = [];
const running: RunningService[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "castcard-proc-"));
  dirs.push(dir);
  return dir;
};

beforeAll(async () => {
  postgres = await startTestPostgres();
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await postgres?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function service(env: Record<string, string>) {
  const s = await startService({ NODE_ENV: "development", ...env });
  running.push(s);
  // The service listens before its store is open: wait until analytics has started one way or the other.
  for (let i = 0; i < 100; i++) {
    const health = (await (await fetch(`${s.url}/healthz`)).json()) as { analytics: { state: string } };
    if (health.analytics.state !== "starting") break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return s;
}

async function mint(url: string, fid: number, template = "seed") {
  const res = await fetch(`${url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid, username: `u${fid}`, template }) });
  expect(res.status).toBe(200);
  const body = (await res.json()) as { shareId: string | null };
  expect(body.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  return body.shareId!;
}
const launch = (url: string, share: string, viewerFid: number) =>
  fetch(`${url}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "launch", share, viewerFid }) });
const stats = async (url: string) => (await (await fetch(`${url}/api/stats`)).json()) as { totals: Record<string, number>; top: Array<{ share: string; launches: number }> };

describe.each(["sqlite", "postgres"] as const)("the image service on %s", (kind) => {
  const storeEnv = async (): Promise<Record<string, string>> =>
    kind === "sqlite" ? { DATA_DIR: tempDir() } : { DATA_DIR: tempDir(), DATABASE_URL: await postgres.createDatabase() };

  it("keeps every acknowledged event through kill -9 and a restart", async () => {
    const env = await storeEnv();
    const first = await service(env);
    const share = await mint(first.url, 7);
    // Acknowledged one after another, then the process is killed at once: no shutdown, no flush.
    let acknowledged = 0;
    for (let i = 0; i < 40; i++) if ((await launch(first.url, share, 100 + i)).status === 204) acknowledged++;
    const burst = await Promise.all(Array.from({ length: 60 }, (_, i) => launch(first.url, share, 200 + i)));
    acknowledged += burst.filter((r) => r.status === 204).length;
    first.child.kill("SIGKILL");
    expect(await first.exited).toEqual({ code: null, signal: "SIGKILL" });
    expect(acknowledged).toBe(100);

    const second = await service(env);
    const after = await stats(second.url);
    expect(after.totals).toMatchObject({ shares: 1, launches: 100, viewers: 100 });
    expect(after.top[0]).toMatchObject({ share, launches: 100 });
  });

  it("counts exactly when two instances start at once on one store and take events at once", async () => {
    const env = await storeEnv();
    const [a, b] = await Promise.all([service(env), service(env)]);
    const shares = [await mint(a.url, 1), await mint(b.url, 2, "poster")];
    const results = await Promise.all(Array.from({ length: 300 }, (_, i) => launch(i % 2 ? a.url : b.url, shares[i % 2]!, 1 + i)));
    expect(results.map((r) => r.status).filter((s) => s !== 204)).toEqual([]);
    for (const s of [a, b]) {
      const seen = await stats(s.url);
      expect(seen.totals).toMatchObject({ shares: 2, launches: 300, viewers: 300 });
      expect(seen.top.map((t) => t.launches)).toEqual([150, 150]);
    }
    // The migration ran once, in one of them.
    const migrated = [a, b].flatMap((s) => s.lines().filter((l) => l.event === "analytics-migrated"));
    expect(migrated).toHaveLength(1);
  });
});

describe("the image service without a writable data folder", () => {
  it("starts, warns once with what to set, and serves cards and shares as before", async () => {
    const file = join(tempDir(), "a-file");
    writeFileSync(file, "");
    const s = await service({ DATA_DIR: join(file, "data") });
    const warnings = s.output().split("\n").filter((l) => l.includes("nothing is recorded"));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/Set DATA_DIR to a writable folder, or DATABASE_URL=postgres/);
    const res = await fetch(`${s.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 3, username: "three" }) });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { imageUrl: string; shareId: string | null };
    expect(body.shareId).toBeNull();
    expect((await fetch(body.imageUrl)).status).toBe(200);
    expect((await fetch(`${s.url}/api/stats`)).status).toBe(503);
    expect(((await (await fetch(`${s.url}/healthz`)).json()) as { analytics: unknown }).analytics).toEqual({ state: "unavailable", store: "sqlite", reason: "ENOTDIR" });
  });
});
