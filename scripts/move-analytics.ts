// Moves share analytics between stores: `npx tsx scripts/move-analytics.ts <from> <to>`, where each
// is a DATA_DIR folder (its castcard.sqlite) or a postgres:// URL. Stop the app first (or set
// ANALYTICS=off), then point it at the new store. See docs/analytics.md.
import { join } from "node:path";
import { openStore, SQLITE_FILE, type StoreTarget } from "../packages/castcard/src/analytics/index";
import { copyStore } from "../packages/castcard/src/analytics/db/copy";

const target = (arg: string | undefined): StoreTarget => {
  if (!arg) throw new Error("usage: move-analytics <DATA_DIR or postgres://…> <DATA_DIR or postgres://…>");
  return /^postgres(ql)?:\/\//.test(arg) ? { kind: "postgres", url: arg } : { kind: "sqlite", file: join(arg, SQLITE_FILE) };
};

const [from, to] = [target(process.argv[2]), target(process.argv[3])];
// A large store takes a while to read and write: no 15 s statement limit here.
const source = openStore(from, { timeoutMs: 3_600_000 });
const destination = openStore(to, { timeoutMs: 3_600_000 });
try {
  const copied = await copyStore(source, destination);
  for (const [table, n] of Object.entries(copied)) console.log(`${table}: ${n} rows`);
} catch (error) {
  console.error(`move-analytics: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await Promise.all([source.close(), destination.close()]);
}
