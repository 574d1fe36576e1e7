#!/usr/bin/env node
// `npm start`: (re)build what is out of date with the checkout, then serve it on PORT (3000).
import { spawn, spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { APP_INPUTS, PACKAGE_INPUTS, appBuildReason, hashInputs, packageBuildReason, recordAppBuild } from "./build-inputs.mjs";

const require = createRequire(import.meta.url);
const next = require.resolve("next/dist/bin/next");
const root = fileURLToPath(new URL("..", import.meta.url));
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

function run(args, extraEnv = {}) {
  const result = spawnSync(args[0], args.slice(1), { cwd: root, stdio: "inherit", env: { ...env, ...extraEnv } });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

// Each build keeps a record of the files it was built from; whatever no longer matches the
// checkout (after a pull, an edit, a build by other means) is built again, and says why.
const packageInputs = hashInputs(root, PACKAGE_INPUTS);
const packageReason = packageBuildReason(root, packageInputs);
if (packageReason) {
  console.log(`castcard: building the castcard package: ${packageReason}…`);
  run([process.execPath, "scripts/build-package.mjs"]);
}

const appInputs = hashInputs(root, APP_INPUTS);
const appReason = appBuildReason(root, appInputs);
if (appReason) {
  console.log(`castcard: running \`next build\`: ${appReason}…`);
  // The page inlines the launch script: bundled from app/launch first.
  run([process.execPath, "scripts/build-launch.mjs"]);
  run([process.execPath, next, "build"], { NODE_ENV: "production" });
  run([process.execPath, "scripts/standalone.mjs"]);
  recordAppBuild(root, appInputs);
}

// HOST, as for the image service: the address to listen on (all interfaces when unset).
const listen = ["-p", port, ...(env.HOST ? ["-H", env.HOST] : [])];
const server = spawn(process.execPath, [next, "start", ...listen], { cwd: root, stdio: "inherit", env });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.kill(signal));
server.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
