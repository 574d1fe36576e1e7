import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import zlib from "node:zlib";
import sharp from "sharp";

/**
 * A public address that exists only in these tests: the resolver answers it for test names, and
 * the fetcher's test network shim dials 127.0.0.1 instead. Every production check still applies.
 */
export const FAKE_PUBLIC = "203.0.114.7";
export const TEST_DOMAIN = "castcard.test";

/** A throwaway self-signed certificate for *.castcard.test and FAKE_PUBLIC, made with the openssl CLI. */
export function makeCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), "castcard-cert-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
      "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"), "-days", "2", "-subj", "/CN=castcard test",
      "-addext", `subjectAltName=DNS:*.${TEST_DOMAIN},IP:${FAKE_PUBLIC}`,
    ], { stdio: "ignore" });
    return { key: readFileSync(join(dir, "key.pem"), "utf8"), cert: readFileSync(join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export type Route = (req: IncomingMessage, res: ServerResponse) => void;

export interface SeenRequest {
  path: string;
  host: string | undefined;
  /** TLS SNI, when https. */
  servername: string | null;
}

/** A real server on 127.0.0.1 that counts every TCP connection and records every request. */
export async function startServer(routes: Record<string, Route>, tls?: { key: string; cert: string }) {
  const requests: SeenRequest[] = [];
  let connections = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const servername = (req.socket as TLSSocket).servername;
    requests.push({ path: req.url ?? "", host: req.headers.host, servername: typeof servername === "string" ? servername : null });
    const route = routes[(req.url ?? "").split("?")[0]!];
    if (route) route(req, res);
    else res.writeHead(404, { "content-type": "text/plain" }).end("not found");
  };
  const server: Server = tls ? createHttpsServer(tls, handle) : createHttpServer(handle);
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    requests,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type TestServer = Awaited<ReturnType<typeof startServer>>;

export const send =
  (body: Buffer | string, headers: Record<string, string | number>, status = 200): Route =>
  (_req, res) => {
    res.writeHead(status, headers);
    res.end(body);
  };

export const redirect =
  (location: string, status = 302): Route =>
  (_req, res) => {
    res.writeHead(status, { location, "content-length": 0 });
    res.end();
  };

/** Sends `chunk` every `everyMs` until the client goes away. */
export const trickle =
  (type: string, chunk: Buffer, everyMs: number, first?: Buffer): Route =>
  (req, res) => {
    res.writeHead(200, { "content-type": type });
    if (first) res.write(first);
    const timer = setInterval(() => res.write(chunk), everyMs);
    req.socket.once("close", () => clearInterval(timer));
  };

export const solidPng = (color: string, width = 64, height = width) =>
  sharp({ create: { width, height, channels: 3, background: color } }).png().toBuffer();

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "latin1"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A tiny, well-formed PNG whose header declares width × height (the pixels are not there). */
export function pngDeclaring(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from("\x89PNG\r\n\x1a\n", "latin1"),
    pngChunk("IHDR", ihdr),
    pngChunk("IDAT", zlib.deflateSync(Buffer.alloc(1024))),
    pngChunk("IEND", Buffer.alloc(0)),
  ]);
}

/** A real JPEG with its start-of-frame rewritten to claim width × height. */
export async function jpegDeclaring(width: number, height: number): Promise<Buffer> {
  const jpeg = Buffer.from(await sharp({ create: { width: 16, height: 16, channels: 3, background: "#00ff00" } }).jpeg().toBuffer());
  for (let i = 2; i < jpeg.length - 9; i++) {
    if (jpeg[i] === 0xff && (jpeg[i + 1] === 0xc0 || jpeg[i + 1] === 0xc2)) {
      jpeg.writeUInt16BE(height, i + 5);
      jpeg.writeUInt16BE(width, i + 7);
      return jpeg;
    }
  }
  throw new Error("no SOF marker");
}

/** An animated GIF on a side × side canvas with `frames` one-pixel frames: cheap to send, ruinous to decode whole. */
export function manyFrameGif(frames: number, side = 1000): Buffer {
  const screen = Buffer.alloc(7);
  screen.writeUInt16LE(side, 0);
  screen.writeUInt16LE(side, 2);
  screen.set([0x80, 0, 0], 4); // global colour table of two entries
  const palette = Buffer.from([0x00, 0xff, 0x00, 0x00, 0x00, 0x00]);
  const frame = Buffer.from([
    0x21, 0xf9, 0x04, 0x00, 0x02, 0x00, 0x00, 0x00, // graphic control: 20 ms
    0x2c, 0, 0, 0, 0, 1, 0, 1, 0, 0x00, // 1×1 at the origin
    0x02, 0x02, 0x44, 0x01, 0x00, // LZW: clear, index 0, end
  ]);
  return Buffer.concat([Buffer.from("GIF89a", "latin1"), screen, palette, ...Array<Buffer>(frames).fill(frame), Buffer.from([0x3b])]);
}

/** POST /api/share's limit per fid: a bucket of 20 that refills over a minute (one every 3 s). */
const SHARE_BURST = 20;
const SHARE_REFILL_MS = 60_000 / SHARE_BURST;

/**
 * Mints for one fid until the first refusal (at most 40 requests), and counts how many tokens the
 * bucket could have got back meanwhile: on a slow machine a late request may rightly mint.
 */
export async function burstUntilLimited(send: () => Promise<number>) {
  const started = Date.now();
  const statuses: number[] = [];
  while (statuses.length < 2 * SHARE_BURST && statuses.at(-1) !== 429) statuses.push(await send());
  const refilled = Math.floor((Date.now() - started) / SHARE_REFILL_MS);
  return { statuses, minted: statuses.filter((s) => s === 200).length, allowed: [SHARE_BURST, SHARE_BURST + refilled] as const };
}
