import { LRUCache } from "lru-cache";

export interface RateLimitOptions {
  /** Requests one key may make in a burst; the bucket refills to this. */
  burst: number;
  /** How long the bucket takes to refill from empty, in milliseconds. */
  windowMs: number;
  /** Keys remembered at once; the least recently seen is forgotten first. */
  maxKeys: number;
  /** Clock, for tests. */
  now?: () => number;
}

export type RateDecision = { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Takes one token from `key`'s bucket, or says how long until there is one. */
  take(key: string): RateDecision;
  /** Gives back a token taken from `key` for a request that then failed on the server's side. */
  refund(key: string): void;
  /** Keys remembered now (expired ones dropped first). */
  size(): number;
}

/** Mints: 20 a minute for each fid, remembering up to 50,000 fids. */
export const SHARE_RATE_LIMIT: RateLimitOptions = { burst: 20, windowMs: 60_000, maxKeys: 50_000 };

/**
 * A token bucket per key. Keys are independent (one key's burst never delays another), and the
 * memory is bounded by `maxKeys`: a full bucket carries no information, so entries expire once
 * they would have refilled, and the LRU drops the oldest when many keys are seen at once.
 */
export function createRateLimiter(options: RateLimitOptions): RateLimiter {
  const burst = Math.max(1, Math.floor(options.burst));
  const perMs = burst / Math.max(1, options.windowMs);
  const now = options.now ?? Date.now;
  const buckets = new LRUCache<string, { tokens: number; at: number }>({
    max: Math.max(1, options.maxKeys),
    ttl: options.windowMs,
    ttlAutopurge: false,
    perf: { now },
  });

  return {
    take(key) {
      const t = now();
      const bucket = buckets.get(key);
      const tokens = bucket ? Math.min(burst, bucket.tokens + (t - bucket.at) * perMs) : burst;
      if (tokens < 1) {
        return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / perMs / 1000)) };
      }
      // Stored (and its time-to-live restarted) only when a token is taken: refusals cost nothing.
      buckets.set(key, { tokens: tokens - 1, at: t });
      return { ok: true, remaining: Math.floor(tokens - 1) };
    },
    refund(key) {
      const bucket = buckets.get(key);
      if (bucket) bucket.tokens = Math.min(burst, bucket.tokens + 1);
    },
    size: () => {
      buckets.purgeStale();
      return buckets.size;
    },
  };
}
