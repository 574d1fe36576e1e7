import { createRequire } from "node:module";
import { isAbsolute } from "node:path";
import { Worker } from "node:worker_threads";
import {
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type CompiledQuery,
  type QueryResult,
} from "kysely";
import { HeldSteps, type Step } from "./sqlite-steps";

/**
 * A Kysely dialect for an SQLite file through `libsql` (a better-sqlite3-compatible binding whose
 * binary ships inside its npm package, so nothing is compiled at install), run in a worker thread.
 *
 * The binding is synchronous: on the main thread every commit's fsync (synchronous=FULL, a few
 * milliseconds on a virtual disk) and every stats query would stall the event loop that serves
 * cards. In the worker they stall only the worker. One connection, as Kysely's own SqliteDialect
 * has; callers take turns through a mutex, and a transaction keeps the connection to itself.
 */
export interface SqliteWorkerOptions {
  /** The database file; created when missing. */
  file: string;
  /** How long a write waits for another process's lock before failing (two instances on one file). */
  busyTimeoutMs?: number;
}

// Plain JavaScript, evaluated as the worker's script: no build step or loader needed in any front
// (Next's server bundle, the compiled package, vitest, tsx).
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const fs = require("node:fs");
let db;
// The file's device and inode when it was opened: checked before each commit, so a file deleted or
// replaced under the store is noticed instead of written into (a deleted file's writes are lost).
let identity = null;
// Set once the file was found deleted or replaced: this connection takes nothing more.
let gone = null;
let Database;
// The driver's entry file as the main thread resolved it (see libsqlEntries), else by name from
// the working directory (a bundled server whose node_modules sit beside it).
for (const entry of workerData.libsql) {
  try {
    Database = require(entry);
    break;
  } catch {}
}
const statements = new Map();
const fail = (id, error) => parentPort.postMessage({ id, error: { message: String(error && error.message || error), code: error && error.code || null } });
try {
  if (!Database) throw new Error("the libsql package cannot be found");
  // No database file: a log or shared-memory file left beside it belongs to a deleted one.
  if (!fs.existsSync(workerData.file)) for (const end of ["-wal", "-shm"]) fs.rmSync(workerData.file + end, { force: true });
  db = new Database(workerData.file);
  db.exec("pragma busy_timeout = " + Number(workerData.busyTimeoutMs));
  db.exec("pragma journal_mode = wal");
  // FULL: a commit returns after the write-ahead log is on disk, so an acknowledged write survives
  // a crash of the process or of the machine.
  db.exec("pragma synchronous = full");
  db.exec("pragma foreign_keys = off");
  const stat = fs.statSync(workerData.file);
  identity = { dev: stat.dev, ino: stat.ino };
  parentPort.postMessage({ id: 0, ready: true });
} catch (error) {
  fail(0, error);
}
// One statement: its answer's fields, or a thrown error.
const execute = (sql, params) => {
  if (sql === "rollback" && !(db && db.inTransaction)) return { changes: 0 };
  if (gone) throw gone;
  if (sql === "commit") {
    let stat = null;
    try { stat = fs.statSync(workerData.file); } catch {}
    if (!stat || stat.dev !== identity.dev || stat.ino !== identity.ino) {
      try { db.exec("rollback"); } catch {}
      // Empty the write-ahead log into the file it belongs to: a file put in its place must not
      // read this one's frames as its own.
      try { db.exec("pragma wal_checkpoint(truncate)"); } catch {}
      const what = stat ? "replaced" : "deleted";
      gone = { message: "the database file was " + what + " while open", code: "FILE_" + what.toUpperCase() };
      throw gone;
    }
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    if (statements.size >= 256) statements.clear();
    statements.set(sql, statement);
  }
  if (statement.reader) return { rows: statement.all(params) };
  return { changes: Number(statement.run(params).changes ?? 0) };
};
parentPort.on("message", (message) => {
  const { id, steps, close } = message;
  if (close) {
    // Statements hold the connection open: let them go first, so closing it really closes it.
    statements.clear();
    try { db && db.close(); } catch {}
    parentPort.postMessage({ id, closed: true });
    return;
  }
  // Statements in order (a transaction's writes travel with the next statement that needs an
  // answer): the last one's answer, or the first error, after which the rest are not run.
  try {
    let answer;
    for (const step of steps) answer = execute(step.sql, step.params);
    parentPort.postMessage({ id, ...answer });
  } catch (error) {
    fail(id, error);
  }
});
`;

/**
 * Where the worker loads the `libsql` driver from: its entry file, resolved from this package by
 * its literal name, so file tracers (Next's output tracing, Vercel's functions) see the
 * `require.resolve("libsql")` and ship the driver with the server; then the bare name, for a
 * bundle in which require.resolve answers a module id rather than a file.
 */
function libsqlEntries(): string[] {
  try {
    const entry = createRequire(import.meta.url).resolve("libsql");
    if (isAbsolute(entry)) return [entry, "libsql"];
  } catch {
    // not installed beside this package: the worker says so
  }
  return ["libsql"];
}

export class SqliteWorkerError extends Error {
  override name = "SqliteWorkerError";
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

type Reply = { id: number; rows?: unknown[]; changes?: number; error?: { message: string; code: string | null }; ready?: true; closed?: true };

class WorkerConnection implements DatabaseConnection {
  #worker: Worker;
  #next = 1;
  #pending = new Map<number, { resolve: (reply: Reply) => void; reject: (error: Error) => void }>();
  readonly ready: Promise<void>;
  #dead: Error | null = null;

  constructor(options: SqliteWorkerOptions) {
    this.#worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { file: options.file, busyTimeoutMs: options.busyTimeoutMs ?? 5000, libsql: libsqlEntries() },
    });
    // Never the reason a process stays alive: the fronts close the store on shutdown.
    this.#worker.unref();
    this.ready = new Promise((resolve, reject) => {
      this.#pending.set(0, { resolve: (reply) => (reply.error ? reject(new SqliteWorkerError(reply.error.message, reply.error.code)) : resolve()), reject });
    });
    this.ready.catch(() => undefined);
    this.#worker.on("message", (reply: Reply) => {
      const waiter = this.#pending.get(reply.id);
      if (!waiter) return;
      this.#pending.delete(reply.id);
      waiter.resolve(reply);
    });
    const die = (error: Error) => {
      this.#dead = error;
      for (const waiter of this.#pending.values()) waiter.reject(error);
      this.#pending.clear();
    };
    this.#worker.on("error", die);
    this.#worker.on("exit", (code) => die(new SqliteWorkerError(`the SQLite worker exited (${code})`, null)));
  }

  #send(message: Record<string, unknown>): Promise<Reply> {
    if (this.#dead) return Promise.reject(this.#dead);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      this.#worker.postMessage({ id, ...message });
    });
  }

  /** The open transaction's statements not sent yet (see sqlite-steps.ts). */
  readonly held = new HeldSteps();

  async run<R>(steps: Step[]): Promise<QueryResult<R>> {
    const reply = await this.#send({ steps });
    if (reply.error) throw new SqliteWorkerError(reply.error.message, reply.error.code);
    if (reply.rows) return { rows: reply.rows as R[] };
    return { rows: [], numAffectedRows: BigInt(reply.changes ?? 0) };
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    if (this.held.hold(compiledQuery)) return { rows: [] };
    return this.run(this.held.with({ sql: compiledQuery.sql, params: compiledQuery.parameters }));
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error("streaming is not supported by the SQLite worker dialect");
  }

  async close(): Promise<void> {
    if (!this.#dead) await this.#send({ close: true }).catch(() => undefined);
    await this.#worker.terminate();
  }
}

class Mutex {
  #held: Promise<void> | null = null;
  #release: (() => void) | null = null;
  async lock() {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => (this.#release = resolve));
  }
  unlock() {
    const release = this.#release;
    this.#held = null;
    this.#release = null;
    release?.();
  }
}

class SqliteWorkerDriver implements Driver {
  #options: SqliteWorkerOptions;
  #connection: WorkerConnection | null = null;
  #mutex = new Mutex();

  constructor(options: SqliteWorkerOptions) {
    this.#options = options;
  }

  async init() {
    const connection = new WorkerConnection(this.#options);
    // A file that cannot be opened: end the worker here, since Kysely does not destroy a driver
    // whose init failed, and the store is opened again later.
    await connection.ready.catch(async (error: unknown) => {
      await connection.close();
      throw error;
    });
    this.#connection = connection;
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection!;
  }

  // IMMEDIATE: take the write lock when the transaction starts, so a second process on the same
  // file waits (busy_timeout) instead of failing halfway through.
  // The begin goes with the transaction's first statement that needs an answer (sqlite-steps.ts).
  async beginTransaction(connection: DatabaseConnection) {
    (connection as WorkerConnection).held.begin({ sql: "begin immediate", params: [] });
  }

  async commitTransaction(connection: DatabaseConnection) {
    const worker = connection as WorkerConnection;
    await worker.run(worker.held.end({ sql: "commit", params: [] }, true));
  }

  async rollbackTransaction(connection: DatabaseConnection) {
    const worker = connection as WorkerConnection;
    const steps = worker.held.end({ sql: "rollback", params: [] }, false);
    if (steps.length) await worker.run(steps);
  }

  async releaseConnection() {
    this.#mutex.unlock();
  }

  async destroy() {
    await this.#connection?.close();
    this.#connection = null;
  }
}

export class SqliteWorkerDialect implements Dialect {
  #options: SqliteWorkerOptions;
  constructor(options: SqliteWorkerOptions) {
    this.#options = options;
  }
  createDriver() {
    return new SqliteWorkerDriver(this.#options);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  createIntrospector(db: Kysely<any>) {
    return new SqliteIntrospector(db);
  }
}
