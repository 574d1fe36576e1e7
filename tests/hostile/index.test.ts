// Long on purpose: every hostile input to the image route (URLs, avatars, bodies, names) in one
// table-driven file, so a new case sits beside its kin and shares their servers.
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from "vitest";
import zlib from "node:zlib";
import sharp from "sharp";
import { createAvatarFetcher } from "../../packages/castcard/src/og/avatar/index";
import { createCastcard } from "../../packages/castcard/src/fronts/castcard";
import { loadConfig } from "../../packages/castcard/src/config/index";
import { CACHE_FALLBACK, CACHE_IMMUTABLE, createOgHandler } from "../../packages/castcard/src/og/index";
import { mintQuery, type MintQueryInput } from "../support/mint";
import { pngSize } from "../support/png";
import { startQuickAuthServer } from "../support/quick-auth-server";
import {
  FAKE_PUBLIC, jpegDeclaring, makeCertificate, manyFrameGif, pngDeclaring, redirect, send, solidPng, startServer, trickle,
  type TestServer,
} from "./support";

// The hostile suite: every refusal still answers a card (or a short 4xx), quickly, without touching
// the refused target. Refused targets point at `recorder` (https) and `plainRecorder` (http) on
// 127.0.0.1, which must see zero connections; allowed content comes from `content` by way of a
// name that resolves to FAKE_PUBLIC, which the test network shim dials as 127.0.0.1.

const FAST_MS = 2500; // refused before the network: no hang (the render itself takes a few hundred ms)
const DEADLINE_MS = 4500; // the avatar deadline is 3 s

let content: TestServer;
let recorder: TestServer;
let plainRecorder: TestServer;
let og: ReturnType<typeof createOgHandler>;
let tlsCert: string;
const logs: { event: string; reason?: unknown }[] = [];
const lookups: string[] = [];
/** Dial attempts to anything but 127.0.0.1 or FAKE_PUBLIC: must never happen. */
const strayDials: string[] = [];
const flips = new Map<string, number>();

const C = () => `avatar.castcard.test:${content.port}`;
const R = () => `127.0.0.1:${recorder.port}`;
const RP = () => recorder.port;

/** The test DNS: names under castcard.test, each with its own answer. */
async function resolve(hostname: string): Promise<string[]> {
  lookups.push(hostname);
  const label = hostname.replace(/\.castcard\.test$/, "").replace(/^flip\d*$/, "flip");
  switch (label) {
    case "avatar":
      return [FAKE_PUBLIC];
    case "loop":
      return ["127.0.0.1"];
    case "ten":
      return ["10.0.0.1"];
    case "mixed":
      return [FAKE_PUBLIC, "10.0.0.1"];
    case "mapped":
      return ["::ffff:169.254.169.254"];
    case "six":
      return ["fd00::1"];
    case "flip": {
      // Public on the first question, loopback after: a DNS-rebinding attacker.
      const n = (flips.get(hostname) ?? 0) + 1;
      flips.set(hostname, n);
      return n === 1 ? [FAKE_PUBLIC] : ["127.0.0.1"];
    }
    case "slow":
      return new Promise(() => {});
    default:
      throw Object.assign(new Error("ENOTFOUND"), { code: "ENOTFOUND" });
  }
}

beforeAll(async () => {
  const tls = makeCertificate();
  tlsCert = tls.cert;
  const green = await solidPng("#00ff00");
  const gif = await sharp(green).gif().toBuffer();
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="64" height="64"><image xlink:href="https://127.0.0.1:RP/x.png" width="64" height="64"/></svg>`;
  recorder = await startServer({}, tls);
  plainRecorder = await startServer({});
  const svgBody = svg.replace("RP", String(recorder.port));
  const bomb = zlib.gzipSync(Buffer.concat([green.subarray(0, 64), Buffer.alloc(64 * 1024 * 1024)]), { level: 9 });
  const brBomb = zlib.brotliCompressSync(Buffer.concat([green.subarray(0, 64), Buffer.alloc(64 * 1024 * 1024)]), {
    params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 },
  });
  const contentRoutes = {
    "/ok.png": send(green, { "content-type": "image/png" }),
    "/ok.jpg": send(await sharp(green).jpeg().toBuffer(), { "content-type": "image/jpeg" }),
    "/ok.webp": send(await sharp(green).webp().toBuffer(), { "content-type": "image/webp" }),
    "/ok.avif": send(await sharp(green).avif().toBuffer(), { "content-type": "image/avif" }),
    "/ok.gif": send(gif, { "content-type": "image/gif; charset=binary" }),
    "/gzip.png": send(zlib.gzipSync(green), { "content-type": "image/png", "content-encoding": "gzip" }),
    "/page.html": send("<html>hi</html>", { "content-type": "text/html" }),
    "/external.svg": send(svgBody, { "content-type": "image/svg+xml" }),
    "/svg-as-png": send(svgBody, { "content-type": "image/png" }),
    "/html-as-png": send("<html><script>alert(1)</script></html>", { "content-type": "image/png" }),
    "/gif-as-png": send(gif, { "content-type": "image/png" }),
    "/png-as-jpeg": send(green, { "content-type": "image/jpeg" }),
    "/no-type": (_req: unknown, res: import("node:http").ServerResponse) => res.end(green),
    "/octet": send(green, { "content-type": "application/octet-stream" }),
    "/empty.png": send("", { "content-type": "image/png" }),
    "/truncated.png": send(Buffer.concat([green.subarray(0, 60), Buffer.alloc(200, 7)]), { "content-type": "image/png" }),
    "/500.png": send("oops", { "content-type": "text/plain" }, 500),
    "/silent": () => {},
    "/never-ends": trickle("image/png", Buffer.alloc(512, 1), 50, green.subarray(0, 33)),
    "/drip": trickle("image/png", Buffer.from([0]), 200, green.subarray(0, 8)),
    "/flood": trickle("image/png", Buffer.alloc(256 * 1024, 1), 1, green.subarray(0, 33)),
    "/huge-length": (_req: unknown, res: import("node:http").ServerResponse) => {
      res.writeHead(200, { "content-type": "image/png", "content-length": "10000000000" });
      res.write(green);
    },
    "/gzip-bomb.png": send(bomb, { "content-type": "image/png", "content-encoding": "gzip" }),
    "/br-bomb.png": send(brBomb, { "content-type": "image/png", "content-encoding": "br" }),
    "/compress.png": send(green, { "content-type": "image/png", "content-encoding": "compress" }),
    "/declares-100000.png": send(pngDeclaring(100_000, 100_000), { "content-type": "image/png" }),
    "/wide.png": send(await solidPng("#00ff00", 5000, 8), { "content-type": "image/png" }),
    "/declares-65000.jpg": send(await jpegDeclaring(65_000, 65_000), { "content-type": "image/jpeg" }),
    "/frames.gif": send(manyFrameGif(5000), { "content-type": "image/gif" }),
    "/r1": redirect("/r2"),
    "/r2": redirect("/r3", 301),
    "/r3": redirect("/ok.png", 307),
    "/r0": redirect("/r1", 308),
    "/to-literal": redirect(`https://127.0.0.1:${recorder.port}/x.png`),
    "/to-decimal": redirect(`https://2130706433:${recorder.port}/x.png`),
    "/to-mapped-v6": redirect(`https://[::ffff:127.0.0.1]:${recorder.port}/x.png`),
    "/to-http": redirect(`http://avatar.castcard.test:${plainRecorder.port}/x.png`),
    "/to-localhost": redirect(`https://localhost:${recorder.port}/x.png`),
    "/to-metadata": redirect("http://169.254.169.254/latest/meta-data/"),
    "/to-loop-name": redirect(`https://loop.castcard.test:${recorder.port}/x.png`),
    "/to-userinfo": redirect(`https://user:pw@avatar.castcard.test:${recorder.port}/ok.png`),
    "/to-port": redirect("https://avatar.castcard.test:8443/ok.png"),
    "/to-file": redirect("file:///etc/passwd"),
    "/no-location": (_req: unknown, res: import("node:http").ServerResponse) => res.writeHead(302).end(),
    "/self": redirect("/ok.png"),
  };
  content = await startServer(contentRoutes, tls);

  const fetcher = createAvatarFetcher(
    { allowPrivate: false, hosts: null },
    {
      resolve,
      ca: tls.cert,
      ports: [443, content.port, recorder.port, plainRecorder.port],
      dial: ({ address }) => {
        if (address === FAKE_PUBLIC || address === "127.0.0.1") return "127.0.0.1";
        strayDials.push(address);
        throw new Error("test network: unreachable");
      },
    },
  );
  // Caches off: every case goes to the network.
  og = createOgHandler({ avatar: fetcher, cache: { renderBytes: 0, avatar: { maxBytes: 0 } }, log: (e) => logs.push(e) });
  await og.ready;
}, 60_000);

afterAll(async () => {
  await Promise.all([content?.close(), recorder?.close(), plainRecorder?.close()]);
});

interface Case {
  name: string;
  image: () => string;
  /** "fallback": initials card, max-age=60; "image": the avatar was drawn. */
  expect: "fallback" | "image";
  /** The logged reason (fallback cases). */
  reason?: RegExp;
  maxMs?: number;
  /** Exact DNS questions asked, when it matters. */
  lookups?: string[];
}

const refused = (name: string, image: () => string, reason: RegExp, more: Partial<Case> = {}): Case => ({
  name, image, expect: "fallback", reason, ...more,
});

const cases: Case[] = [
  // IP literals in every spelling WHATWG URL accepts: checked directly, no lookup
  refused("loopback 127.0.0.1", () => `https://${R()}/x.png`, /^address:127/, { lookups: [] }),
  refused("decimal 2130706433", () => `https://2130706433:${RP()}/x.png`, /^address:127/, { lookups: [] }),
  refused("hex 0x7f000001", () => `https://0x7f000001:${RP()}/x.png`, /^address:127/),
  refused("octal 0177.0.0.1", () => `https://0177.0.0.1:${RP()}/x.png`, /^address:127/),
  refused("short 127.1", () => `https://127.1:${RP()}/x.png`, /^address:127/),
  refused("mixed 0x7f.1", () => `https://0x7f.1:${RP()}/x.png`, /^address:127/),
  refused("dotted hex 0x7f.0x0.0x0.0x1", () => `https://0x7f.0x0.0x0.0x1:${RP()}/x.png`, /^address:127/),
  refused("long octal 017700000001", () => `https://017700000001:${RP()}/x.png`, /^address:127/),
  refused("full-width digits ①②⑦.⓪.⓪.①", () => `https://①②⑦.⓪.⓪.①:${RP()}/x.png`, /^address:127/),
  refused("trailing dot 127.0.0.1.", () => `https://127.0.0.1.:${RP()}/x.png`, /^address:127/),
  refused("0 (0.0.0.0 reaches loopback on Linux)", () => `https://0:${RP()}/x.png`, /^address:0\.0/),
  refused("cloud metadata 169.254.169.254", () => "https://169.254.169.254/latest/meta-data/", /^address:169\.254/),
  refused("10/8", () => "https://10.0.0.1/a.png", /^address:10\./),
  refused("172.16/12", () => "https://172.16.5.4/a.png", /^address:172\.16/),
  refused("192.168/16", () => "https://192.168.1.1/a.png", /^address:192\.168/),
  refused("100.64/10 (CGNAT)", () => "https://100.64.0.1/a.png", /^address:100\.64/),
  refused("198.18/15 (benchmarking)", () => "https://198.18.0.1/a.png", /^address:198\.18/),
  refused("multicast 224.0.0.1", () => "https://224.0.0.1/a.png", /^address:224/),
  refused("broadcast 255.255.255.255", () => "https://255.255.255.255/a.png", /^address:(255|240)/),
  refused("IPv6 loopback [::1]", () => `https://[::1]:${RP()}/x.png`, /^address:/),
  refused("IPv6 unspecified [::]", () => `https://[::]:${RP()}/x.png`, /^address:/),
  refused("IPv4-mapped [::ffff:127.0.0.1]", () => `https://[::ffff:127.0.0.1]:${RP()}/x.png`, /^address:embedded:127/),
  refused("IPv4-compatible [::127.0.0.1]", () => `https://[::127.0.0.1]:${RP()}/x.png`, /^address:embedded:127/),
  refused("NAT64 [64:ff9b::127.0.0.1]", () => `https://[64:ff9b::127.0.0.1]:${RP()}/x.png`, /^address:embedded:127/),
  refused("NAT64 metadata [64:ff9b::a9fe:a9fe]", () => "https://[64:ff9b::a9fe:a9fe]/x.png", /^address:embedded:169/),
  refused("local NAT64 [64:ff9b:1::808:808]", () => "https://[64:ff9b:1::808:808]/x.png", /^address:/),
  refused("6to4 [2002:7f00:1::]", () => `https://[2002:7f00:1::]:${RP()}/x.png`, /^address:6to4:127/),
  refused("Teredo client 127.0.0.1", () => "https://[2001:0:4136:e378:8000:63bf:80ff:fffe]/x.png", /^address:teredo:127/),
  refused("link-local [fe80::1]", () => "https://[fe80::1]/x.png", /^address:/),
  refused("unique local [fc00::1]", () => "https://[fc00::1]/x.png", /^address:/),
  refused("site-local [fec0::1]", () => "https://[fec0::1]/x.png", /^address:/),
  refused("multicast [ff02::1]", () => "https://[ff02::1]/x.png", /^address:/),
  refused("documentation [2001:db8::1]", () => "https://[2001:db8::1]/x.png", /^address:2001:db8/),
  refused("discard [100::1]", () => "https://[100::1]/x.png", /^address:/),

  // Names: local ones refused before any lookup; others refused when any answer is private
  refused("localhost", () => `https://localhost:${RP()}/x.png`, /^local-name$/, { lookups: [] }),
  refused("LOCALHOST. (case, trailing dot)", () => `https://LOCALHOST.:${RP()}/x.png`, /^local-name$/, { lookups: [] }),
  refused("*.localhost", () => `https://app.localhost:${RP()}/x.png`, /^local-name$/, { lookups: [] }),
  refused("*.local", () => `https://printer.local:${RP()}/x.png`, /^local-name$/, { lookups: [] }),
  refused("*.internal (GCP metadata)", () => "https://metadata.google.internal/computeMetadata/v1/", /^local-name$/, { lookups: [] }),
  refused("*.home.arpa", () => `https://nas.home.arpa:${RP()}/x.png`, /^local-name$/, { lookups: [] }),
  refused("a name resolving to 127.0.0.1", () => `https://loop.castcard.test:${RP()}/x.png`, /^resolved:127/, { lookups: ["loop.castcard.test"] }),
  refused("a name resolving to 10.0.0.1", () => `https://ten.castcard.test:${RP()}/x.png`, /^resolved:10\./),
  refused("a name resolving to public and private", () => `https://mixed.castcard.test:${RP()}/x.png`, /^resolved:10\./),
  refused("a name resolving to ::ffff:169.254.169.254", () => `https://mapped.castcard.test:${RP()}/x.png`, /^resolved:embedded:169/),
  refused("a name resolving to fd00::1", () => `https://six.castcard.test:${RP()}/x.png`, /^resolved:/),
  refused("a name that does not resolve", () => `https://nx.castcard.test:${RP()}/x.png`, /^dns$/),
  refused("a resolver that never answers", () => `https://slow.castcard.test:${RP()}/x.png`, /^timeout$/, { maxMs: DEADLINE_MS }),

  // Scheme and port games
  refused("http", () => `http://avatar.castcard.test:${plainRecorder.port}/x.png`, /^scheme$/, { lookups: [] }),
  refused("ftp", () => `ftp://${R()}/x.png`, /^invalid-url$/),
  refused("file", () => "file:///etc/passwd", /^invalid-url$/),
  refused("data", () => "data:image/png;base64,iVBORw0KGgo=", /^invalid-url$/),
  refused("javascript", () => "javascript:alert(1)", /^invalid-url$/),
  refused("a port other than 443", () => "https://avatar.castcard.test:8443/ok.png", /^port$/, { lookups: [] }),
  refused("https on port 80", () => "https://avatar.castcard.test:80/ok.png", /^port$/),

  // Parser confusion: the host checked is the host fetched
  refused("backslash-at", () => `https://${C()}\\@${R()}/x.png`, /^status-404$/),
  refused("hash-at", () => `https://${C()}#@${R()}/x.png`, /^status-404$/),
  refused("userinfo", () => `https://user:pass@${C()}/ok.png`, /^userinfo$/),
  refused("encoded-slash userinfo", () => `https://avatar.castcard.test%2F@${R()}/x.png`, /^userinfo$/),
  refused("port-as-password", () => `https://${C()}@${R()}/x.png`, /^userinfo$/),
  refused("literal before backslash-at", () => `https://${R()}\\@avatar.castcard.test/x.png`, /^address:127/),

  // DNS rebinding: one question per hop, the connection pinned to the checked answer
  { name: "public-then-private resolver: pinned to the first answer", image: () => `https://flip1.castcard.test:${content.port}/ok.png`, expect: "image", lookups: ["flip1.castcard.test"] },
  refused("public-then-private across a redirect", () => `https://flip2.castcard.test:${content.port}/self`, /^resolved:127/, {
    lookups: ["flip2.castcard.test", "flip2.castcard.test"],
  }),

  // Redirects: at most 3, each target checked again
  { name: "3 redirects", image: () => `https://${C()}/r1`, expect: "image" },
  refused("4 redirects", () => `https://${C()}/r0`, /^too-many-redirects$/),
  refused("redirect to a loopback literal", () => `https://${C()}/to-literal`, /^address:127/),
  refused("redirect to a decimal loopback", () => `https://${C()}/to-decimal`, /^address:127/),
  refused("redirect to an IPv4-mapped literal", () => `https://${C()}/to-mapped-v6`, /^address:embedded:127/),
  refused("redirect down to http", () => `https://${C()}/to-http`, /^scheme$/),
  refused("redirect to localhost", () => `https://${C()}/to-localhost`, /^local-name$/),
  refused("redirect to cloud metadata", () => `https://${C()}/to-metadata`, /^scheme$/),
  refused("redirect to a name resolving to loopback", () => `https://${C()}/to-loop-name`, /^resolved:127/),
  refused("redirect with userinfo", () => `https://${C()}/to-userinfo`, /^userinfo$/),
  refused("redirect to another port", () => `https://${C()}/to-port`, /^port$/),
  refused("redirect to file:", () => `https://${C()}/to-file`, /^scheme$/),
  refused("redirect without Location", () => `https://${C()}/no-location`, /^status-302$/),

  // Content: types, magic bytes, sizes, time
  { name: "a PNG", image: () => `https://${C()}/ok.png`, expect: "image" },
  { name: "a JPEG", image: () => `https://${C()}/ok.jpg`, expect: "image" },
  { name: "a WebP", image: () => `https://${C()}/ok.webp`, expect: "image" },
  { name: "an AVIF", image: () => `https://${C()}/ok.avif`, expect: "image" },
  { name: "a GIF with a content-type parameter", image: () => `https://${C()}/ok.gif`, expect: "image" },
  { name: "a gzip-encoded PNG", image: () => `https://${C()}/gzip.png`, expect: "image" },
  { name: "an animated GIF of 5000 frames on a 1000×1000 canvas: first frame only", image: () => `https://${C()}/frames.gif`, expect: "image" },
  refused("text/html", () => `https://${C()}/page.html`, /^content-type$/),
  refused("SVG with an external reference", () => `https://${C()}/external.svg`, /^content-type$/),
  refused("SVG sent as image/png", () => `https://${C()}/svg-as-png`, /^magic-bytes$/),
  refused("HTML sent as image/png", () => `https://${C()}/html-as-png`, /^magic-bytes$/),
  refused("GIF sent as image/png", () => `https://${C()}/gif-as-png`, /^type-mismatch$/),
  refused("PNG sent as image/jpeg", () => `https://${C()}/png-as-jpeg`, /^type-mismatch$/),
  refused("no content type", () => `https://${C()}/no-type`, /^content-type$/),
  refused("application/octet-stream", () => `https://${C()}/octet`, /^content-type$/),
  refused("an empty body", () => `https://${C()}/empty.png`, /^magic-bytes$/),
  refused("a truncated PNG", () => `https://${C()}/truncated.png`, /^decode$/),
  refused("a 500", () => `https://${C()}/500.png`, /^status-500$/),
  refused("a server that never answers", () => `https://${C()}/silent`, /^timeout$/, { maxMs: DEADLINE_MS }),
  refused("a body that never ends", () => `https://${C()}/never-ends`, /^timeout$/, { maxMs: DEADLINE_MS }),
  refused("one byte every 200 ms", () => `https://${C()}/drip`, /^timeout$/, { maxMs: DEADLINE_MS }),
  refused("an endless fast body", () => `https://${C()}/flood`, /^too-large$/),
  refused("Content-Length of 10 GB", () => `https://${C()}/huge-length`, /^too-large$/),
  refused("a gzip bomb (64 MB of zeros)", () => `https://${C()}/gzip-bomb.png`, /^too-large$/),
  refused("a brotli bomb (64 MB of zeros)", () => `https://${C()}/br-bomb.png`, /^too-large$/),
  refused("an unknown content encoding", () => `https://${C()}/compress.png`, /^content-encoding$/),
  refused("a PNG declaring 100000×100000", () => `https://${C()}/declares-100000.png`, /^dimensions$/),
  refused("a PNG 5000 px wide", () => `https://${C()}/wide.png`, /^dimensions$/),
  refused("a JPEG declaring 65000×65000", () => `https://${C()}/declares-65000.jpg`, /^dimensions$/),
];

const get = (query: string) => og(new Request(`https://castcard.example/api/og?${query}`));

describe("hostile avatar URLs", () => {
  it("has at least 40 cases", () => expect(cases.length).toBeGreaterThanOrEqual(40));

  it.each(cases.map((c) => [c.name, c] as const))("%s", async (_name, c) => {
    logs.length = 0;
    lookups.length = 0;
    strayDials.length = 0;
    const before = { recorder: recorder.connections(), plain: plainRecorder.connections() };
    const started = performance.now();
    const res = await get(`username=alice&image=${encodeURIComponent(c.image())}`);
    const body = new Uint8Array(await res.arrayBuffer());
    const took = performance.now() - started;

    expect(res.status).toBe(200);
    expect(pngSize(body)).toEqual({ width: 1200, height: 800 });
    expect(res.headers.get("x-castcard-avatar")).toBe(c.expect);
    expect(res.headers.get("cache-control")).toBe(c.expect === "fallback" ? CACHE_FALLBACK : CACHE_IMMUTABLE);
    expect(took).toBeLessThan(c.maxMs ?? FAST_MS);
    const fallback = logs.find((e) => e.event === "avatar-fallback");
    if (c.reason) {
      expect(String(fallback?.reason)).toMatch(c.reason);
      // The reason is for the log only.
      expect([...res.headers.values()].join("\n")).not.toContain(String(fallback?.reason));
    } else {
      expect(fallback).toBeUndefined();
    }
    if (c.lookups) expect(lookups).toEqual(c.lookups);
    expect(recorder.connections() - before.recorder).toBe(0);
    expect(plainRecorder.connections() - before.plain).toBe(0);
    expect(strayDials).toEqual([]);
  });

  it("sent SNI and Host for the name, over the pinned connection", () => {
    expect(content.requests.length).toBeGreaterThan(20);
    for (const seen of content.requests) expect(seen.host).toBe(`${seen.servername}:${content.port}`);
    expect(content.requests.some((r) => r.servername === "avatar.castcard.test")).toBe(true);
    expect(recorder.connections()).toBe(0);
    expect(plainRecorder.connections()).toBe(0);
  });
});

describe("hostile names", () => {
  it.each([
    ["a 100 kB username", "a".repeat(100_000)],
    ["a 100 kB username of combining marks", "\u0301".repeat(100_000)],
    ["a right-to-left override", "alice\u202Ednes HTE"],
    ["control characters", "al\u0000i\u001bce\u0085"],
    ["zalgo", "Z" + "\u0336\u0301\u0315".repeat(300)],
    ["only bidi controls", "\u202E\u2066\u200F"],
    ["percent-encoded newlines and HTML", "<script>\r\nalert(1)</script>"],
  ])("draws a card for %s, quickly", async (_label, username) => {
    const started = performance.now();
    const res = await get(new URLSearchParams({ username }).toString());
    const body = new Uint8Array(await res.arrayBuffer());
    expect(performance.now() - started).toBeLessThan(FAST_MS);
    expect(res.status).toBe(200);
    expect(res.headers.get("x-castcard-avatar")).toBe("initials");
    expect(res.headers.get("cache-control")).toBe(CACHE_IMMUTABLE);
    expect(pngSize(body)).toEqual({ width: 1200, height: 800 });
  });
});

describe("signed URLs", () => {
  const SECRETS = ["new-key", "old-key"];
  let signed: ReturnType<typeof createOgHandler>;
  let target: TestServer;
  const mint = (secrets: string[], input: MintQueryInput) => mintQuery(secrets, input);
  const alice = () => ({ username: "alice", image: `http://127.0.0.1:${target.port}/a.png` });

  beforeAll(async () => {
    target = await startServer({ "/a.png": send(await solidPng("#00ff00"), { "content-type": "image/png" }) });
    // A fetcher that may reach the local target: only the signature stands between a request and it.
    signed = createOgHandler({
      secrets: SECRETS,
      avatar: { allowPrivate: true, hosts: null },
      cache: { renderBytes: 0, avatar: { maxBytes: 0 } },
    });
    await signed.ready;
  });
  afterAll(() => target?.close());

  const call = async (query: string) => {
    const before = target.connections();
    const started = performance.now();
    const res = await signed(new Request(`https://castcard.example/api/og?${query}`));
    return { res, took: performance.now() - started, connections: target.connections() - before, body: await res.text() };
  };

  it("draws a URL signed with the first key, and with a second key still listed (rotation)", async () => {
    for (const query of [mint(["new-key"], alice()), mint(["old-key"], alice())]) {
      const { res, took, connections } = await call(query);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-castcard-avatar")).toBe("image");
      expect(connections).toBe(1);
      expect(took).toBeLessThan(FAST_MS);
    }
  });

  it.each<[string, () => string, number]>([
    ["no sig", () => mint([], alice()), 403],
    ["an empty sig", () => `${mint([], alice())}&sig=`, 403],
    ["a made-up sig", () => `${mint([], alice())}&sig=${"A".repeat(43)}`, 403],
    ["a truncated sig", () => mint(SECRETS, alice()).slice(0, -1), 403],
    ["a sig from a retired key", () => mint(["retired-key"], alice()), 403],
    ["alice's sig replayed for bob", () => mint(SECRETS, alice()).replace("username=alice", "username=bob"), 403],
    ["alice's sig with another image", () => mint(SECRETS, alice()).replace("a.png", "b.png"), 403],
    ["alice's sig with another template", () => `${mint(SECRETS, alice())}&template=split`, 403],
    ["alice's sig with a version bump", () => mint(SECRETS, alice()).replace("v=1", "v=2"), 403],
    ["alice's sig with an unusable image added", () => mint(SECRETS, { username: "alice" }).replace("&v=1", "&image=ftp%3A%2F%2Fx&v=1"), 403],
    ["alice's sig with an unknown parameter", () => `${mint(SECRETS, alice())}&utm_source=x`, 400],
    ["alice's sig with username repeated", () => `${mint(SECRETS, alice())}&username=bob`, 400],
  ])("refuses %s before any fetch or render", async (_label, query, status) => {
    const { res, took, connections, body } = await call(query());
    expect(res.status).toBe(status);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(body.length).toBeLessThan(60);
    expect(connections).toBe(0);
    expect(took).toBeLessThan(500); // nothing rendered
  });

  it("guards the share page too, and mints signed image and share URLs", async () => {
    const auth = await startQuickAuthServer();
    onTestFinished(() => auth.close());
    const { config } = loadConfig({ SHARE_SECRET: SECRETS.join(","), APP_URL: "https://castcard.example", AVATAR_ALLOW_PRIVATE: "1", QUICK_AUTH_ORIGIN: auth.url });
    const app = createCastcard(config);
    const query = mint(SECRETS, alice());
    expect((await app.sharePage(new Request(`https://castcard.example/share?${query}`))).status).toBe(200);
    const forged = await app.sharePage(new Request(`https://castcard.example/share?${query.replace("alice", "vitalik")}`));
    expect(forged.status).toBe(403);
    expect(await forged.text()).toBe("Forbidden: invalid signature");

    const minted = await app.share(
      new Request("https://castcard.example/api/share", {
        method: "POST",
        headers: { authorization: `Bearer ${await auth.token({ fid: 1, domain: "castcard.example" })}` },
        body: JSON.stringify({ fid: 1, username: "alice", pfpUrl: null }),
      }),
    );
    const urls = (await minted.json()) as { imageUrl: string; shareUrl: string };
    for (const url of [urls.imageUrl, urls.shareUrl]) expect(new URL(url).searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await app.og(new Request(urls.imageUrl))).status).toBe(200);
    expect((await app.og(new Request(urls.imageUrl.replace("alice", "bob")))).status).toBe(403);
  });
});

describe("load shedding", () => {
  it("answers 503 with Retry-After past the queue, while a cached card is still served at once", async () => {
    const shed = createOgHandler({
      avatar: createAvatarFetcher(
        { allowPrivate: false, hosts: null },
        { resolve, ca: tlsCert, ports: [content.port], dial: () => "127.0.0.1" },
      ),
      limits: { avatarFetches: { concurrency: 1, queue: 1 } },
      cache: { avatar: { maxBytes: 0 } },
    });
    await shed.ready;
    const call = (query: string) => shed(new Request(`https://castcard.example/api/og?${query}`));
    expect((await call("username=cached")).status).toBe(200);

    // Four different cards behind one avatar that never answers: one fetching, one queued, two shed.
    const slow = encodeURIComponent(`https://avatar.castcard.test:${content.port}/silent`);
    const flood = [1, 2, 3, 4].map((n) => call(`username=flood${n}&image=${slow}`));
    // The hit below must meet the flood in place: wait until the limiter has shed its overflow.
    await vi.waitFor(() => expect(shed.stats()).toMatchObject({ limits: { avatarFetches: { shed: 2 } } }), { timeout: 10_000 });
    const started = performance.now();
    const hit = await call("username=cached");
    expect(hit.status).toBe(200);
    expect(hit.headers.get("x-castcard-cache")).toBe("hit");
    expect(performance.now() - started).toBeLessThan(500);

    const answers = await Promise.all(flood);
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses).toEqual([200, 200, 503, 503]);
    for (const res of answers.filter((r) => r.status === 503)) {
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect((await res.text()).length).toBeLessThan(40);
    }
    expect(shed.stats()).toMatchObject({ limits: { avatarFetches: { shed: 2, running: 0, queued: 0 } } });
  }, 15_000);
});
