import type { Server } from "node:http";
import type { MiddlewareHandler } from "hono";

export interface CloseGracefullyOptions {
  /** Requests still running after this long are cut off. Default 8 s: inside the 10 s supervisors wait. */
  timeoutMs?: number;
}

/**
 * Stops accepting connections and resolves once the in-flight requests have finished (drained) or
 * the deadline cut them off. New connections are refused by the closed listener.
 */
export function closeGracefully(server: Server, options: CloseGracefullyOptions = {}): Promise<{ drained: boolean }> {
  const timeoutMs = options.timeoutMs ?? 8000;
  return new Promise((resolve) => {
    let drained = true;
    // Keep-alive sockets become idle once their request is answered: close them then, not later.
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const deadline = setTimeout(() => {
      drained = false;
      server.closeAllConnections();
    }, timeoutMs);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(deadline);
      resolve({ drained });
    });
    server.closeIdleConnections();
  });
}

/**
 * Hono middleware for the window between the signal and the last response: a request that still
 * reaches the app (on a connection busy with an earlier one) gets a short 503, not a half-served answer.
 */
export function refuseWhenStopping(stopping: () => boolean): MiddlewareHandler {
  return async (c, next) => {
    if (!stopping()) return next();
    return c.text("Service is shutting down, retry shortly", 503, {
      "cache-control": "no-store",
      connection: "close",
      "retry-after": "5",
    });
  };
}
