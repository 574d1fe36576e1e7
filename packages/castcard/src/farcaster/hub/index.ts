import { LRUCache } from "lru-cache";
import { z } from "zod";
import { readCapped } from "../../http/body";

/** What a hub says about a fid: its latest username, display name and picture (null when unset). */
export interface HubProfile {
  username: string | null;
  displayName: string | null;
  pfpUrl: string | null;
}

export type HubLookup = { ok: true; profile: HubProfile } | { ok: false; reason: string; retryAfterSeconds: number };

export interface HubClientOptions {
  /** The hub's HTTP API base, e.g. https://hub.example.com:3381 (no trailing slash). */
  url: string;
  /** Sent as `x-api-key`, for hosted hubs that want one. */
  apiKey?: string | null;
  /** One deadline for the whole answer, headers and body. Default 2 s. */
  timeoutMs?: number;
  /** How long an answer is reused. Default 10 minutes. */
  ttlMs?: number;
  /** How long a failure is reused (the hub is not asked again meanwhile). Default 30 s. */
  failureTtlMs?: number;
  /** Fids remembered at once. Default 10,000. */
  maxEntries?: number;
  /** The most of an answer read. Default 256 kB. */
  maxBytes?: number;
}

export interface HubClient {
  /** The fid's profile: from the cache, from a request already in flight for it, or from the hub. */
  profile(fid: number): Promise<HubLookup>;
}

// USER_DATA_TYPE_* by name and number (the hub's JSON uses names; numbers are accepted too).
const FIELD: Record<string, keyof HubProfile> = {
  USER_DATA_TYPE_PFP: "pfpUrl",
  "1": "pfpUrl",
  USER_DATA_TYPE_DISPLAY: "displayName",
  "2": "displayName",
  USER_DATA_TYPE_USERNAME: "username",
  "6": "username",
};

const answerSchema = z.object({
  messages: z
    .array(
      z.object({
        data: z.object({
          type: z.string(),
          fid: z.number(),
          timestamp: z.number(),
          userDataBody: z.object({ type: z.union([z.string(), z.number()]), value: z.string() }).optional(),
        }),
      }),
    )
    .max(1000),
});

/** The latest value of each field, from a userDataByFid answer (only USER_DATA_ADD messages for this fid). */
export function profileFromMessages(fid: number, answer: z.infer<typeof answerSchema>): HubProfile {
  const latest: Partial<Record<keyof HubProfile, { value: string; timestamp: number }>> = {};
  for (const { data } of answer.messages) {
    if (data.type !== "MESSAGE_TYPE_USER_DATA_ADD" || data.fid !== fid || !data.userDataBody) continue;
    const field = FIELD[String(data.userDataBody.type)];
    if (!field) continue;
    const seen = latest[field];
    if (!seen || data.timestamp >= seen.timestamp) latest[field] = { value: data.userDataBody.value, timestamp: data.timestamp };
  }
  const pick = (field: keyof HubProfile) => latest[field]?.value.trim() || null;
  return { username: pick("username"), displayName: pick("displayName"), pfpUrl: pick("pfpUrl") };
}

/**
 * Names and pictures by fid from a Farcaster hub (or Snapchain node) HTTP API:
 * `GET {url}/v1/userDataByFid?fid=N`. Answers are cached (failures briefly), one request per fid is
 * in flight at a time, and every request has one deadline and a size cap.
 */
export function createHubClient(options: HubClientOptions): HubClient {
  const timeoutMs = options.timeoutMs ?? 2000;
  const ttl = options.ttlMs ?? 10 * 60_000;
  const failureTtl = options.failureTtlMs ?? 30_000;
  const maxBytes = options.maxBytes ?? 256 * 1024;
  const cache = new LRUCache<number, HubLookup>({ max: options.maxEntries ?? 10_000, ttl });
  const inFlight = new Map<number, Promise<HubLookup>>();
  const headers: Record<string, string> = { accept: "application/json" };
  if (options.apiKey) headers["x-api-key"] = options.apiKey;
  const retryAfterSeconds = Math.max(1, Math.ceil(failureTtl / 1000));
  const failed = (reason: string): HubLookup => ({ ok: false, reason, retryAfterSeconds });

  async function ask(fid: number): Promise<HubLookup> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await fetch(`${options.url}/v1/userDataByFid?fid=${fid}`, { headers, signal, redirect: "error" });
      if (!res.ok) {
        await res.body?.cancel().catch(() => undefined);
        return failed(`hub-status-${res.status}`);
      }
      const read = await readCapped(res.body, maxBytes);
      if (!read.ok) return failed(read.reason === "too-large" ? "hub-too-large" : signal.aborted ? "hub-timeout" : "hub-read");
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(read.bytes));
      } catch {
        return failed("hub-not-json");
      }
      const parsed = answerSchema.safeParse(json);
      if (!parsed.success) return failed("hub-unexpected-answer");
      return { ok: true, profile: profileFromMessages(fid, parsed.data) };
    } catch {
      return failed(signal.aborted ? "hub-timeout" : "hub-unreachable");
    }
  }

  return {
    profile(fid) {
      const cached = cache.get(fid);
      if (cached) return Promise.resolve(cached);
      let pending = inFlight.get(fid);
      if (!pending) {
        pending = ask(fid).then((result) => {
          cache.set(fid, result, { ttl: result.ok ? ttl : failureTtl });
          inFlight.delete(fid);
          return result;
        });
        inFlight.set(fid, pending);
      }
      return pending;
    },
  };
}
