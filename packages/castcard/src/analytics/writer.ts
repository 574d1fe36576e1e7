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

/**
 * Callers answered per turn of the event loop. Each answer runs its caller's remaining work (an
 * events request writes its 204), so a large batch answered at once would hold the loop for tens
 * of milliseconds, and cards waiting behind it; in slices, other requests are served in between.
 */
const ANSWERS_PER_TURN = 32;

function answer(items: Item[], error: unknown, failed: boolean, from = 0): void {
  const end = Math.min(items.length, from + ANSWERS_PER_TURN);
  for (let i = from; i < end; i++) {
    if (failed) items[i]!.reject(error);
    else items[i]!.resolve();
  }
  if (end < items.length) setImmediate(answer, items, error, failed, end);
}

export function createWriter(store: Pick<Store, "write">, options: { maxBatch?: number; maxQueue?: number } = {}): Writer {
  // A batch's statements are built and compiled on this thread: past a few hundred rows, that alone
  // holds the event loop for milliseconds, while a larger batch saves little.
  const maxBatch = options.maxBatch ?? 256;
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
        answer(batch, undefined, false);
      } catch (error) {
        answer(batch, error, true);
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
