import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { pipeline, type Readable } from "node:stream";
import zlib from "node:zlib";
import { blockedRange, hostAllowed, isLocalName, normaliseHost } from "../address/index";

export interface GuardedFetchOptions {
  /** Test-only escape hatch: http, any port and loopback/private addresses allowed. */
  allowPrivate: boolean;
  /** Optional allowlist (AVATAR_HOSTS), checked on every hop. */
  hosts: readonly string[] | null;
  /** One deadline over every lookup, connection, header and body of every hop. */
  timeoutMs: number;
  /** Body cap, counted after decompression. */
  maxBytes: number;
  maxRedirects: number;
  /** Content types accepted, judged on the headers before any body is read. */
  contentTypes: ReadonlySet<string>;
  /** DNS, asked once per hop. Defaults to the system resolver; tests inject their own. */
  resolve?: (hostname: string) => Promise<string[]>;
  /** Ports allowed for https. Production: 443 only; tests add their local servers' ports. */
  ports?: readonly number[];
  /** Extra trusted CA (tests' self-signed certificate). */
  ca?: string | Buffer;
  /**
   * Test-only network shim: the address actually dialled for a checked one (tests map a public
   * address to their server on 127.0.0.1, and throw for anything else). Runs after every check.
   */
  dial?: (target: { address: string; port: number; servername: string }) => string;
  /** Another request than a plain GET (a POST with a body); its headers are added to the fetcher's own. */
  request?: { method: "GET" | "POST"; headers?: Record<string, string>; body?: Uint8Array };
}

export interface Fetched {
  /** The URL that answered, after redirects. */
  url: string;
  contentType: string;
  body: Buffer;
}

/** A refusal or failure; `reason` is for the log only. */
export class FetchRefused extends Error {
  override name = "FetchRefused";
  constructor(readonly reason: string) {
    super(reason);
  }
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const defaultResolve = async (hostname: string) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address);

interface Target {
  url: URL;
  /** Host name or IP literal, without brackets. */
  host: string;
  port: number;
  /** The checked addresses the connection is pinned to, in resolver order. */
  addresses: string[];
  literal: boolean;
}

/**
 * Fetches one URL the way an image proxy must: https on 443 only, every hop's every resolved
 * address checked and the connection pinned to it, redirects re-checked, one deadline, a byte cap
 * after decompression. Throws FetchRefused; never reaches a private address unless allowPrivate.
 */
export async function guardedFetch(raw: string, options: GuardedFetchOptions): Promise<Fetched> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), options.timeoutMs);
  const { signal } = controller;
  try {
    let current = raw;
    for (let hop = 0; ; hop++) {
      const target = await checkTarget(current, options, signal);
      const response = await connect(target, options, signal);
      const status = response.statusCode ?? 0;
      if (REDIRECTS.has(status)) {
        const location = response.headers.location;
        response.destroy();
        if (!location) throw new FetchRefused(`status-${status}`);
        if (hop >= options.maxRedirects) throw new FetchRefused("too-many-redirects");
        current = resolveLocation(location, target.url);
        continue;
      }
      if (status !== 200) {
        response.destroy();
        throw new FetchRefused(`status-${status}`);
      }
      const contentType = (response.headers["content-type"] ?? "").split(";")[0]!.trim().toLowerCase();
      if (!options.contentTypes.has(contentType)) {
        response.destroy();
        throw new FetchRefused("content-type");
      }
      const declared = Number(response.headers["content-length"]);
      if (Number.isFinite(declared) && declared > options.maxBytes) {
        response.destroy();
        throw new FetchRefused("too-large");
      }
      const body = await readBody(response, options.maxBytes, signal);
      return { url: target.url.href, contentType, body };
    }
  } catch (error) {
    if (signal.aborted) throw new FetchRefused("timeout");
    if (error instanceof FetchRefused) throw error;
    throw new FetchRefused("fetch-failed");
  } finally {
    clearTimeout(timer);
  }
}

function resolveLocation(location: string, base: URL): string {
  try {
    return new URL(location, base).href;
  } catch {
    throw new FetchRefused("bad-redirect");
  }
}

/** Every rule that does not need the network, then one lookup whose every answer must be public. */
async function checkTarget(raw: string, options: GuardedFetchOptions, signal: AbortSignal): Promise<Target> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new FetchRefused("bad-url");
  }
  const https = url.protocol === "https:";
  if (!https && !(options.allowPrivate && url.protocol === "http:")) throw new FetchRefused("scheme");
  if (url.username || url.password) throw new FetchRefused("userinfo");
  const port = url.port ? Number(url.port) : https ? 443 : 80;
  if (!options.allowPrivate && !(options.ports ?? [443]).includes(port)) throw new FetchRefused("port");

  const host = normaliseHost(url.hostname);
  if (options.hosts && !hostAllowed(host, options.hosts)) throw new FetchRefused("host-not-allowed");
  const blocked = options.allowPrivate ? () => null : blockedRange;

  const family = isIP(host);
  if (family) {
    // A literal is its own address: no lookup, nothing to pin.
    const range = blocked(host);
    if (range) throw new FetchRefused(`address:${range}`);
    return { url, host, port, addresses: [host], literal: true };
  }
  if (!options.allowPrivate && isLocalName(host)) throw new FetchRefused("local-name");

  let addresses: string[];
  try {
    addresses = await abortable((options.resolve ?? defaultResolve)(host), signal);
  } catch (error) {
    if (signal.aborted) throw error;
    throw new FetchRefused("dns");
  }
  if (addresses.length === 0) throw new FetchRefused("dns");
  for (const address of addresses) {
    const range = blocked(address);
    if (range) throw new FetchRefused(`resolved:${range}`);
  }
  return { url, host, port, addresses, literal: false };
}

function connect(target: Target, options: GuardedFetchOptions, signal: AbortSignal): Promise<http.IncomingMessage> {
  const { url, host, port } = target;
  const dialled = target.addresses.map((address) => {
    const actual = options.dial ? options.dial({ address, port, servername: host }) : address;
    return { address: actual, family: isIP(actual) === 6 ? 6 : 4 };
  });
  const address = dialled[0]!.address;
  // Hands back only the addresses already checked, whatever the name resolves to now: no rebinding
  // window. All of them, so Node's happy eyeballs can fall back from an unreachable IPv6 to IPv4.
  const pinned: LookupFunction = (_hostname, lookupOptions, callback) => {
    if (lookupOptions.all) callback(null, dialled);
    else callback(null, dialled[0]!.address, dialled[0]!.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request({
      host: target.literal ? address : host,
      port,
      path: `${url.pathname}${url.search}`,
      method: options.request?.method ?? "GET",
      headers: {
        host: url.host,
        accept: [...options.contentTypes].join(","),
        "accept-encoding": "gzip, deflate, br",
        "user-agent": "Castcard-avatar/1",
        ...options.request?.headers,
        ...(options.request?.body ? { "content-length": String(options.request.body.byteLength) } : {}),
      },
      // A fresh socket per hop: a pooled one could have been opened for another check.
      agent: false,
      ...(target.literal ? {} : { lookup: pinned, servername: host }),
      ...(options.ca ? { ca: options.ca } : {}),
      maxHeaderSize: 16 * 1024,
      signal,
    });
    request.once("response", resolve);
    // `on`, not `once`: a late second error (abort after a reset) must not go unhandled.
    request.on("error", reject);
    request.end(options.request?.body);
  });
}

/** Reads the body through its decoder, stopping the moment the decoded size passes the cap. */
async function readBody(response: http.IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  let stream: Readable = response;
  if (encoding === "gzip" || encoding === "x-gzip") stream = zlib.createGunzip();
  else if (encoding === "deflate") stream = zlib.createInflate();
  else if (encoding === "br") stream = zlib.createBrotliDecompress();
  else if (encoding !== "identity") {
    response.destroy();
    throw new FetchRefused("content-encoding");
  }
  if (stream !== response) pipeline(response, stream as zlib.Gunzip, () => {});

  const chunks: Buffer[] = [];
  let total = 0;
  // A server that trickles bytes keeps the iterator waiting: the deadline must end the wait itself.
  const onAbort = () => stream.destroy(new FetchRefused("timeout"));
  signal.addEventListener("abort", onAbort, { once: true });
  try {
    for await (const chunk of stream) {
      const buffer = chunk as Buffer;
      total += buffer.byteLength;
      if (total > maxBytes) throw new FetchRefused("too-large");
      chunks.push(buffer);
      if (signal.aborted) break;
    }
  } catch (error) {
    if (error instanceof FetchRefused || signal.aborted) throw error;
    throw new FetchRefused(stream === response ? "body-failed" : "decompress-failed");
  } finally {
    signal.removeEventListener("abort", onAbort);
    stream.destroy();
    response.destroy();
  }
  if (signal.aborted) throw new FetchRefused("timeout");
  return Buffer.concat(chunks);
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(new FetchRefused("timeout"));
    if (signal.aborted) return onAbort();
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener("abort", onAbort));
  });
}
