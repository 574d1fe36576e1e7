import { accessSync, constants, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { openStore, type LaunchHook, type Store, type StoreTarget } from "./db/store";
import { createOutage, messageOf, type Log, type Outage } from "./outage";
import { createWriter, type Writer } from "./writer";

/** The file under DATA_DIR that holds the SQLite store. */
export const SQLITE_FILE = "castcard.sqlite";
/** How often a store that cannot be used is tried again. */
export const RETRY_MS = 2000;

export type AnalyticsState = "starting" | "ready" | "unavailable";

export type { Log } from "./outage";

export interface LifecycleOptions {
  dataDir: string;
  databaseUrl?: string | null;
  retentionMs: number;
  log: Log;
  warn: (line: string) => void;
  now: () => number;
  onLaunches?: LaunchHook;
}

/**
 * The store's life. `ready` while writes go through; `unavailable` from the first failed write,
 * look-up or connection until a write succeeds again. Meanwhile the routes answer 503 at once, and
 * the store is tried again every RETRY_MS: PostgreSQL through its pool, SQLite opened afresh (a
 * file deleted or replaced is created and migrated again; a folder that could not be written may
 * have become writable). An outage is logged once when it begins, with its cause, and once when a
 * write ends it.
 */
export interface StoreLifecycle {
  readonly target: StoreTarget;
  state(): AnalyticsState;
  /** The outage's cause in a few words (`SQLITE_FULL`, `ECONNREFUSED`…); null when there is none. */
  cause(): string | null;
  /** Why the store cannot be used, for a person (the dashboard); empty when it is not known. */
  reason(): string;
  /** True while the store takes writes. */
  available(): boolean;
  /** Resolves once the store was first opened, or first failed to open. */
  ready: Promise<void>;
  /** The store in use (SQLite: replaced when it is opened again). */
  store(): Store;
  /** How many times the store was opened again: what was read from an earlier one may be gone. */
  generation(): number;
  writer: Writer;
  /** A write or look-up failed: the store is unavailable until a write succeeds. */
  failed(what: string, error: unknown): void;
  /** A write succeeded. */
  succeeded(): void;
  /** Writes what is queued, then closes the database. */
  close(): Promise<void>;
}

const targetOf = (options: LifecycleOptions): StoreTarget =>
  options.databaseUrl ? { kind: "postgres", url: options.databaseUrl } : { kind: "sqlite", file: join(resolve(options.dataDir), SQLITE_FILE) };

/** Opens (SQLite: creates the folder and file), migrates and writes once; the migrations applied. */
async function open(store: Store, target: StoreTarget): Promise<string[]> {
  if (target.kind === "sqlite") {
    const dir = dirname(target.file);
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  }
  const applied = await store.migrate();
  await store.probe();
  return applied;
}

/** Deletes what is past retention now and every 6 hours; returns what stops it. */
function startRetention(prune: () => Promise<void>): () => void {
  void prune();
  const timer = setInterval(() => void prune(), 6 * 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}

/** The line a person reads at start when the store cannot be used yet. */
function startWarning(target: StoreTarget, error: unknown, dir: string): string {
  const message = messageOf(error).slice(0, 120);
  if (target.kind === "postgres") return `the analytics database (DATABASE_URL) cannot be reached yet (${message}); retrying every ${RETRY_MS / 1000} s, nothing is recorded meanwhile.`;
  return `DATA_DIR (${dir}) cannot be written (${message}): nothing is recorded until it can; retrying every ${RETRY_MS / 1000} s. Set DATA_DIR to a writable folder, or DATABASE_URL=postgres://… for a shared database.`;
}

/** The dashboard's words for an outage. */
const unavailableReason = (target: StoreTarget, cause: string | null) =>
  `${target.kind === "sqlite" ? "The SQLite store under DATA_DIR" : "The analytics database (DATABASE_URL)"} cannot be used (${cause}): nothing is recorded until it can; it is tried again every ${RETRY_MS / 1000} s.`;

export function createLifecycle(options: LifecycleOptions): StoreLifecycle {
  const { log, now } = options;
  const target = targetOf(options);
  const outage: Outage = createOutage(log, now);
  let state: AnalyticsState = "starting";
  let closed = false;
  let store = openStore(target, { onLaunches: options.onLaunches });
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let stopRetention: (() => void) | null = null;
  let opening: Promise<void> | null = null;
  let generation = 0;

  const writer = createWriter({ write: (shares, events) => store.write(shares, events) });
  const succeeded = () => {
    if (closed || state === "ready") return;
    state = "ready";
    if (retryTimer) clearTimeout(retryTimer);
    retryTimer = null;
    outage.recovered();
  };

  const scheduleRetry = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void attempt();
    }, RETRY_MS);
    retryTimer.unref();
  };

  const failed = (what: string, error: unknown) => {
    if (closed) return;
    if (outage.failed(what, error) && state === "starting") options.warn(startWarning(target, error, resolve(options.dataDir)));
    state = "unavailable";
    scheduleRetry();
  };

  const opened = (applied: string[]) => {
    if (closed) return;
    if (applied.length) log({ event: "analytics-migrated", applied, store: target.kind });
    stopRetention ??= startRetention(() => store.prune(now() - options.retentionMs).catch((error) => failed("prune", error)));
    succeeded();
  };

  // SQLite is opened afresh each time: the file may be gone, replaced, or openable now.
  const attempt = (): Promise<void> =>
    (opening ??= (async () => {
      if (state !== "starting" && target.kind === "sqlite") {
        await store.close().catch(() => undefined);
        store = openStore(target, { onLaunches: options.onLaunches });
        generation++;
      }
      await open(store, target).then(opened, (error: unknown) => failed("open", error));
    })().finally(() => (opening = null)));

  const ready = attempt();
  return {
    target,
    state: () => state,
    cause: outage.cause,
    reason: () => (state === "unavailable" ? unavailableReason(target, outage.cause()) : ""),
    available: () => state === "ready",
    ready,
    store: () => store,
    generation: () => generation,
    writer,
    failed,
    succeeded,
    async close() {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      stopRetention?.();
      await opening;
      await writer.drain();
      await store.close();
    },
  };
}
