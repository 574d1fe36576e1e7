import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngSize } from "../support/png";
import { assertNoNodeModulesAbove, onlyEnv, startIn, type Started } from "./support";

// No container engine or image registry is reachable here, so this test follows the Dockerfile's
// own steps without one: each stage is a folder standing for the image's filesystem, COPY copies
// the build context (filtered by .dockerignore) or another stage's files, RUN runs its command in
// the stage's WORKDIR, and the final stage's CMD is started with its ENV (PORT, the host and the
// DATA_DIR volume given as `docker run -e/-v` would). What the recipe says is what is tested.
// Users cannot be emulated (COPY --chown, USER): the test checks the final stage names one.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

interface Instruction {
  op: string;
  args: string;
}

/** The Dockerfile's instructions, continuation lines joined, comments dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.replace(/\\\n/g, " ").split("\n");
  return lines
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"))
    .map((line) => {
      const [op, ...rest] = line.split(/\s+/);
      return { op: op!.toUpperCase(), args: rest.join(" ") };
    });
}

/** Whether .dockerignore leaves a context path (relative, with /) out. */
function ignoredBy(patterns: string[]): (path: string) => boolean {
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "\0").replace(/\*/g, "[^/]*").replace(/\0/g, "(.*/)?")}$`),
  );
  return (path) => {
    const parts = path.split("/");
    return parts.some((_, i) => regexes.some((r) => r.test(parts.slice(0, i + 1).join("/"))));
  };
}

interface Stage {
  name: string;
  root: string;
  workdir: string;
  env: Record<string, string>;
  user: string | null;
  volumes: string[];
  expose: string[];
  healthcheck: string[] | null;
  cmd: string[] | null;
}

let dir: string;
let final: Stage;
let server: Started;
let runEnv: Record<string, string>;

function parseEnv(args: string): Record<string, string> {
  return Object.fromEntries(args.split(/\s+/).map((pair) => pair.split("=") as [string, string]));
}

/** Follows the Dockerfile, stage by stage, into folders under `dir`. */
function follow(steps: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  const ignore = ignoredBy(
    readFileSync(join(ROOT, ".dockerignore"), "utf8")
      .split("\n")
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith("#")),
  );
  const inStage = (stage: Stage, path: string) => join(stage.root, isAbsolute(path) ? path : join(stage.workdir, path));
  for (const { op, args } of steps) {
    const stage = stages.at(-1)!;
    if (op === "FROM") {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length);
      const root = join(dir, `stage-${name}`);
      mkdirSync(root);
      stages.push({ name, root, workdir: "/", env: {}, user: null, volumes: [], expose: [], healthcheck: null, cmd: null });
    } else if (op === "WORKDIR") {
      stage.workdir = args;
      mkdirSync(inStage(stage, "."), { recursive: true });
    } else if (op === "ENV") Object.assign(stage.env, parseEnv(args));
    else if (op === "COPY") {
      const words = args.split(/\s+/);
      const from = words.find((w) => w.startsWith("--from="))?.slice(7);
      const [src, dest] = words.filter((w) => !w.startsWith("--"));
      if (from) {
        const source = stages.find((s) => s.name === from)!;
        cpSync(inStage(source, src!), inStage(stage, dest!), { recursive: true, verbatimSymlinks: true });
      } else {
        cpSync(join(ROOT, src!), inStage(stage, dest!), {
          recursive: true,
          verbatimSymlinks: true,
          filter: (path) => path === join(ROOT, src!) || !ignore(relative(ROOT, path)),
        });
      }
    } else if (op === "RUN") {
      const result = spawnSync("sh", ["-c", args], {
        cwd: inStage(stage, "."),
        env: onlyEnv({ PATH: process.env.PATH, HOME: process.env.HOME, npm_config_audit: "false", npm_config_fund: "false", ...stage.env }),
        encoding: "utf8",
        timeout: 1_200_000,
        maxBuffer: 64 * 1024 * 1024,
      });
      if (result.status !== 0) throw new Error(`RUN ${args} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
    } else if (op === "USER") stage.user = args;
    else if (op === "VOLUME") stage.volumes.push(...args.split(/\s+/));
    else if (op === "EXPOSE") stage.expose.push(...args.split(/\s+/));
    else if (op === "HEALTHCHECK") stage.healthcheck = JSON.parse(args.slice(args.indexOf("CMD ") + 4)) as string[];
    else if (op === "CMD") stage.cmd = JSON.parse(args) as string[];
    else throw new Error(`the test does not know how to follow ${op}`);
  }
  return stages;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "castcard-docker-"));
  assertNoNodeModulesAbove(dir);
  const stages = follow(instructions(readFileSync(join(ROOT, "Dockerfile"), "utf8")));
  final = stages.at(-1)!;
  expect(final.cmd, "the final stage's CMD").not.toBeNull();
  // As `docker run -e HOSTNAME=127.0.0.1 -v <folder>:/data` would: listen on loopback only here.
  // PORT: a free one, chosen by startIn, as `-e PORT=…` would.
  const { PORT: _port, ...env } = final.env;
  runEnv = { ...env, HOSTNAME: "127.0.0.1", DATA_DIR: join(final.root, final.env.DATA_DIR!) };
  server = await startIn(join(final.root, final.workdir), final.cmd![0]!, final.cmd!.slice(1), runEnv, "/healthz");
}, 1_800_000);

afterAll(async () => {
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the Dockerfile, followed step by step", () => {
  it("builds in one stage and ships only the standalone server (and the data folder) in the final one, as a user that is not root", () => {
    expect(readdirSync(final.root).sort()).toEqual(["app", "data"]);
    expect(existsSync(join(final.root, "app", "server.js"))).toBe(true);
    expect(existsSync(join(final.root, "app", "node_modules", "castcard"))).toBe(false);
    expect(final.user).toMatch(/\S/);
    expect(final.user).not.toMatch(/^(root|0)(:|$)/);
    expect(final.expose).toEqual([final.env.PORT]);
    expect(final.volumes).toEqual([final.env.DATA_DIR]);
  });

  it("starts its CMD, whose HEALTHCHECK passes, and serves cards and the Mini App", async () => {
    const check = spawnSync(final.healthcheck![0]!, final.healthcheck!.slice(1), { env: onlyEnv({ PATH: process.env.PATH, ...runEnv, PORT: new URL(server.url).port }), encoding: "utf8", timeout: 30_000 });
    expect(check.status, check.stderr).toBe(0);
    const card = await fetch(`${server.url}/api/og?username=%E7%8E%8B%E5%B0%8F%E6%98%8E%F0%9F%9A%80`);
    expect(card.status).toBe(200);
    expect(pngSize(Buffer.from(await card.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
  });

  it("keeps the share analytics in the DATA_DIR volume", async () => {
    const res = await fetch(`${server.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 9, username: "erin" }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { shareId: string }).shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(existsSync(join(runEnv.DATA_DIR!, "castcard.sqlite"))).toBe(true);
  });
});
