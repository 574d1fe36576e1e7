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
const source = openStore(from);
const destination = openStore(to);
try {
  const copied = await copyStore(source, destination);
  for (const [table, n] of Object.entries(copied)) console.log(`${table}: ${n} rows`);
} catch (error) {
  console.error(`move-analytics: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await Promise.all([source.close(), destination.close()]);
}
