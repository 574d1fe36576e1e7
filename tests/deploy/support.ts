import { spawn, type ChildProcess } from "node:child_process";
import { cpSync, existsSync, lstatSync, readdirSync, readlinkSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { freePort, stopChild } from "../support/next-app";

// Running a copied server folder the way a deploy does: alone in a temporary folder, with only the
// environment it is given.

/** Fails when a folder or any of its parents holds node_modules (the copy must not reach one). */
export function assertNoNodeModulesAbove(dir: string): void {
  for (let at = dirname(resolve(dir)); ; at = dirname(at)) {
    if (existsSync(join(at, "node_modules"))) throw new Error(`${join(at, "node_modules")} is within reach of ${dir}: use a temporary folder outside any project`);
    if (dirname(at) === at) return;
  }
}

/** Copies a folder, keeping links as links, and fails if one of them points out of the copy. */
export function copyAlone(from: string, to: string): void {
  cpSync(from, to, { recursive: true, verbatimSymlinks: true });
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isSymbolicLink()) {
        const target = resolve(dirname(path), readlinkSync(path));
        if (relative(to, target).startsWith("..")) throw new Error(`${path} points out of the copy, to ${target}`);
      } else if (entry.isDirectory()) walk(path);
    }
  };
  walk(to);
}

/** Bytes of the files in a folder (links counted once, as links). */
export function folderBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(entry.parentPath, entry.name);
    total += entry.isSymbolicLink() ? lstatSync(path).size : entry.isFile() ? statSync(path).size : 0;
  }
  return total;
}

/** An environment of exactly these variables, none inherited from the test run. */
export function onlyEnv(vars: Record<string, string | undefined>): NodeJS.ProcessEnv {
  return vars as unknown as NodeJS.ProcessEnv;
}

/** This checkout's settings and paths must not reach the copied server. */
export function deployEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  return onlyEnv({ PATH: process.env.PATH, HOME: process.env.HOME, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production", ...extra });
}

export interface Started {
  url: string;
  child: ChildProcess;
  /** From spawn to the first answer of `probe`. */
  startMs: number;
  logs: () => string;
  stop: () => Promise<void>;
}

/** Starts `command args` in `cwd` on a free port (PORT, and HOSTNAME for Next's server.js), waiting for `probe`. */
export async function startIn(cwd: string, command: string, args: string[], env: Record<string, string>, probe = "/.well-known/farcaster.json"): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = "";
  const started = performance.now();
  const child = spawn(command, args, {
    cwd,
    env: deployEnv({ PORT: String(port), HOSTNAME: "127.0.0.1", HOST: "127.0.0.1", APP_URL: url, ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  const keep = (d: Buffer) => {
    if (output.length < 200_000) output += d;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const stop = () => stopChild(child, 8000);
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} ${args.join(" ")} exited (${child.exitCode}):\n${output}`);
    const res = await fetch(`${url}${probe}`).catch(() => null);
    if (res?.ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`no answer from ${url}${probe}:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { url, child, startMs: performance.now() - started, logs: () => output, stop };
}
