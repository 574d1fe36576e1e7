// HTTP figures against the production Next server (`next build` + `next start`), driven by wrk.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startService } from "../tests/support/start-service";
import { buildNextApp, freePort, startNextApp } from "../tests/support/next-app";
import { percentile } from "./lib";

const ROOT = new URL("..", import.meta.url).pathname;
/** Its own build folder (gitignored with the test builds), so it never clobbers `npm start`'s. */
export const BENCH_DIST_DIR = ".next-test-bench";

export interface WrkResult {
  requests: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  non2xx: number;
  connections: number;
  seconds: number;
}

export function wrkAvailable(): boolean {
  const probe = spawnSync("wrk", ["-v"], { encoding: "utf8" });
  return !probe.error;
}

function wrkScript(...parts: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), "castcard-wrk-"));
  const file = join(dir, "script.lua");
  writeFileSync(file, parts.map((p) => readFileSync(new URL(`./wrk/${p}`, import.meta.url), "utf8")).join("\n"));
  return file;
}

/** Runs wrk against 127.0.0.1 only, for a bounded time. */
export function runWrk(
  url: string,
  options: { connections: number; seconds: number; distinct?: string; photos?: string; /** A script of bench/wrk/ and its arguments. */ lua?: { file: string; args: string[] } },
): Promise<WrkResult> {
  if (!new URL(url).hostname.startsWith("127.")) throw new Error("the benchmark only loads 127.0.0.1");
  const script = options.lua
    ? wrkScript("done.lua", options.lua.file)
    : options.distinct
      ? wrkScript("done.lua", options.photos ? "distinct-photo.lua" : "distinct.lua")
      : wrkScript("done.lua");
  const args = ["-t2", `-c${options.connections}`, `-d${options.seconds}s`, "--timeout", "5s", "-s", script, url];
  if (options.lua) args.push("--", ...options.lua.args);
  if (options.distinct) args.push("--", options.distinct);
  if (options.distinct && options.photos) args.push(encodeURIComponent(options.photos));
  return new Promise((resolve, reject) => {
    const child = spawn("wrk", args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", () => {
      const line = out.split("\n").find((l) => l.startsWith("WRKJSON "));
      if (!line) return reject(new Error(`wrk printed no summary:\n${out}`));
      const r = JSON.parse(line.slice(8));
      resolve({
        requests: r.requests,
        perSecond: r.requests / (r.durationUs / 1e6),
        p50Ms: r.p50Us / 1000,
        p99Ms: r.p99Us / 1000,
        errors: r.connectErrors + r.readErrors + r.writeErrors + r.timeouts,
        non2xx: r.non2xx,
        connections: options.connections,
        seconds: options.seconds,
      });
    });
  });
}

let builtThisRun = false;
/** The bench build of the app, once per run (sections after the first reuse it). */
export function buildApp(skip: boolean): void {
  if (builtThisRun || (skip && existsSync(join(ROOT, BENCH_DIST_DIR, "BUILD_ID")))) return;
  buildNextApp(BENCH_DIST_DIR);
  builtThisRun = true;
}

/** RSS of a process and all its descendants, from /proc (Linux); null elsewhere. */
export function treeRss(pid: number): number | null {
  if (!existsSync("/proc/self/status")) return null;
  const parents = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]));
    } catch {
      // the process ended meanwhile
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  let total = 0;
  for (const p of tree) {
    try {
      const kbLine = readFileSync(`/proc/${p}/status`, "utf8").match(/^VmRSS:\s+(\d+)/m);
      total += Number(kbLine?.[1] ?? 0) * 1024;
    } catch {
      // gone
    }
  }
  return total;
}

/**
 * The image service as it was at another commit, for a before/after in the same run: the commit's
 * files (git archive) in a temporary folder, sharing this checkout's node_modules.
 */
export async function startBaselineOgServer(commit: string, env: Record<string, string> = {}): Promise<RunningServer & { commit: string }> {
  const dir = mkdtempSync(join(tmpdir(), "castcard-baseline-"));
  const archive = spawnSync("sh", ["-c", `git archive --format=tar "$0" | tar -x -C "$1"`, commit, dir], { cwd: ROOT, encoding: "utf8" });
  if (archive.status !== 0) throw new Error(`BENCH_BASELINE: cannot extract ${commit}: ${archive.stderr}`);
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const short = spawnSync("git", ["rev-parse", "--short", commit], { cwd: ROOT, encoding: "utf8" }).stdout.trim();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  // Before the core became a package, the service was bin/castcard-og.mjs; since then it is the
  // package's compiled bin, built here from the baseline's own sources.
  let entry = join(dir, "bin/castcard-og.mjs");
  const pkg = join(dir, "packages/castcard");
  if (existsSync(pkg)) {
    const built = spawnSync(process.execPath, [join(ROOT, "node_modules/tsup/dist/cli-default.js"), "--silent", "--no-dts"], { cwd: pkg, encoding: "utf8" });
    if (built.status !== 0) throw new Error(`BENCH_BASELINE: cannot build the package at ${commit}: ${built.stderr}`);
    entry = join(pkg, "dist/bin.js");
  }
  const child = spawn(process.execPath, [entry], {
    cwd: dir,
    env: { ...process.env, NODE_ENV: "production", APP_URL: url, HOST: "127.0.0.1", ...env, PORT: String(port) },
    stdio: ["ignore", "ignore", "ignore"],
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  for (let tries = 0; ; tries++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || tries > 300) throw new Error(`baseline service at ${commit} did not start`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    pid: child.pid!,
    startMs: performance.now() - started,
    commit: short,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The standalone image service (`npm run og-server`: Hono on node, no Next), in its own process. */
export async function startOgServer(env: Record<string, string> = {}): Promise<RunningServer> {
  const started = performance.now();
  const service = await startService(env, undefined, [], { keepOutput: false });
  return { url: service.url, pid: service.child.pid!, startMs: performance.now() - started, stop: service.stop };
}

export interface RunningServer {
  url: string;
  pid: number;
  /** Spawn to first answer of the manifest route. */
  startMs: number;
  stop: () => Promise<void>;
}

export function startApp(env: Record<string, string> = {}): Promise<RunningServer> {
  return startNextApp(env, BENCH_DIST_DIR);
}

/** A plain Node server answering every request with the same bytes: the load generator's ceiling. */
export async function startStaticServer(body: Uint8Array) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "image/png", "content-length": body.byteLength, "cache-control": "public, max-age=60" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function timedGet(
  url: string,
): Promise<{ ms: number; status: number; bytes: Uint8Array; cache: string | null; avatar: string | null; timing: string | null }> {
  const t = performance.now();
  const res = await fetch(url);
  const bytes = new Uint8Array(await res.arrayBuffer());
  return {
    ms: performance.now() - t,
    status: res.status,
    bytes,
    cache: res.headers.get("x-castcard-cache"),
    avatar: res.headers.get("x-castcard-avatar"),
    timing: res.headers.get("server-timing"),
  };
}

export { percentile };
