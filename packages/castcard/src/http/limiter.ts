/** Load shedding: a few tasks at a time, a short queue, and a clear "busy" past that. */
export interface LimiterOptions {
  /** Tasks running at once. */
  concurrency: number;
  /** Tasks allowed to wait for a slot; the next one is shed. */
  queue: number;
}

export interface LimiterStats {
  running: number;
  queued: number;
  concurrency: number;
  queue: number;
  /** Tasks refused because slots and queue were full, since start. */
  shed: number;
}

export interface Limiter {
  /** Runs `task` when a slot is free; resolves to `{ shed: true }` without running it when the queue is full. */
  run<T>(task: () => Promise<T>): Promise<{ shed: false; value: T } | { shed: true }>;
  stats(): LimiterStats;
}

export function createLimiter(options: LimiterOptions): Limiter {
  const concurrency = Math.max(1, Math.floor(options.concurrency));
  const queueSize = Math.max(0, Math.floor(options.queue));
  const waiting: (() => void)[] = [];
  let running = 0;
  let shed = 0;

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running--;
  };

  return {
    async run(task) {
      if (running >= concurrency) {
        if (waiting.length >= queueSize) {
          shed++;
          return { shed: true };
        }
        // The slot is handed over by release(), so `running` stays counted for the waiter.
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        running++;
      }
      try {
        return { shed: false, value: await task() };
      } finally {
        release();
      }
    },
    stats: () => ({ running, queued: waiting.length, concurrency, queue: queueSize, shed }),
  };
}
