// The events a Farcaster client sends to the webhook, by their current names and the older ones.
import { z } from "zod";

/** What one signed event asks: keep this token for (fid, appFid), or forget that pair. */
export type WebhookEvent =
  | { kind: "enable"; name: string; url: string; token: string }
  | { kind: "disable"; name: string }
  /** `miniapp_added` without notification details: nothing to keep, nothing to forget. */
  | { kind: "none"; name: string };

const httpUrl = z
  .string()
  .max(1024)
  .refine((value) => {
    try {
      const { protocol } = new URL(value);
      return protocol === "https:" || protocol === "http:";
    } catch {
      return false;
    }
  }, "must be an http(s) URL");
// Where the URL may point is judged when sending (through the guarded fetcher), not here.
const details = z.object({ url: httpUrl, token: z.string().min(1).max(1024) });
const payloadSchema = z.object({ event: z.string().max(64), notificationDetails: details.optional() });

const ADDED = new Set(["miniapp_added", "frame_added"]);
const REMOVED = new Set(["miniapp_removed", "frame_removed"]);
const ENABLED = "notifications_enabled";
const DISABLED = "notifications_disabled";

export type EventParse = { ok: true; event: WebhookEvent } | { ok: false; message: string };

/** Reads the decoded payload: JSON naming one of the four events (or their `frame_*` names). */
export function parseEvent(payload: Uint8Array): EventParse {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(payload));
  } catch {
    return { ok: false, message: "payload is not base64url JSON" };
  }
  const parsed = payloadSchema.safeParse(json);
  if (!parsed.success) {
    const field = parsed.error.issues[0]!.path.join(".");
    return { ok: false, message: field ? `payload.${field} is malformed` : "payload must be an object { event, notificationDetails? }" };
  }
  const { event: name, notificationDetails } = parsed.data;
  if (ADDED.has(name)) {
    return { ok: true, event: notificationDetails ? { kind: "enable", name, ...notificationDetails } : { kind: "none", name } };
  }
  if (name === ENABLED) {
    if (!notificationDetails) return { ok: false, message: "notifications_enabled needs notificationDetails { url, token }" };
    return { ok: true, event: { kind: "enable", name, ...notificationDetails } };
  }
  if (REMOVED.has(name) || name === DISABLED) return { ok: true, event: { kind: "disable", name } };
  return { ok: false, message: `unknown event "${name.slice(0, 40)}"` };
}
