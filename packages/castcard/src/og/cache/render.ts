import { createHash } from "node:crypto";
import { LRUCache } from "lru-cache";

/** A finished card, as it is answered again on every hit. */
export interface CachedCard {
  png: Buffer;
  /** Strong validator: a hash of the PNG bytes, so equal bytes give equal tags across processes. */
  etag: string;
  cacheControl: string;
  /** Value of x-castcard-avatar: "image", "initials" or "fallback". */
  avatar: string;
  /** Why the avatar fell back (e.g. "timeout"): for server logs only, never sent to clients. */
  fallbackReason?: string;
  /** Server-Timing of the render that produced it. */
  timing: string;
}

export type RenderOutcome =
  | { ok: true; card: CachedCard; /** Keep in memory at most this long; absent: until evicted. */ ttlMs?: number }
  | { ok: false; status: number; message: string; headers?: Record<string, string> };

export interface RenderCacheOptions {
  /** Upper bound of the bytes held (PNG plus bookkeeping). 0 stores nothing; single flight still applies. */
  maxBytes: number;
  /** Clock for TTLs; tests pass their own. */
  now?: () => number;
}

export interface RenderCacheStats {
  entries: number;
  bytes: number;
  maxBytes: number;
  hits: number;
  /** Requests that waited for a render another request had started. */
  shared: number;
  /** Renders actually run. */
  renders: number;
  evictions: number;
  notModified: number;
}

export interface RenderCache {
  get(key: string): CachedCard | undefined;
  /**
   * Runs `render` for `key` unless a render of the same key is in flight, in which case it waits
   * for that one. Only successful outcomes are stored; failures (5xx, shed load) never are.
   */
  load(key: string, render: () => Promise<RenderOutcome>): Promise<{ outcome: RenderOutcome; shared: boolean }>;
  /** Counts a 304 answered from a cached validator (for stats only). */
  countNotModified(): void;
  stats(): RenderCacheStats;
}

// Key, header strings and object overhead: small next to a PNG, but it keeps tiny entries honest.
const ENTRY_OVERHEAD = 256;

export function etagOf(png: Uint8Array): string {
  return `"${createHash("sha256").update(png).digest("base64url").slice(0, 27)}"`;
}

/** If-None-Match uses the weak comparison (RFC 9110 §13.1.2): W/ prefixes are ignored. */
export function ifNoneMatchHits(header: string | null, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((part) => {
    const tag = part.trim();
    return tag === "*" || tag.replace(/^W\//, "") === bare;
  });
}

export function createRenderCache(options: RenderCacheOptions): RenderCache {
  const maxBytes = Math.max(0, Math.floor(options.maxBytes));
  const counters = { hits: 0, shared: 0, renders: 0, evictions: 0, notModified: 0 };
  const lru =
    maxBytes > 0
      ? new LRUCache<string, CachedCard>({
          maxSize: maxBytes,
          sizeCalculation: (card, key) => card.png.byteLength + key.length * 2 + ENTRY_OVERHEAD,
          dispose: (_card, _key, reason) => {
            if (reason === "evict") counters.evictions++;
          },
          // A hand-moved clock must be read every time, not once per real millisecond.
          ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
        })
      : null;
  const inFlight = new Map<string, Promise<RenderOutcome>>();

  return {
    get(key) {
      const card = lru?.get(key);
      if (card) counters.hits++;
      return card;
    },
    async load(key, render) {
      const pending = inFlight.get(key);
      if (pending) {
        counters.shared++;
        return { outcome: await pending, shared: true };
      }
      counters.renders++;
      // Started on a later tick so the in-flight entry exists before render can settle.
      const run = Promise.resolve()
        .then(render)
        .then((outcome) => {
          if (outcome.ok && lru) lru.set(key, outcome.card, outcome.ttlMs ? { ttl: outcome.ttlMs } : {});
          return outcome;
        })
        .finally(() => inFlight.delete(key));
      inFlight.set(key, run);
      return { outcome: await run, shared: false };
    },
    countNotModified() {
      counters.notModified++;
    },
    stats: () => ({ entries: lru?.size ?? 0, bytes: lru?.calculatedSize ?? 0, maxBytes, ...counters }),
  };
}
