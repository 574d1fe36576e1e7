import { copyFileSync, existsSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAnalytics, type Analytics, type AnalyticsOptions } from "./index";
import { causeOf } from "./outage";

// The SQLite store under faults, in process: its file deleted or replaced while it runs, and the
// rate budget of events that could not be recorded. Real files; nothing is mocked.
const APP = "https://castcard.example.com";
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "castcard-faults-"));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const id = (n: number) => `share${String(n).padStart(17, "0")}`;
const launch = (a: Analytics, share: string, viewerFid: number) =>
  a.events(new Request(`${APP}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "launch", share, viewerFid }) }));
const totals = async (a: Analytics) => ((await (await a.stats(new Request(`${APP}/api/stats`))).json()) as { totals: { shares: number; launches: number } }).totals;

/** Launches until one answers `status`, at most `ms`; the statuses seen. */
async function launchUntil(a: Analytics, share: string, status: number, ms: number, from = 1): Promise<number[]> {
  const seen: number[] = [];
  const deadline = performance.now() + ms;
  for (let v = from; performance.now() < deadline; v++) {
    seen.push((await launch(a, share, v)).status);
    if (seen.at(-1) === status) return seen;
    await new Promise((r) => setTimeout(r, 50));
  }
  return seen;
}

async function make(options: Partial<AnalyticsOptions> & { dataDir: string }, logs: Array<Record<string, unknown>> = []) {
  const a = createAnalytics({ log: (e) => logs.push(e), warn: () => undefined, ...options });
  await a.ready;
  return a;
}

describe("the SQLite store's file", () => {
  it("deleted while running: stops acknowledging, says so once, creates and migrates it again, and keeps what it takes after", async () => {
    const dir = tempDir();
    const logs: Array<Record<string, unknown>> = [];
    const a = await make({ dataDir: dir }, logs);
    expect(await a.recordShare({ id: id(1), fid: 1, design: "seed" })).toBe(true);
    expect((await launch(a, id(1), 1)).status).toBe(204);

    for (const end of ["", "-wal", "-shm"]) rmSync(join(dir, `castcard.sqlite${end}`), { force: true });
    const seen = await launchUntil(a, id(1), 503, 3000, 2);
    expect(seen.at(-1)).toBe(503);
    // Noticed at the first commit after the file went: nothing was acknowledged into it.
    expect(seen).toEqual([503]);
    expect(a.state()).toBe("unavailable");
    expect(a.cause()).toBe("FILE_DELETED");

    // Opened again within a retry: the old share went with the file, a new one is recorded.
    const deadline = performance.now() + 6000;
    while (a.state() !== "ready" && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(a.state()).toBe("ready");
    expect(existsSync(join(dir, "castcard.sqlite"))).toBe(true);
    expect((await launch(a, id(1), 50)).status).toBe(404);
    expect(await a.recordShare({ id: id(2), fid: 2, design: "seed" })).toBe(true);
    for (let v = 1; v <= 5; v++) expect((await launch(a, id(2), v)).status).toBe(204);
    await a.close();

    expect(logs.filter((l) => l.event === "analytics-unavailable")).toEqual([expect.objectContaining({ reason: "FILE_DELETED" })]);
    expect(logs.filter((l) => l.event === "analytics-recovered")).toHaveLength(1);
    expect(logs.filter((l) => l.event === "analytics-migrated")).toHaveLength(2);
    const again = await make({ dataDir: dir });
    expect(await totals(again)).toMatchObject({ shares: 1, launches: 5 });
    await again.close();
  });

  it("replaced while running: moves to the new file instead of writing into the old one", async () => {
    const other = tempDir();
    const b = await make({ dataDir: other });
    expect(await b.recordShare({ id: id(9), fid: 9, design: "poster" })).toBe(true);
    await b.close();

    const dir = tempDir();
    const logs: Array<Record<string, unknown>> = [];
    const a = await make({ dataDir: dir }, logs);
    expect(await a.recordShare({ id: id(1), fid: 1, design: "seed" })).toBe(true);
    copyFileSync(join(other, "castcard.sqlite"), join(dir, "incoming.sqlite"));
    renameSync(join(dir, "incoming.sqlite"), join(dir, "castcard.sqlite"));
    expect((await launchUntil(a, id(1), 503, 3000)).at(-1)).toBe(503);
    expect(a.cause()).toBe("FILE_REPLACED");
    expect((await launchUntil(a, id(9), 204, 6000)).at(-1)).toBe(204);
    await a.close();
    expect(logs.filter((l) => l.event === "analytics-unavailable")).toHaveLength(1);
    const again = await make({ dataDir: dir });
    expect(await totals(again)).toMatchObject({ shares: 1, launches: 1 });
    await again.close();
  });
});

describe("an event that could not be recorded", () => {
  it("spends no rate budget", async () => {
    const dir = tempDir();
    const a = await make({ dataDir: dir, limits: { share: { burst: 3, windowMs: 3_600_000, maxKeys: 100 } } });
    expect(await a.recordShare({ id: id(1), fid: 1, design: "seed" })).toBe(true);
    expect((await launch(a, id(1), 1)).status).toBe(204);
    // The file goes: the next events fail (503) until it is back; none of them costs budget.
    rmSync(join(dir, "castcard.sqlite"));
    expect((await launchUntil(a, id(1), 503, 3000, 2)).at(-1)).toBe(503);
    for (let i = 0; i < 5; i++) expect((await launch(a, id(1), 10 + i)).status).toBe(503);
    const deadline = performance.now() + 6000;
    while (a.state() !== "ready" && performance.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await a.recordShare({ id: id(1), fid: 1, design: "seed" })).toBe(true);
    // Two left of three: the one recorded before, none for the failures.
    expect((await launch(a, id(1), 20)).status).toBe(204);
    expect((await launch(a, id(1), 21)).status).toBe(204);
    expect((await launch(a, id(1), 22)).status).toBe(429);
    await a.close();
  });
});

describe("the cause of a store failure", () => {
  it("is a short code, never a path or a host", () => {
    expect(causeOf(Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" }))).toBe("ECONNREFUSED");
    expect(causeOf(Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" }))).toBe("57P01 admin_shutdown");
    expect(causeOf(Object.assign(new Error("database or disk is full"), { code: "SQLITE_FULL" }))).toBe("SQLITE_FULL");
    expect(causeOf(new Error("Connection terminated unexpectedly"))).toBe("connection terminated");
    expect(causeOf(new Error("/secret/path/db: something odd"))).toBe("error");
  });
});
