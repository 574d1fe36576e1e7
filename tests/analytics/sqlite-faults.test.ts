import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "../support/start-service";

// The SQLite store's faults in the image service, a real process: its file deleted and then
// replaced while events flow; a data folder that becomes writable after start; a disk that fills
// up and empties again.
const dirs: string[] = [];
const mounts: string[] = [];
const running: RunningService[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "castcard-sqlite-faults-"));
  dirs.push(dir);
  return dir;
};
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  for (const m of mounts) spawnSync("umount", [m]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const root = process.getuid?.() === 0;

async function service(dataDir: string) {
  const s = await startService({ NODE_ENV: "development", DATA_DIR: dataDir });
  running.push(s);
  return s;
}
const health = async (s: RunningService) => ((await (await fetch(`${s.url}/healthz`)).json()) as { analytics: { state: string; reason?: string } }).analytics;
async function waitForState(s: RunningService, state: string, ms = 8000) {
  const deadline = performance.now() + ms;
  let seen = await health(s);
  while (seen.state !== state && performance.now() < deadline) {
    await sleep(100);
    seen = await health(s);
  }
  return seen;
}
async function mint(s: RunningService, fid: number) {
  const res = await fetch(`${s.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid, username: `f${fid}` }) });
  expect(res.status).toBe(200);
  return (await res.json()) as { shareId: string | null; imageUrl: string };
}
let viewer = 1;
const launch = (s: RunningService, share: string) =>
  fetch(`${s.url}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ type: "launch", share, viewerFid: viewer++ }) }).then((r) => r.status);
/** Launches one after another until one answers `status` (at most `ms`); the statuses seen. */
async function launchUntil(s: RunningService, share: string, status: number, ms = 8000) {
  const seen: number[] = [];
  const deadline = performance.now() + ms;
  while (seen.at(-1) !== status && performance.now() < deadline) seen.push(await launch(s, share));
  return seen;
}
const totals = async (s: RunningService) => ((await (await fetch(`${s.url}/api/stats`)).json()) as { totals: { shares: number; launches: number } }).totals;
const logged = (s: RunningService, event: string) => s.lines().filter((l) => l.event === event);

describe("the image service's SQLite file", () => {
  it("deleted, then replaced, while events flow: never acknowledges into a file that is gone, and keeps what it takes after", async () => {
    const dir = tempDir();
    const s = await service(dir);
    expect(await waitForState(s, "ready")).toEqual({ state: "ready", store: "sqlite" });
    const a = (await mint(s, 1)).shareId!;
    for (let i = 0; i < 20; i++) expect(await launch(s, a)).toBe(204);

    for (const end of ["", "-wal", "-shm"]) rmSync(join(dir, `castcard.sqlite${end}`), { force: true });
    // The first commit after the file went fails: nothing is acknowledged into it.
    expect(await launchUntil(s, a, 503)).toEqual([503]);
    expect(await health(s)).toEqual({ state: "unavailable", store: "sqlite", reason: "FILE_DELETED" });
    expect(await waitForState(s, "ready")).toEqual({ state: "ready", store: "sqlite" });
    // The file was created and migrated again: the share minted before went with the old one.
    expect(await launch(s, a)).toBe(404);
    const b = (await mint(s, 2)).shareId!;
    for (let i = 0; i < 15; i++) expect(await launch(s, b)).toBe(204);

    // Another store's file moved over this one.
    const other = tempDir();
    const t = await service(other);
    await waitForState(t, "ready");
    const c = (await mint(t, 3)).shareId!;
    await t.stop();
    copyFileSync(join(other, "castcard.sqlite"), join(dir, "incoming.sqlite"));
    renameSync(join(dir, "incoming.sqlite"), join(dir, "castcard.sqlite"));
    expect(await launchUntil(s, b, 503)).toEqual([503]);
    expect((await health(s)).reason).toBe("FILE_REPLACED");
    const seen = await launchUntil(s, c, 204);
    expect(seen.at(-1)).toBe(204);
    expect(seen.filter((x) => x !== 503 && x !== 204)).toEqual([]);
    for (let i = 0; i < 9; i++) expect(await launch(s, c)).toBe(204);

    expect(logged(s, "analytics-unavailable").map((l) => l.reason)).toEqual(["FILE_DELETED", "FILE_REPLACED"]);
    expect(logged(s, "analytics-recovered")).toHaveLength(2);
    await s.stop();
    // What it took into the file now in place survives a restart.
    const again = await service(dir);
    await waitForState(again, "ready");
    expect(await totals(again)).toMatchObject({ shares: 1, launches: 10 });
  }, 90_000);
});

/**
 * A folder that cannot be written at first. As root (whom permissions do not stop) a small tmpfs,
 * mounted read-only and later read-write; otherwise a folder without write permission, later given it.
 */
function unwritableFolder(): { dir: string; makeWritable(): void } {
  const dir = tempDir();
  if (root) {
    const m = spawnSync("mount", ["-t", "tmpfs", "-o", "ro,size=8m", "tmpfs", dir], { encoding: "utf8" });
    if (m.status !== 0) throw new Error(`mounting a tmpfs as root failed: ${m.stderr}`);
    mounts.push(dir);
    return { dir, makeWritable: () => void spawnSync("mount", ["-o", "remount,rw", dir]) };
  }
  chmodSync(dir, 0o555);
  return { dir, makeWritable: () => chmodSync(dir, 0o755) };
}

describe("the image service's data folder", () => {
  it("not writable at start: serves cards, says why, and records once it becomes writable, without a restart", async () => {
    const folder = unwritableFolder();
    const s = await service(folder.dir);
    const before = await waitForState(s, "unavailable");
    expect(before).toEqual({ state: "unavailable", store: "sqlite", reason: root ? "EROFS" : "EACCES" });
    const unrecorded = await mint(s, 1);
    expect(unrecorded.shareId).toBeNull();
    expect((await fetch(unrecorded.imageUrl)).status).toBe(200);
    expect(s.output().split("\n").filter((l) => l.includes("cannot be written"))).toHaveLength(1);

    folder.makeWritable();
    expect(await waitForState(s, "ready", 5000)).toEqual({ state: "ready", store: "sqlite" });
    const share = (await mint(s, 2)).shareId!;
    expect(share).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (let i = 0; i < 5; i++) expect(await launch(s, share)).toBe(204);
    expect(logged(s, "analytics-unavailable")).toEqual([expect.objectContaining({ reason: before.reason })]);
    expect(logged(s, "analytics-recovered")).toHaveLength(1);
  }, 60_000);
});

/**
 * Fills the disk under `dir`. As root: the tmpfs it is on, with a file as large as the space left
 * (a real ENOSPC: SQLITE_FULL). Otherwise no disk can be filled safely, so a file-size limit
 * (RLIMIT_FSIZE, set on the running process with prlimit) stands in: writes past it fail with EFBIG,
 * which SQLite reports as an I/O error. Returns what frees it.
 */
function fillDisk(dir: string, pid: number): { cause: string; free(): void } {
  if (root) {
    const filler = join(dir, "filler");
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) writeFileSync(filler, chunk, { flag: "a" });
    } catch (error) {
      expect((error as NodeJS.ErrnoException).code).toBe("ENOSPC");
    }
    return { cause: "SQLITE_FULL", free: () => rmSync(filler) };
  }
  const size = statSync(join(dir, "castcard.sqlite")).size;
  spawnSync("prlimit", [`--pid=${pid}`, `--fsize=${size}:`]);
  return { cause: "SQLITE_IOERR_WRITE", free: () => void spawnSync("prlimit", [`--pid=${pid}`, "--fsize=unlimited:"]) };
}

describe("the image service's disk", () => {
  it("full while running: answers 503 with the cause, and records again once there is room, without a restart", async () => {
    const folder = unwritableFolder();
    folder.makeWritable();
    const s = await service(folder.dir);
    await waitForState(s, "ready");
    const share = (await mint(s, 1)).shareId!;
    let acknowledged = 0;
    for (let i = 0; i < 10; i++) if ((await launch(s, share)) === 204) acknowledged++;

    const disk = fillDisk(folder.dir, s.child.pid!);
    const seen = await launchUntil(s, share, 503, 20_000);
    acknowledged += seen.filter((x) => x === 204).length;
    expect(seen.at(-1)).toBe(503);
    expect(await health(s)).toEqual({ state: "unavailable", store: "sqlite", reason: disk.cause });
    // Cards do not need the disk's room.
    expect((await fetch((await mint(s, 2)).imageUrl)).status).toBe(200);

    disk.free();
    expect(await waitForState(s, "ready", 5000)).toEqual({ state: "ready", store: "sqlite" });
    for (let i = 0; i < 5; i++) expect(await launch(s, share)).toBe(204);
    acknowledged += 5;
    expect(logged(s, "analytics-unavailable")).toEqual([expect.objectContaining({ reason: disk.cause })]);
    expect(logged(s, "analytics-recovered")).toHaveLength(1);
    await s.stop();
    const again = await service(folder.dir);
    await waitForState(again, "ready");
    expect((await totals(again)).launches).toBe(acknowledged);
  }, 90_000);
});
