// POST /api/webhook: a Farcaster client saying the user added or removed the app, or turned its
// notifications on or off, as a JSON Farcaster Signature by one of the user's app keys.
import { readJsonBody } from "../../http/body";
import { createRateLimiter, type RateLimitOptions } from "../../http/rate";
import { text } from "../../http/respond";
import type { SignerLookup } from "../hub/signers";
import type { NotifyDb } from "../store/schema";
import { removeToken, saveToken } from "../store/tokens";
import { parseEvent } from "./event";
import { checkEnvelope } from "./jfs";

/** The most a webhook body may be: an event is a few hundred bytes. */
export const MAX_WEBHOOK_BYTES = 8 * 1024;
/**
 * Signed events per fid: a client sends a handful when a user adds, removes or toggles the app. The
 * budget keeps anyone with a key of their own from making the server ask the hub without end.
 */
export const WEBHOOK_FID_LIMIT: RateLimitOptions = { burst: 30, windowMs: 60_000, maxKeys: 100_000 };

/** What a client is told to wait before sending again when the hub or the store cannot answer. */
export const RETRY_AFTER_SECONDS = 30;

type Log = (entry: { event: string; [key: string]: unknown }) => void;

export interface WebhookOptions {
  /** The store, or null while it is starting or down. */
  db: () => NotifyDb | null;
  lookup: SignerLookup;
  now?: () => number;
  log?: Log;
  limit?: RateLimitOptions;
}

export function createWebhookRoute(options: WebhookOptions): (request: Request) => Promise<Response> {
  const now = options.now ?? Date.now;
  const log: Log = options.log ?? (() => undefined);
  const perFid = createRateLimiter({ ...(options.limit ?? WEBHOOK_FID_LIMIT), now });
  const retry = (message: string) => text(503, `Service unavailable: ${message}; try again later`, { "retry-after": String(RETRY_AFTER_SECONDS) });

  return async (request) => {
    if (request.method !== "POST") return text(405, "Method not allowed", { allow: "POST" });
    const body = await readJsonBody(request, MAX_WEBHOOK_BYTES);
    if (!body.ok) return text(body.status, body.message);
    const checked = checkEnvelope(body.value);
    if (!checked.ok) return text(checked.status, checked.message);
    const { fid, key, payload } = checked.envelope;
    const parsed = parseEvent(payload);
    if (!parsed.ok) return text(400, `Bad request: ${parsed.message}`);
    const budget = perFid.take(String(fid));
    if (!budget.ok) return text(429, "Too many requests: too many events for this fid", { "retry-after": String(budget.retryAfterSeconds) });

    const signer = await options.lookup(fid, key);
    if (!signer.ok) {
      if (signer.unavailable) {
        log({ event: "webhook-hub-unavailable", reason: signer.reason });
        return retry("the hub cannot confirm the app key");
      }
      return text(401, "Unauthorized: the key is not an active app key of this fid");
    }
    const { appFid } = signer;
    const { event } = parsed;
    const store = options.db();
    if (!store) return retry("the store is not available");
    try {
      if (event.kind === "enable") await saveToken(store, { fid, appFid, url: event.url, token: event.token, at: now() });
      else if (event.kind === "disable") await removeToken(store, fid, appFid);
    } catch (error) {
      log({ event: "webhook-store-failed", reason: error instanceof Error ? error.message.slice(0, 200) : "unknown" });
      return retry("the store cannot commit");
    }
    log({ event: "webhook", name: event.name, fid, appFid });
    return text(200, "OK");
  };
}
