#!/usr/bin/env node
// castcard-og: the standalone image service. This file is committed (not built) so that npm can
// link the bin while installing, before the package's build has written dist/; the service
// itself is the compiled dist/bin.js, run by plain Node (no TypeScript loader).
import { existsSync } from "node:fs";

const built = new URL("../dist/bin.js", import.meta.url);
if (!existsSync(built)) {
  console.error("castcard-og: the castcard package is not built (no dist/bin.js): run `npm run build --workspace castcard`.");
  process.exit(1);
}
await import(built.href);
