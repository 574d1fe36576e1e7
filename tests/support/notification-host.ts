import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";

// A local stand-in for a Farcaster client's notification server, holding senders to the spec:
// each field's limit, at most 100 tokens, one notification per token per 30 s and 100 a day,
// (fid, notificationId) deduped for 24 h (a duplicate counts as successful), and, on demand,
// invalid or rate-limited tokens and failures (a status, a hang, a slow or huge answer, a redirect).

export type HostMode =
  | { kind: "up" }
  | { kind: "fail"; status: number }
  | { kind: "hang" }
  | { kind: "slow"; ms: number }
  | { kind: "huge" }
  | { kind: "redirect"; to: string };

export interface Delivered {
  fid: number;
  token: string;
  notificationId: string;
  title: string;
  body: string;
  targetUrl: string;
  at: number;
}

const DAY = 86_400_000;

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > max) {
        resolve(null);
        req.destroy();
      } else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", () => resolve(null));
  });
}

/** What is wrong with a request body, by the spec's rules, or null. */
function invalid(body: Record<string, unknown>, appHost: string | null): string | null {
  const str = (k: string, max: number) => typeof body[k] === "string" && (body[k] as string).length >= 1 && (body[k] as string).length <= max;
  if (!str("notificationId", 128)) return "notificationId";
  if (!str("title", 32)) return "title";
  if (!str("body", 128)) return "body";
  if (!str("targetUrl", 1024)) return "targetUrl";
  try {
    if (appHost && new URL(body.targetUrl as string).host !== appHost) return "targetUrl domain";
  } catch {
    return "targetUrl";
  }
  const tokens = body.tokens;
  if (!Array.isArray(tokens) || tokens.length === 0 || tokens.length > 100 || tokens.some((t) => typeof t !== "string")) return "tokens";
  return null;
}

export async function startNotificationHost(options: { appHost?: string; now?: () => number } = {}) {
  const now = options.now ?? Date.now;
  let mode: HostMode = { kind: "up" };
  const fidOf = new Map<string, number>();
  const invalidTokens = new Set<string>();
  const rateLimited = new Set<string>();
  const lastAt = new Map<string, number[]>();
  const seen = new Map<string, number>();
  const delivered: Delivered[] = [];
  const requests: Array<{ status: number; tokens: number; notificationId: string | null }> = [];
  let counter = 0;

  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    };
    if (req.method !== "POST") return reply(405, { error: "method" });
    const raw = await readBody(req, 64 * 1024);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw ?? "");
    } catch {
      requests.push({ status: 400, tokens: 0, notificationId: null });
      return reply(400, { error: "json" });
    }
    const wrong = invalid(body, options.appHost ?? null);
    requests.push({ status: wrong ? 400 : 200, tokens: Array.isArray(body.tokens) ? body.tokens.length : 0, notificationId: String(body.notificationId ?? "") });
    if (wrong) return reply(400, { error: wrong });
    switch (mode.kind) {
      case "fail":
        return reply(mode.status, { error: "failing on demand" });
      case "hang":
        return;
      case "huge":
        res.writeHead(200, { "content-type": "application/json" });
        return void res.end(`{"result":{"successfulTokens":[${'"x",'.repeat(200_000)}"x"]}}`);
      case "redirect":
        return void res.writeHead(307, { location: mode.to }).end();
      case "slow":
        await new Promise((r) => setTimeout(r, (mode as { ms: number }).ms));
        break;
    }
    const t = now();
    const result = { successfulTokens: [] as string[], invalidTokens: [] as string[], rateLimitedTokens: [] as string[] };
    for (const token of body.tokens as string[]) {
      const fid = fidOf.get(token);
      if (fid === undefined || invalidTokens.has(token)) {
        result.invalidTokens.push(token);
        continue;
      }
      const key = `${fid}\u0000${body.notificationId}`;
      const before = seen.get(key);
      if (before !== undefined && t - before < DAY) {
        result.successfulTokens.push(token);
        continue;
      }
      const times = (lastAt.get(token) ?? []).filter((at) => t - at < DAY);
      if (rateLimited.has(token) || (times.length && t - times.at(-1)! < 30_000) || times.length >= 100) {
        result.rateLimitedTokens.push(token);
        continue;
      }
      times.push(t);
      lastAt.set(token, times);
      seen.set(key, t);
      delivered.push({ fid, token, notificationId: String(body.notificationId), title: String(body.title), body: String(body.body), targetUrl: String(body.targetUrl), at: t });
      result.successfulTokens.push(token);
    }
    // Newer hosts add keys; senders must ignore what they do not know.
    reply(200, { result: { ...result, failedTokens: [] } });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    /** The URL a client hands out in notificationDetails. */
    url: `http://127.0.0.1:${port}/v1/frame-notifications`,
    /** A new token for a fid, as the client makes when the user enables notifications. */
    issue(fid: number): string {
      const token = `tok-${fid}-${++counter}-${Math.random().toString(36).slice(2, 8)}`;
      fidOf.set(token, fid);
      return token;
    },
    invalidate: (token: string) => void invalidTokens.add(token),
    setRateLimited: (token: string, on: boolean) => void (on ? rateLimited.add(token) : rateLimited.delete(token)),
    setMode: (next: HostMode) => void (mode = next),
    delivered,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type NotificationHost = Awaited<ReturnType<typeof startNotificationHost>>;
