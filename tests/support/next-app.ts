import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

// The real production Next server (`next build` + `next start`), for tests and the benchmark.
const require = createRequire(import.meta.url);
const NEXT_BIN = require.resolve("next/dist/bin/next");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// Parallel runs (several people or agents on one checkout) can each pick their own build folder.
export const TEST_DIST_DIR = process.env.CASTCARD_TEST_DIST_DIR || ".next-test";

/** The environment `next build` and `next start` share: production mode, our own build folder. */
const nextEnv = (distDir: string, extra: Record<string, string>): NodeJS.ProcessEnv => ({
  ...process.env,
  NODE_ENV: "production",
  NEXT_DIST_DIR: distDir,
  NEXT_TELEMETRY_DISABLED: "1",
  ...extra,
});

/** Builds the app into distDir (never `npm start`'s .next). Called from vitest's global setup. */
export function buildNextApp(distDir = TEST_DIST_DIR): void {
  // The page inlines the launch script, bundled from app/launch (a no-op when it is current).
  const launch = spawnSync(process.execPath, ["scripts/build-launch.mjs"], { cwd: ROOT, encoding: "utf8" });
  if (launch.status !== 0) throw new Error(`bundling the launch script failed:\n${launch.stdout}\n${launch.stderr}`);
  const result = spawnSync(process.execPath, [NEXT_BIN, "build"], {
    cwd: ROOT,
    // npm test type-checks the whole project itself, before this build.
    env: nextEnv(distDir, { CASTCARD_TEST_BUILD: "1" }),
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  // As `npm run build` does: complete <distDir>/standalone/ with the browser's files.
  const completed = spawnSync(process.execPath, ["scripts/standalone.mjs"], { cwd: ROOT, env: nextEnv(distDir, {}), encoding: "utf8" });
  if (completed.status !== 0) throw new Error(`scripts/standalone.mjs failed:\n${completed.stdout}\n${completed.stderr}`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningApp {
  url: string;
  port: number;
  pid: number;
  /** From spawn to the first answer of the manifest route. */
  startMs: number;
  logs: () => string;
  stop: () => Promise<void>;
}

/** Stops a server process: SIGTERM, then SIGKILL after `graceMs`; resolves once it has exited. */
export function stopChild(child: ChildProcess, graceMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), graceMs).unref();
  });
}

/**
 * Starts `next start` of a build on a free port, in production mode (as deployed) unless env says
 * otherwise, with APP_URL set to its own origin, and waits until it answers.
 */
export async function startNextApp(env: Record<string, string> = {}, distDir = TEST_DIST_DIR): Promise<RunningApp> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const started = performance.now();
  let output = "";
  const child: ChildProcess = spawn(process.execPath, [NEXT_BIN, "start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: nextEnv(distDir, { APP_URL: url, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Keep only the start-up output: a long benchmark must not grow this string without bound.
  const keep = (d: Buffer) => {
    if (output.length < 100_000) output += d;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const stop = () => stopChild(child, 5000);

  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/.well-known/farcaster.json`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`next start did not answer within 60 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, port, pid: child.pid!, startMs: performance.now() - started, logs: () => output, stop };
}
