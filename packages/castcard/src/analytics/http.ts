import { text } from "../handler/index";

export { text };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

export const unavailable = (what = "the analytics store is not reachable") => text(503, `Service unavailable: ${what}`, { "retry-after": "5" });
