// The delivery loop: claims due notifications, posts them batched per (url, notification) with at
// most 100 tokens, and writes back each token's outcome. Runs in every instance; the claims keep
// them from sending the same row at once.
import type { NotifyDb } from "../store/schema";
import { claimDue, settle, type Claimed, type Outcome } from "./claim";
import { sendNotification, type SendGuard } from "./send";
import { LIMITS, reachNotification, type ReachTexts } from "./texts";

type Log = (entry: { event: string; [key: string]: unknown }) => void;

export interface DeliveryOptions {
  db: () => NotifyDb | null;
  guard: SendGuard;
  app: { name: string; url: string };
  texts?: ReachTexts;
  /** How often the outbox is looked at when nothing wakes it. Default 1 s. */
  intervalMs?: number;
  /** Rows claimed at once. Default 200. */
  batch?: number;
  /** POSTs in flight at once. Default 8. */
  concurrency?: number;
  now?: () => number;
  log?: Log;
}

export interface Delivery {
  /** Looks at the outbox now (after a launch made something due). */
  wake(): void;
  /** One pass: claims, sends and settles until nothing is due; resolves with the rows handled. */
  runOnce(): Promise<number>;
  stop(): Promise<void>;
}

interface Post {
  url: string;
  rows: Claimed[];
}

/** Claimed rows grouped into POSTs: one per (url, share, milestone), at most 100 tokens each. */
export function batches(rows: Claimed[]): Post[] {
  const groups = new Map<string, Claimed[]>();
  for (const row of rows) {
    const key = `${row.url}\u0000${row.share}\u0000${row.milestone}`;
    const list = groups.get(key) ?? [];
    list.push(row);
    groups.set(key, list);
  }
  const posts: Post[] = [];
  for (const list of groups.values()) {
    for (let i = 0; i < list.length; i += LIMITS.tokens) posts.push({ url: list[0]!.url, rows: list.slice(i, i + LIMITS.tokens) });
  }
  return posts;
}

export function createDelivery(options: DeliveryOptions): Delivery {
  const now = options.now ?? Date.now;
  const log: Log = options.log ?? (() => undefined);
  const batch = options.batch ?? 200;
  const concurrency = options.concurrency ?? 8;
  let running: Promise<number> | null = null;
  let again = false;
  let stopped = false;

  const post = async ({ url, rows }: Post): Promise<Array<{ row: Claimed; outcome: Outcome }>> => {
    const first = rows[0]!;
    const request = { ...reachNotification(first.share, first.milestone, options.app, options.texts), tokens: rows.map((r) => r.token) };
    const { outcomes, reason } = await sendNotification(url, request, options.guard);
    if (reason !== "answered") log({ event: "notify-send-failed", reason, host: safeHost(url), tokens: rows.length });
    return rows.map((row) => ({ row, outcome: outcomes.get(row.token) ?? "retry" }));
  };

  const pass = async (): Promise<number> => {
    let handled = 0;
    for (;;) {
      const notify = options.db();
      if (!notify || stopped) return handled;
      const claimed = await claimDue(notify, now(), batch);
      if (claimed.length === 0) return handled;
      const posts = batches(claimed);
      const results: Array<{ row: Claimed; outcome: Outcome }> = [];
      let next = 0;
      const worker = async () => {
        while (next < posts.length) results.push(...(await post(posts[next++]!)));
      };
      await Promise.all(Array.from({ length: Math.min(concurrency, posts.length) }, worker));
      await settle(notify, now(), results, posts.length);
      handled += claimed.length;
    }
  };

  const runOnce = (): Promise<number> => {
    if (running) {
      again = true;
      return running;
    }
    running = pass()
      .catch((error: unknown) => {
        log({ event: "notify-delivery-failed", reason: error instanceof Error ? error.message.slice(0, 200) : "unknown" });
        return 0;
      })
      .finally(() => {
        running = null;
        if (again && !stopped) {
          again = false;
          void runOnce();
        }
      });
    return running;
  };

  const timer = setInterval(() => void runOnce(), options.intervalMs ?? 1000);
  timer.unref();

  return {
    wake: () => void runOnce(),
    runOnce,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return "invalid";
  }
}
