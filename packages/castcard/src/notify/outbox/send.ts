// One POST to a client's notification URL, through the guarded fetcher: the URL came in a signed
// event anyone can make for their own fid, so it is hostile until proven otherwise.
import { z } from "zod";
import { FetchRefused, guardedFetch } from "../../og/avatar/guarded-fetch/index";
import type { Outcome } from "./claim";

export interface SendGuard {
  /** NOTIFY_ALLOW_PRIVATE (tests only): http and loopback/private addresses allowed. */
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Tests: extra ports, CA and network shim, as for avatars. */
  ports?: readonly number[];
  ca?: string | Buffer;
  resolve?: (hostname: string) => Promise<string[]>;
  dial?: (target: { address: string; port: number; servername: string }) => string;
}

export interface NotificationRequest {
  notificationId: string;
  title: string;
  body: string;
  targetUrl: string;
  tokens: string[];
}

const answerSchema = z.object({
  result: z.object({
    successfulTokens: z.array(z.string()).default([]),
    invalidTokens: z.array(z.string()).default([]),
    rateLimitedTokens: z.array(z.string()).default([]),
  }),
});

// Refusals that say the URL itself is unacceptable: sending there will never be allowed.
const HOSTILE = /^(scheme|userinfo|port|local-name|bad-url|address:|resolved:|too-many-redirects|bad-redirect|status-3)/;

/** The outcome of one POST for each of its tokens, and why, for the log. */
export async function sendNotification(url: string, request: NotificationRequest, guard: SendGuard): Promise<{ outcomes: Map<string, Outcome>; reason: string }> {
  const all = (outcome: Outcome, reason: string) => ({ outcomes: new Map(request.tokens.map((t) => [t, outcome] as const)), reason });
  let body: Buffer;
  try {
    const fetched = await guardedFetch(url, {
      allowPrivate: guard.allowPrivate,
      hosts: null,
      timeoutMs: guard.timeoutMs ?? 10_000,
      maxBytes: 64 * 1024,
      maxRedirects: 0,
      contentTypes: new Set(["application/json"]),
      ports: guard.ports,
      ca: guard.ca,
      resolve: guard.resolve,
      dial: guard.dial,
      request: { method: "POST", headers: { "content-type": "application/json", "user-agent": "Castcard-notify/1" }, body: Buffer.from(JSON.stringify(request)) },
    });
    body = fetched.body;
  } catch (error) {
    const reason = error instanceof FetchRefused ? error.reason : "fetch-failed";
    if (HOSTILE.test(reason)) return all("invalid", reason);
    // 429 and 5xx: the host is busy or down; other 4xx: it will not take this request as it is.
    if (/^status-4/.test(reason) && reason !== "status-429") return all("dropped", reason);
    return all("retry", reason);
  }
  let parsed: z.infer<typeof answerSchema>;
  try {
    const answer = answerSchema.safeParse(JSON.parse(body.toString("utf8")));
    if (!answer.success) return all("retry", "unexpected-answer");
    parsed = answer.data;
  } catch {
    return all("retry", "not-json");
  }
  const outcomes = new Map<string, Outcome>(request.tokens.map((t) => [t, "retry"]));
  const mine = new Set(request.tokens);
  for (const t of parsed.result.successfulTokens) if (mine.has(t)) outcomes.set(t, "delivered");
  for (const t of parsed.result.rateLimitedTokens) if (mine.has(t)) outcomes.set(t, "rate-limited");
  for (const t of parsed.result.invalidTokens) if (mine.has(t)) outcomes.set(t, "invalid");
  return { outcomes, reason: "answered" };
}
