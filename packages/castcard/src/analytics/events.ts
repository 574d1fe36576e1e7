import type { VerifyAuthorization } from "../farcaster/auth/index";
import { readJsonBody } from "../http/body";
import { createRateLimiter, type RateLimiter, type RateLimitOptions } from "../http/rate";
import type { EventRecord } from "./db/store";
import { text, unavailable } from "./http";
import { SHARE_ID } from "./ids";

/** The largest body POST /api/events reads: an event is under 200 bytes. */
export const MAX_EVENT_BYTES = 4096;

/**
 * Budgets: a share may take at least 600 events a minute (a cast going viral), one viewer at
 * least 5 launches of one share a minute (opening it again is normal; a loop is not). Launches
 * without a viewer fid share one viewer budget per share.
 */
export const SHARE_EVENT_LIMIT: RateLimitOptions = { burst: 600, windowMs: 60_000, maxKeys: 100_000 };
export const VIEWER_LAUNCH_LIMIT: RateLimitOptions = { burst: 10, windowMs: 60_000, maxKeys: 200_000 };

const HASH = /^0x[0-9a-fA-F]{40}$/;
const MAX_FID = 2 ** 53 - 1;

export type ParsedEvent =
  | { type: "cast"; share: string; hash: string }
  | { type: "cancel"; share: string }
  | { type: "launch"; share: string; viewerFid: number | null; castHash: string | null; castFid: number | null };

const FIELDS: Record<string, readonly string[]> = {
  cast: ["type", "share", "hash"],
  cancel: ["type", "share"],
  launch: ["type", "share", "viewerFid", "castHash", "castFid"],
};

const isFid = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > 0 && v <= MAX_FID;

/** Validates an event body; the error names the field at fault. */
export function parseEvent(body: unknown): { ok: true; event: ParsedEvent } | { ok: false; message: string } {
  const fail = (message: string) => ({ ok: false as const, message: `Bad request: ${message}` });
  if (typeof body !== "object" || body === null || Array.isArray(body)) return fail("expected a JSON object");
  const o = body as Record<string, unknown>;
  const type = o.type;
  if (type !== "cast" && type !== "cancel" && type !== "launch") return fail('type: expected "cast", "cancel" or "launch"');
  for (const key of Object.keys(o)) if (!FIELDS[type]!.includes(key)) return fail(`${key.slice(0, 40)}: not a field of a ${type} event`);
  if (typeof o.share !== "string" || !SHARE_ID.test(o.share)) return fail("share: expected a share id (22 characters: A-Z a-z 0-9 - _)");
  const share = o.share;
  if (type === "cancel") return { ok: true, event: { type, share } };
  if (type === "cast") {
    if (typeof o.hash !== "string" || !HASH.test(o.hash)) return fail("hash: expected 0x and 40 hex digits");
    return { ok: true, event: { type, share, hash: o.hash.toLowerCase() } };
  }
  const optional = <T>(key: string, valid: (v: unknown) => v is T, rule: string): { ok: true; value: T | null } | { ok: false; message: string } =>
    o[key] === undefined || o[key] === null ? { ok: true, value: null } : valid(o[key]) ? { ok: true, value: o[key] as T } : fail(`${key}: expected ${rule}`);
  const viewerFid = optional("viewerFid", isFid, "a positive whole number");
  if (!viewerFid.ok) return viewerFid;
  const castHash = optional("castHash", (v): v is string => typeof v === "string" && HASH.test(v), "0x and 40 hex digits");
  if (!castHash.ok) return castHash;
  const castFid = optional("castFid", isFid, "a positive whole number");
  if (!castFid.ok) return castFid;
  return { ok: true, event: { type, share, viewerFid: viewerFid.value, castHash: castHash.value?.toLowerCase() ?? null, castFid: castFid.value } };
}

export interface EventsRouteDeps {
  /** Null when reporting a cast needs no sign-in (SHARE_SECRET unset). */
  verify: VerifyAuthorization | null;
  /** The share's minter and design; null when unknown; throws when the store cannot be asked. */
  findShare(id: string): Promise<{ fid: number; design: string } | null>;
  /** Resolves once the event is committed; throws when it could not be. */
  record(event: EventRecord): Promise<void>;
  /** False while the store is not usable (starting, or unreachable at start). */
  available(): boolean;
  now: () => number;
  limits?: { share?: RateLimitOptions; viewer?: RateLimitOptions };
}

/**
 * POST /api/events: what became of a share. `cast` and `cancel` come from the sharer (with sign-in
 * on, only the share's minter); `launch` from whoever opened the app from the share, on their word.
 * 204 once committed.
 */
export function createEventsRoute(deps: EventsRouteDeps): (request: Request) => Promise<Response> {
  const perShare: RateLimiter = createRateLimiter(deps.limits?.share ?? SHARE_EVENT_LIMIT);
  const perViewer: RateLimiter = createRateLimiter(deps.limits?.viewer ?? VIEWER_LAUNCH_LIMIT);

  return async (request) => {
    if (request.method !== "POST") return text(405, "Method not allowed", { allow: "POST" });
    const body = await readJsonBody(request, MAX_EVENT_BYTES);
    if (!body.ok) return text(body.status, body.message);
    const parsed = parseEvent(body.value);
    if (!parsed.ok) return text(400, parsed.message);
    const event = parsed.event;
    if (!deps.available()) return unavailable();

    let share: { fid: number; design: string } | null;
    try {
      share = await deps.findShare(event.share);
    } catch {
      return unavailable();
    }
    if (!share) return text(404, "Not found: share: no such share");

    if (event.type !== "launch" && deps.verify) {
      const auth = await deps.verify(request.headers.get("authorization"));
      if (!auth.ok) {
        if (auth.status === 503) return text(503, `Service unavailable: ${auth.reason}`, { "retry-after": String(auth.retryAfterSeconds) });
        return text(401, `Unauthorized: ${auth.reason}`, { "www-authenticate": 'Bearer realm="castcard"' });
      }
      if (auth.fid !== share.fid) return text(403, "Forbidden: only the share's minter may report its cast");
    }

    const viewerKey = event.type === "launch" ? `${event.share}:${event.viewerFid ?? "-"}` : null;
    if (viewerKey !== null) {
      const viewer = perViewer.take(viewerKey);
      if (!viewer.ok) return text(429, "Too many requests: this viewer launched this share too often", { "retry-after": String(viewer.retryAfterSeconds) });
    }
    const budget = perShare.take(event.share);
    if (!budget.ok) {
      if (viewerKey !== null) perViewer.refund(viewerKey);
      return text(429, "Too many requests: too many events for this share", { "retry-after": String(budget.retryAfterSeconds) });
    }

    const at = deps.now();
    const record: EventRecord =
      event.type === "launch"
        ? { type: "launch", share: event.share, design: share.design, at, viewerFid: event.viewerFid, castHash: event.castHash, castFid: event.castFid }
        : event.type === "cast"
          ? { type: "cast", share: event.share, design: share.design, at, hash: event.hash }
          : { type: "cancel", share: event.share, design: share.design, at };
    try {
      await deps.record(record);
    } catch {
      // Not recorded: the event may be sent again, so it spends no budget.
      perShare.refund(event.share);
      if (viewerKey !== null) perViewer.refund(viewerKey);
      return unavailable();
    }
    return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
  };
}
