import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildNextApp } from "./next-app";
import { reachableBinaries, TEST_POSTGRES_BINARIES } from "./postgres-server";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** How tracked files differ from HEAD, content included (null outside a git checkout, e.g. a tarball). */
function changedTrackedFiles(): string | null {
  const result = spawnSync("git", ["diff", "HEAD", "--binary"], { cwd: ROOT, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  return result.status === 0 ? result.stdout : null;
}

const PACKAGE = join(ROOT, "packages/castcard");

/** Newest modification time under a folder, in ms. */
function newest(dir: string): number {
  return Math.max(0, ...readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile() && !e.name.includes(".test.")).map((e) => statSync(join(e.parentPath, e.name)).mtimeMs));
}

/**
 * The app, the examples and the service's bin use the castcard package as a user would: its
 * built dist. `npm test` builds it first; a bare `npx vitest` rebuilds it here when a source is newer.
 */
function ensurePackageBuilt(): void {
  const built = join(PACKAGE, "dist/index.js");
  if (existsSync(built) && statSync(built).mtimeMs >= newest(join(PACKAGE, "src"))) return;
  const result = spawnSync("npm", ["run", "build", "--workspace", "castcard", "--silent"], { cwd: ROOT, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`building the castcard package failed:\n${result.stdout}\n${result.stderr}`);
}

/**
 * As root, the PostgreSQL test servers run as the `postgres` user, who may not reach this checkout
 * (a private folder): their binaries are linked once per run into a world-readable temporary
 * folder, which every test file's server uses (tests/support/postgres.ts). Null when not needed.
 */
async function linkPostgresBinaries(): Promise<string | null> {
  if (process.getuid?.() !== 0 || process.env.TEST_DATABASE_URL || process.env[TEST_POSTGRES_BINARIES]) return null;
  const dir = mkdtempSync(join(tmpdir(), "castcard-pg-binaries-"));
  chmodSync(dir, 0o755);
  process.env[TEST_POSTGRES_BINARIES] = await reachableBinaries(dir);
  return dir;
}

// One production build per test run, shared by every test that starts the real Next server.
// CASTCARD_SKIP_BUILD=1 reuses the last build when iterating on tests that do not change the app.
export default async function setup() {
  const before = changedTrackedFiles();
  // Share analytics keep an SQLite file under DATA_DIR: the servers tests start (which inherit this
  // environment) keep theirs in a temporary folder, removed at the end. In-process instances built
  // from an explicit env without DATA_DIR use ./data, git-ignored; removed too if this run made it.
  const dataDir = mkdtempSync(join(tmpdir(), "castcard-test-data-"));
  process.env.DATA_DIR ??= dataDir;
  const localData = join(ROOT, "data");
  const hadLocalData = existsSync(localData);
  ensurePackageBuilt();
  if (process.env.CASTCARD_SKIP_BUILD !== "1") buildNextApp();
  const postgresBinaries = await linkPostgresBinaries();
  // A test run must leave the checkout as it found it (Next, for one, rewrites tsconfig.json when
  // a build folder's types are not in its `include`): fail the run loudly if it did not.
  return () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (postgresBinaries) rmSync(postgresBinaries, { recursive: true, force: true });
    if (!hadLocalData) rmSync(localData, { recursive: true, force: true });
    const after = changedTrackedFiles();
    if (before !== null && after !== null && after !== before) {
      const files = spawnSync("git", ["diff", "HEAD", "--stat"], { cwd: ROOT, encoding: "utf8" }).stdout;
      // vitest reports an error thrown here but still exits 0, so set the exit code as well.
      process.exitCode = 1;
      throw new Error(`The test run changed tracked files (git diff HEAD --stat now):\n${files}`);
    }
  };
}
