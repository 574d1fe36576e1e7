import { accessSync, constants, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { openStore, type Store, type StoreTarget } from "./db/store";
import { createOutage, messageOf, type Outage } from "./outage";
import { createWriter, type Writer } from "./writer";

/** The file under DATA_DIR that holds the SQLite store. */
export const SQLITE_FILE = "castcard.sqlite";

export type AnalyticsState = "starting" | "ready" | "unavailable";

export type Log = (entry: { event: string; [key: string]: unknown }) => void;

export interface LifecycleOptions {
  dataDir: string;
  databaseUrl?: string | null;
  retentionMs: number;
  log: Log;
  warn: (line: string) => void;
  now: () => number;
}

/**
 * The store's life: where it is, opening and migrating it (PostgreSQL retried every 5 s until it
 * answers), retention, and outages, logged once each: the first failure says so, the first
 * success after says it is over.
 */
export interface StoreLifecycle extends Outage {
  readonly target: StoreTarget | null;
  state(): AnalyticsState;
  /** Why the store is unavailable, for a person (the dashboard); empty when it is not known. */
  reason(): string;
  /** True while the store can be used. */
  available(): boolean;
  /** Resolves once migrations have run (or the store was found unusable). */
  ready: Promise<void>;
  /** The store and its writer; null when there is no usable target. */
  store: Store | null;
  writer: Writer | null;
  /** Writes what is queued, then closes the database. */
  close(): Promise<void>;
}

/** DATABASE_URL, or the SQLite file under DATA_DIR when that folder can be written. */
function resolveTarget(options: LifecycleOptions): { target: StoreTarget } | { why: string; code: string } {
  if (options.databaseUrl) return { target: { kind: "postgres", url: options.databaseUrl } };
  const dir = resolve(options.dataDir);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    return { target: { kind: "sqlite", file: join(dir, SQLITE_FILE) } };
  } catch (error) {
    const why = `DATA_DIR (${dir}) cannot be written: nothing is recorded. Set DATA_DIR to a writable folder, or DATABASE_URL=postgres://… for a shared database.`;
    return { why, code: (error as NodeJS.ErrnoException).code ?? "error" };
  }
}

/** Deletes what is past retention now and every 6 hours; returns what stops it. */
function startRetention(store: Store, outage: Outage, before: () => number): () => void {
  const prune = () => store.prune(before()).then(outage.succeeded, (error) => outage.failed("prune", error));
  void prune();
  const timer = setInterval(() => void prune(), 6 * 3600_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Migrates the store, trying again every 5 s while `failed` says it is worth it. `ready` resolves
 * at the first outcome (opened, or the first failure); `stop` ends the retries.
 */
function migrateUntilOpen(store: Store, opened: (applied: string[]) => void, failed: (error: unknown) => boolean) {
  let stopped = false;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  const ready = new Promise<void>((resolveReady) => {
    const attempt = () => {
      store.migrate().then(
        (applied) => {
          if (!stopped) opened(applied);
          resolveReady();
        },
        (error: unknown) => {
          const retry = !stopped && failed(error);
          resolveReady();
          if (!retry) return;
          retryTimer = setTimeout(attempt, 5000);
          retryTimer.unref();
        },
      );
    };
    attempt();
  });
  return {
    ready,
    stop() {
      stopped = true;
      if (retryTimer) clearTimeout(retryTimer);
    },
  };
}

export function createLifecycle(options: LifecycleOptions): StoreLifecycle {
  const { log, warn, now } = options;
  let state: AnalyticsState = "starting";
  let why = "";
  const resolved = resolveTarget(options);
  const target = "target" in resolved ? resolved.target : null;
  if (!("target" in resolved)) {
    state = "unavailable";
    why = resolved.why;
    warn(`${why} (${resolved.code})`);
  }

  const { failed, succeeded } = createOutage(log);

  const store = target ? openStore(target) : null;
  const writer = store ? createWriter(store) : null;
  let stopRetention: (() => void) | null = null;

  const migrated = (applied: string[]) => {
    state = "ready";
    succeeded();
    if (applied.length) log({ event: "analytics-migrated", applied, store: target!.kind });
    stopRetention = startRetention(store!, { failed, succeeded }, () => now() - options.retentionMs);
  };

  let warned = false;
  /** Says why the store could not be opened; true when it is worth trying again. */
  const notOpened = (error: unknown): boolean => {
    const message = messageOf(error).slice(0, 120);
    if (target!.kind === "sqlite") {
      // A file that cannot be opened or written does not get better by waiting.
      state = "unavailable";
      why = `the SQLite store under DATA_DIR could not be opened (${message}): nothing is recorded. Set DATA_DIR to a writable folder, or DATABASE_URL.`;
      warn(why);
      return false;
    }
    // PostgreSQL may come up later: keep trying, say so once, answer 503 meanwhile.
    if (!warned) {
      warned = true;
      warn(`the analytics database (DATABASE_URL) cannot be reached yet (${message}); retrying every 5 s, nothing is recorded meanwhile.`);
    }
    failed("migrate", error);
    return true;
  };

  const opening = store ? migrateUntilOpen(store, migrated, notOpened) : null;

  return {
    target,
    state: () => state,
    reason: () => why,
    available: () => state === "ready",
    ready: opening?.ready ?? Promise.resolve(),
    store,
    writer,
    failed,
    succeeded,
    async close() {
      opening?.stop();
      stopRetention?.();
      await writer?.drain();
      await store?.close();
    },
  };
}
