import { LRUCache } from "lru-cache";
import type { AvatarFetcher, AvatarResult } from "../avatar/index";

export interface AvatarCacheOptions {
  /** Upper bound of the normalised avatar bytes held. Default 32 MB; 0 stores nothing. */
  maxBytes?: number;
  /** How long a fetched avatar is reused. Default 10 minutes. */
  ttlMs?: number;
  /** How long a failure is remembered, so a dead or slow host is not asked again at once. Default 30 s. */
  failureTtlMs?: number;
  /** Clock for TTLs; tests pass their own. */
  now?: () => number;
}

export interface AvatarCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  /** Calls that waited for a fetch of the same URL already under way. */
  shared: number;
  /** Fetches actually made. */
  fetches: number;
  failuresCached: number;
}

export type CachedAvatarFetcher = AvatarFetcher & { stats: () => AvatarCacheStats };

export const AVATAR_CACHE_DEFAULTS = { maxBytes: 32 * 1024 * 1024, ttlMs: 10 * 60_000, failureTtlMs: 30_000 } as const;

const ENTRY_OVERHEAD = 128;

/**
 * Wraps any avatar fetcher (the guarded one, or a library user's) with a cache by URL and size:
 * results are reused for ttlMs, failures for failureTtlMs, and concurrent calls for one URL at one
 * size share one fetch. Each design asks for its own size, so a picture is normalised once per
 * size it is drawn at and never scaled again while it is cached.
 */
export function cacheAvatars(fetcher: AvatarFetcher, options: AvatarCacheOptions = {}): CachedAvatarFetcher {
  const maxBytes = Math.max(0, Math.floor(options.maxBytes ?? AVATAR_CACHE_DEFAULTS.maxBytes));
  const ttlMs = options.ttlMs ?? AVATAR_CACHE_DEFAULTS.ttlMs;
  const failureTtlMs = options.failureTtlMs ?? AVATAR_CACHE_DEFAULTS.failureTtlMs;
  const counters = { hits: 0, shared: 0, fetches: 0, failuresCached: 0 };
  const lru =
    maxBytes > 0
      ? new LRUCache<string, AvatarResult>({
          maxSize: maxBytes,
          sizeCalculation: (result, key) => (result.ok ? result.png.byteLength : 0) + key.length * 2 + ENTRY_OVERHEAD,
          // A hand-moved clock must be read every time, not once per real millisecond.
          ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
        })
      : null;
  const inFlight = new Map<string, Promise<AvatarResult>>();

  const cached = async (url: string, size: number): Promise<AvatarResult> => {
    const key = `${size} ${url}`;
    const hit = lru?.get(key);
    if (hit) {
      counters.hits++;
      return hit;
    }
    const pending = inFlight.get(key);
    if (pending) {
      counters.shared++;
      return pending;
    }
    counters.fetches++;
    const run = Promise.resolve()
      .then(() => fetcher(url, size))
      // The contract is "never throws"; a fetcher that does still only costs this user the avatar.
      .catch((): AvatarResult => ({ ok: false, reason: "fetch-failed" }))
      .then((result) => {
        if (lru) {
          if (!result.ok) counters.failuresCached++;
          lru.set(key, result, { ttl: result.ok ? ttlMs : failureTtlMs });
        }
        return result;
      })
      .finally(() => inFlight.delete(key));
    inFlight.set(key, run);
    return run;
  };

  return Object.assign(cached, {
    stats: (): AvatarCacheStats => ({ entries: lru?.size ?? 0, bytes: lru?.calculatedSize ?? 0, maxBytes, ...counters }),
  });
}
