#!/usr/bin/env node
// CI, after the tests: every server command the README documents, run as a reader would right
// after the install, must answer a card. Each one starts in its own process group on a free
// loopback port, is asked for /api/og?username=alice (200, image/png, a PNG), then is stopped,
// group and all. The first command that fails stops the check, named, with the end of its output.
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));

// The commands come as arguments, as the README writes them (.ci/run lists them). How long each may
// take to answer its first card (s): `npm start` builds the package and runs `next build` first;
// the others build at most the package.
const LIMITS = { "npm start": 600 };
const DEFAULT_LIMIT = 180;
const COMMANDS = process.argv.slice(2).map((command) => [command, LIMITS[command] ?? DEFAULT_LIMIT]);
if (COMMANDS.length === 0) {
  console.error('usage: node scripts/check-servers.mjs "<command>" […]');
  process.exit(2);
}
const STOP_GRACE_MS = 20_000;
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Whether any process is left in the group. */
function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return error.code === "EPERM";
  }
}

/** SIGTERM to the whole group, then waits for every member to go; SIGKILL (and an error) if they do not. */
async function stopGroup(pgid) {
  if (!groupAlive(pgid)) return null;
  process.kill(-pgid, "SIGTERM");
  const deadline = Date.now() + STOP_GRACE_MS;
  while (groupAlive(pgid)) {
    if (Date.now() > deadline) {
      process.kill(-pgid, "SIGKILL");
      return `did not stop within ${STOP_GRACE_MS / 1000} s of SIGTERM (killed)`;
    }
    await sleep(100);
  }
  return null;
}

async function askForCard(url) {
  const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
  const body = new Uint8Array(await response.arrayBuffer());
  const type = response.headers.get("content-type");
  if (response.status !== 200 || type !== "image/png" || !PNG.every((b, i) => body[i] === b)) {
    return `answered ${response.status} ${type ?? "(no content-type)"}, ${body.length} bytes${response.status === 200 ? "" : `: ${new TextDecoder().decode(body.slice(0, 200))}`}`;
  }
  return null;
}

async function check(command, limitSeconds) {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/api/og?username=alice`;
  const started = Date.now();
  let output = "";
  const child = spawn("sh", ["-c", command], {
    cwd: ROOT,
    env: { ...process.env, PORT: String(port), HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so npm, its shell and the server it starts are stopped together.
    detached: true,
  });
  const keep = (data) => (output = (output + data).slice(-20_000));
  child.stdout.on("data", keep);
  child.stderr.on("data", keep);

  let failure = null;
  const deadline = started + limitSeconds * 1000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      failure = `exited (${child.exitCode ?? child.signalCode}) before answering a card`;
      break;
    }
    if (Date.now() > deadline) {
      failure = `did not answer ${url} within ${limitSeconds} s`;
      break;
    }
    const answer = await askForCard(url).then(
      (problem) => ({ problem }),
      () => null, // not listening yet
    );
    if (answer) {
      failure = answer.problem;
      break;
    }
    await sleep(500);
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const stopFailure = await stopGroup(child.pid);
  if (!failure && stopFailure) failure = stopFailure;
  if (failure) {
    console.error(`CI: \`${command}\` ${failure}.\n--- its output (last lines) ---\n${output.trimEnd().split("\n").slice(-40).join("\n")}\n---`);
    return false;
  }
  console.log(`CI: \`${command}\` served a card (200 image/png) after ${seconds} s and stopped.`);
  return true;
}

for (const [command, limit] of COMMANDS) {
  if (!(await check(command, limit))) process.exit(1);
}
