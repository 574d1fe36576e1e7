import type { EventRecord, ShareRecord, Store } from "./db/store";

/**
 * Group commit: records that arrive while a transaction is being written wait for the next one,
 * and every caller's promise resolves only when the transaction holding its record has committed.
 * One fsync then covers a whole batch, so a `2xx` can mean "committed" without costing a disk
 * flush per request.
 */
export interface Writer {
  share(record: ShareRecord): Promise<void>;
  event(record: EventRecord): Promise<void>;
  /** Records waiting or being written. */
  pending(): number;
  /** Resolves once everything queued so far is written (or has failed). */
  drain(): Promise<void>;
}

export class QueueFullError extends Error {
  override name = "QueueFullError";
}

type Item = { share?: ShareRecord; event?: EventRecord; resolve: () => void; reject: (error: unknown) => void };

export function createWriter(store: Pick<Store, "write">, options: { maxBatch?: number; maxQueue?: number } = {}): Writer {
  const maxBatch = options.maxBatch ?? 1000;
  // A database that stopped answering must not grow memory without bound: past this, refuse.
  const maxQueue = options.maxQueue ?? 20_000;
  let queue: Item[] = [];
  let writing = 0;
  let running = false;
  let idle: Array<() => void> = [];

  const run = async () => {
    while (queue.length) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      writing = batch.length;
      try {
        await store.write(
          batch.flatMap((i) => (i.share ? [i.share] : [])),
          batch.flatMap((i) => (i.event ? [i.event] : [])),
        );
        for (const item of batch) item.resolve();
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
      writing = 0;
    }
    running = false;
    const waiting = idle;
    idle = [];
    for (const done of waiting) done();
  };

  const enqueue = (item: Omit<Item, "resolve" | "reject">) =>
    new Promise<void>((resolve, reject) => {
      if (queue.length >= maxQueue) return reject(new QueueFullError("too many records waiting for the database"));
      queue.push({ ...item, resolve, reject });
      if (!running) {
        running = true;
        // Let the requests already parsed in this turn of the event loop join the batch.
        setImmediate(() => void run());
      }
    });

  return {
    share: (share) => enqueue({ share }),
    event: (event) => enqueue({ event }),
    pending: () => queue.length + writing,
    drain: () => (running ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve()),
  };
}
