import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createAdaptorServer } from "@hono/node-server";
import { Hono } from "hono";
import type { Castcard } from "../app/index";
import { requestLog, type RequestLogOptions } from "./log";
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

/** Starts the standalone image service and resolves once it is listening. */
export async function startOgService(options: OgServiceOptions): Promise<OgService> {
  let stopping: Promise<{ drained: boolean }> | null = null;
  const app = createServiceApp(options.castcard, { log: options.log, stopping: () => stopping !== null });
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;

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
