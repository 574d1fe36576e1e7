import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { freePort } from "./next-app";

// Tests start the service exactly as `npx castcard-og` does: the package's compiled bin, in its own
// process (built by the test run's global setup, or `npm run build -w castcard`).
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BIN = fileURLToPath(new URL("../../packages/castcard/dist/bin.js", import.meta.url));

export interface RunningService {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything written so far, stdout and stderr. */
  output: () => string;
  /** Parsed JSON lines from stdout. */
  lines: () => Array<Record<string, unknown>>;
  waitFor: (predicate: (line: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: () => Promise<void>;
}

/**
 * `nodeArgs` go before the bin, e.g. `--import` of a module that misbehaves on purpose.
 * `keepOutput: false` stops collecting output once the service listens: under load (the benchmark)
 * it logs a line per request, which would otherwise pile up in memory. `cwd` is where it runs (and
 * looks for castcard.config.mjs), `args` go after the bin (e.g. `--config file`).
 */
export async function startService(
  env: Record<string, string> = {},
  port?: number,
  nodeArgs: string[] = [],
  { keepOutput = true, cwd = ROOT, args = [] }: { keepOutput?: boolean; cwd?: string; args?: string[] } = {},
): Promise<RunningService> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  let stdout = "";
  let output = "";
  let collecting = true;
  const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], {
    cwd,
    env: { ...process.env, NODE_ENV: "production", APP_URL: url, HOST: "127.0.0.1", ...env, PORT: String(port) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Always read the pipes, so a chatty child never blocks on a full one.
  child.stdout!.on("data", (d) => {
    if (!collecting) return;
    stdout += d;
    output += d;
  });
  child.stderr!.on("data", (d) => {
    if (collecting) output += d;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );

  const lines = () =>
    stdout
      .split("\n")
      .filter((l) => l.startsWith("{"))
      .map((l) => JSON.parse(l) as Record<string, unknown>);

  const waitFor = async (predicate: (line: Record<string, unknown>) => boolean, timeoutMs = 30_000) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines().find(predicate);
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`castcard-og exited (${child.exitCode}):\n${output}`);
      if (Date.now() > deadline) throw new Error(`castcard-og: no matching log line within ${timeoutMs} ms:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const timer = setTimeout(() => child.kill("SIGKILL"), 12_000);
    child.kill("SIGTERM");
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitFor((line) => line.event === "listening");
    collecting = keepOutput;
  } catch (error) {
    await stop();
    throw error;
  }
  return { url, port, child, output: () => output, lines, waitFor, exited, stop };
}
