import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { getRequestListener } from "@hono/node-server";
import { Hono } from "hono";
import type { Castcard } from "../castcard";
import { requestLog, writeJsonLine, MAX_LOGGED_PATH, type RequestLogLine, type RequestLogOptions } from "./log";
import { closeGracefully, refuseWhenStopping } from "./shutdown";

export interface OgServiceOptions {
  /** The same instance the Next app builds: one configuration, one handler, every route. */
  castcard: Castcard;
  port: number;
  /** Interface to listen on; all of them when absent. */
  hostname?: string;
  /** Per-request log lines; JSON on stdout by default. */
  log?: RequestLogOptions["write"];
  /** How long shutdown waits for in-flight requests before cutting them off. Default 8 s. */
  shutdownTimeoutMs?: number;
}

export interface OgService {
  url: string;
  server: Server;
  /** Stops accepting, finishes in-flight requests, then resolves. Calling it again returns the same promise. */
  shutdown: () => Promise<{ drained: boolean }>;
  readonly stopping: boolean;
}

/** The Hono app in front of the core: logging, refusal during shutdown, and every Castcard route. */
export function createServiceApp(castcard: Castcard, options: { log?: RequestLogOptions["write"]; stopping: () => boolean }) {
  const app = new Hono<{ Variables: { error?: string } }>();
  app.use(requestLog({ write: options.log }));
  app.use(refuseWhenStopping(options.stopping));
  app.all("*", async (c) => {
    try {
      return await castcard.fetch(c.req.raw);
    } catch (error) {
      // The core answers bad input itself; anything thrown is ours, logged and kept out of the body.
      c.set("error", error instanceof Error ? error.message : String(error));
      return c.text("Internal error", 500, { "cache-control": "no-store" });
    }
  });
  return app;
}

const OG_PATH = "/api/og";

/**
 * Answers a card the handler has already rendered and still holds, straight from node's request
 * and response: no web Request or Response, no router, header lines prepared once per card, the
 * cached bytes written as they are. Returns false for anything else, which goes to the Hono app.
 * It logs the same line the app's request log would.
 */
export function answerCachedCard(
  castcard: Castcard,
  write: (line: RequestLogLine) => void,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    const url = req.url ?? "";
    const method = req.method;
    if ((method !== "GET" && method !== "HEAD") || !url.startsWith(OG_PATH)) return false;
    if (url.length !== OG_PATH.length && url.charCodeAt(OG_PATH.length) !== 63 /* ? */) return false;
    const inm = req.headers["if-none-match"];
    const hit = castcard.og.cachedHit(url.slice(OG_PATH.length + 1), inm === undefined ? null : inm);
    if (!hit) return false;
    const started = performance.now();
    res.writeHead(hit.status, hit.headers as string[]);
    res.end(method === "HEAD" ? undefined : (hit.body ?? undefined));
    write({
      time: new Date().toISOString(),
      method,
      path: OG_PATH.slice(0, MAX_LOGGED_PATH),
      status: hit.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
      cache: hit.info.cache,
      fallback: hit.info.fallbackReason,
    });
    return true;
  };
}

/** Starts the standalone image service and resolves once it is listening. */
export async function startOgService(options: OgServiceOptions): Promise<OgService> {
  let stopping: Promise<{ drained: boolean }> | null = null;
  const app = createServiceApp(options.castcard, { log: options.log, stopping: () => stopping !== null });
  const viaApp = getRequestListener(app.fetch);
  const cachedCard = answerCachedCard(options.castcard, options.log ?? writeJsonLine);
  // During shutdown every request goes through the app, which refuses it.
  const server = createServer((req, res) => {
    if (stopping === null && cachedCard(req, res)) return;
    void viaApp(req, res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.hostname, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { address, port } = server.address() as AddressInfo;
  const host = address.includes(":") ? (address === "::" ? "localhost" : `[${address}]`) : address === "0.0.0.0" ? "localhost" : address;

  return {
    url: `http://${host}:${port}`,
    server,
    shutdown: () => (stopping ??= closeGracefully(server, { timeoutMs: options.shutdownTimeoutMs })),
    get stopping() {
      return stopping !== null;
    },
  };
}
