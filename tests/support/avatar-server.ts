import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

/** A real local HTTP server for avatar tests; it records every request it receives. */
export async function startAvatarServer(routes: Record<string, Route>) {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const route = routes[(req.url ?? "").split("?")[0]!];
    if (route) route(req, res);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A solid-colour square PNG: easy to spot in a rendered card. */
export function solidPng(color: string, size = 256): Promise<Buffer> {
  return sharp({ create: { width: size, height: size, channels: 3, background: color } }).png().toBuffer();
}

export const sendBytes =
  (bytes: Buffer | string, type: string, status = 200): Route =>
  (_req, res) => {
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(bytes) });
    res.end(bytes);
  };
