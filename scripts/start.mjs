#!/usr/bin/env node
// `npm start`: build once if there is no production build yet, then serve it on PORT (3000).
import { spawnSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const next = require.resolve("next/dist/bin/next");
const port = process.env.PORT || "3000";
const env = { ...process.env };

// A deploy says NODE_ENV=production and must name its public URL; a local start may not.
if (!env.APP_URL && !env.NEXT_PUBLIC_URL) {
  if (env.NODE_ENV === "production") {
    console.error("castcard: APP_URL is not set: set it to the app's public https origin (e.g. APP_URL=https://castcard.example.com).");
    process.exit(1);
  }
  // The configuration warns once that this local URL is not one Farcaster clients can load.
  env.APP_URL = `http://localhost:${port}`;
}

// `npm install` builds the castcard package (its prepare script); build it here if that was skipped.
if (!existsSync("packages/castcard/dist/index.js")) {
  console.log("castcard: building the castcard package…");
  const built = spawnSync("npm", ["run", "build", "--workspace", "castcard", "--silent"], { stdio: "inherit", env });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

if (!existsSync(".next/BUILD_ID")) {
  console.log("castcard: no production build yet, running `next build` (once)…");
  const build = spawnSync(process.execPath, [next, "build"], { stdio: "inherit", env: { ...env, NODE_ENV: "production" } });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [next, "start", "-p", port], { stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
