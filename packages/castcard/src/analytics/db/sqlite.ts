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
import { WORKER_SOURCE } from "./sqlite-worker";

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
