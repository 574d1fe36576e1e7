import type { MiddlewareHandler } from "hono";
import { describeOgResponse } from "../../og/index";

/** One line per request: enough to see traffic, cache behaviour and why avatars fell back. */
export interface RequestLogLine {
  time: string;
  method: string;
  /** Without the query: card parameters are user data and can be long. */
  path: string;
  status: number;
  ms: number;
  /** "hit", "miss" or "shared" (joined an identical render in flight); null for non-card answers. */
  cache: string | null;
  /** Why the avatar fell back to initials; null when it did not. */
  fallback: string | null;
  error?: string;
}

export interface RequestLogOptions {
  /** Where lines go; defaults to one JSON object per line on stdout. */
  write?: (line: RequestLogLine) => void;
}

// Lines written in one turn of the event loop leave in one write: under load that is one system
// call for many requests instead of one each. Anything pending is written before the process exits.
let pending = "";
let scheduled = false;
const FLUSH_AT = 64 * 1024;

/** Writes every line still waiting. */
export function flushLog(): void {
  scheduled = false;
  if (!pending) return;
  const out = pending;
  pending = "";
  process.stdout.write(out);
}
process.once("exit", flushLog);

export const writeJsonLine = (line: object) => {
  pending += `${JSON.stringify(line)}\n`;
  if (pending.length >= FLUSH_AT) flushLog();
  else if (!scheduled) {
    scheduled = true;
    setImmediate(flushLog);
  }
};

export const MAX_LOGGED_PATH = 200;

/** Hono middleware: logs every request once its response is known, including errors and refusals. */
export function requestLog(options: RequestLogOptions = {}): MiddlewareHandler<{ Variables: { error?: string } }> {
  const write = options.write ?? writeJsonLine;
  return async (c, next) => {
    const started = performance.now();
    await next();
    const info = describeOgResponse(c.res);
    const line: RequestLogLine = {
      time: new Date().toISOString(),
      method: c.req.method,
      path: c.req.path.slice(0, MAX_LOGGED_PATH),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      cache: info?.cache ?? null,
      fallback: info?.fallbackReason ?? null,
    };
    const error = c.get("error");
    if (error) line.error = error;
    write(line);
  };
}
