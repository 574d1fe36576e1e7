#!/usr/bin/env node
// Builds the castcard package (tsup, into packages/castcard/dist) and records the files it was
// built from, so that `npm start` knows this build is current and does not redo it.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PACKAGE_INPUTS, hashInputs, recordPackageBuild } from "./build-inputs.mjs";

const root = fileURLToPath(new URL("..", import.meta.url));
// Hashed before the build: a file changed while it runs makes the record stale, not the build.
const inputs = hashInputs(root, PACKAGE_INPUTS);
const built = spawnSync("npm", ["run", "build", "--workspace", "castcard", "--silent"], { cwd: root, stdio: "inherit" });
if (built.status !== 0) process.exit(built.status ?? 1);
recordPackageBuild(root, inputs);
