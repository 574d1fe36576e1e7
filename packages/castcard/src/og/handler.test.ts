import { afterAll, beforeAll, describe, expect, it } from "vitest";
import sharp from "sharp";
import { startAvatarServer, sendBytes, solidPng } from "../../../../tests/support/avatar-server";
import { pngSize } from "../../../../tests/support/png";
import { mintQuery } from "../../../../tests/support/mint";
import { CACHE_FALLBACK, CACHE_IMMUTABLE, createOgHandler } from "./index";

// Local avatar servers are plain http on 127.0.0.1: only reachable through the test-only setting.
const og = createOgHandler({ avatar: { allowPrivate: true, hosts: null } });
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;

beforeAll(async () => {
  const green = await solidPng("#00FF00");
  avatars = await startAvatarServer({
    "/green.png": sendBytes(green, "image/png"),
    "/page.html": sendBytes("<html>not an image</html>", "text/html"),
    "/slow.png": () => {
      // never answers: the fetch deadline must end it
    },
  });
});
afterAll(() => avatars.close());

const get = (query: string) => og(new Request(`http://castcard.test/api/og?${query}`));
const bytes = async (res: Response) => new Uint8Array(await res.arrayBuffer());

/** How many pixels are close to pure green: the test avatar's colour, found nowhere else on a card. */
async function greenPixels(png: Uint8Array) {
  const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) {
    if (data[i]! < 40 && data[i + 1]! > 215 && data[i + 2]! < 40) count++;
  }
  return count;
}

describe("GET /api/og", () => {
  it.each([
    ["a normal user", "username=alice"],
    ["no parameters", ""],
    ["a non-Latin name", `username=${encodeURIComponent("ゆうき")}`],
    ["a very long name", `username=${"w".repeat(300)}`],
  ])("answers a 1200×800 PNG for %s, cacheable for a year", async (_label, query) => {
    const res = await get(query);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe(CACHE_IMMUTABLE);
    expect(pngSize(await bytes(res))).toEqual({ width: 1200, height: 800 });
  });

  it("draws the avatar fetched from the image URL", async () => {
    const res = await get(`username=alice&image=${encodeURIComponent(`${avatars.url}/green.png`)}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe(CACHE_IMMUTABLE);
    expect(res.headers.get("server-timing")).toMatch(/^avatar;dur=[\d.]+, render;dur=[\d.]+$/);
    const png = await bytes(res);
    expect(pngSize(png)).toEqual({ width: 1200, height: 800 });
    // A 240 px circle is ~45,000 pixels; allow for the border and antialiasing.
    expect(await greenPixels(png)).toBeGreaterThan(30_000);
    expect(await greenPixels(await bytes(await get("username=alice")))).toBe(0);
  });

  it("asks the fetcher for the size each design draws the avatar at, and draws it unscaled", async () => {
    const asked: Array<[string, number]> = [];
    const handler = createOgHandler({
      avatar: async (url, size) => {
        asked.push([url, size]);
        return { ok: true, png: await sharp({ create: { width: size, height: size, channels: 3, background: "#00ff00" } }).png().toBuffer() };
      },
    });
    const image = encodeURIComponent("https://a.example/me.png");
    for (const template of ["seed", "split", "poster"]) {
      const res = await handler(new Request(`http://castcard.test/api/og?username=alice&image=${image}&template=${template}`));
      expect(res.status).toBe(200);
      expect(res.headers.get("x-castcard-avatar")).toBe("image");
      expect(await greenPixels(await bytes(res))).toBeGreaterThan(25_000);
    }
    // Seed: 240 px frame, 8 px border; split: 320 px, 6 px border; poster: 220 px, 8 px border.
    expect(asked.map(([, size]) => size)).toEqual([224, 308, 204]);
  });

  it.each([
    ["a 404", "/missing.png"],
    ["an HTML page", "/page.html"],
    ["a server that never answers", "/slow.png"],
  ])("falls back to the initials card, briefly cached, for %s", async (_label, path) => {
    const started = Date.now();
    const res = await get(`username=alice&image=${encodeURIComponent(`${avatars.url}${path}`)}`);
    expect(Date.now() - started).toBeLessThan(4500); // the avatar deadline is 3 s
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe(CACHE_FALLBACK);
    const png = await bytes(res);
    expect(pngSize(png)).toEqual({ width: 1200, height: 800 });
    expect(await greenPixels(png)).toBe(0);
  });

  it("gives different users different images", async () => {
    const [a, b] = await Promise.all([get("username=alice"), get("username=bob")]);
    expect(Buffer.from(await bytes(a)).equals(Buffer.from(await bytes(b)))).toBe(false);
  });

  it("answers a short 400 for a malformed version, and 405 for other methods", async () => {
    const bad = await get("v=%3Cscript%3E");
    expect(bad.status).toBe(400);
    expect(bad.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await bad.text()).not.toContain("<script>");
    const post = await og(new Request("http://castcard.test/api/og", { method: "POST" }));
    expect(post.status).toBe(405);
  });

  it("answers a short no-store 500, not a broken image, when rendering fails", async () => {
    const logged: unknown[] = [];
    // Bytes that claim to be an avatar but cannot be decoded make the renderer reject.
    const broken = createOgHandler({
      avatar: async () => ({ ok: true, png: Buffer.from("definitely not a png") }),
      log: (entry) => logged.push(entry),
    });
    const res = await broken(new Request("http://castcard.test/api/og?username=x&image=https%3A%2F%2Fa.example%2Fa.png"));
    expect(res.status).toBe(500);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(await res.text()).toBe("Could not render the image");
    expect(logged).toContainEqual(expect.objectContaining({ event: "render-failed" }));
  });
});

describe("designs with data, and display names", () => {
  const plain = createOgHandler({ avatar: async () => ({ ok: false, reason: "none" }), cache: { renderBytes: 0 } });
  const card = async (query: string) => {
    const res = await plain(new Request(`http://castcard.test/api/og?${query}`));
    expect(res.status, query).toBe(200);
    return Buffer.from(await res.arrayBuffer()).toString("base64");
  };

  it("draws the score: 4200 and 4201 are different cards", async () => {
    const [a, b] = await Promise.all([card("template=score&username=alice&score=4200"), card("template=score&username=alice&score=4201")]);
    expect(a).not.toBe(b);
  });

  it.each([
    ["score=abc", "score: expected a whole number of at most 13 digits"],
    ["", "score: required, expected a whole number of at most 13 digits"],
  ])("answers template=score&%s with a short no-store 400 naming score", async (extra, message) => {
    const res = await plain(new Request(`http://castcard.test/api/og?template=score&username=alice&${extra}`));
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.text()).toBe(message);
  });

  it("draws the fid on a member card", async () => {
    const [a, b] = await Promise.all([card("template=member&username=alice&fid=1234"), card("template=member&username=alice&fid=1235")]);
    expect(a).not.toBe(b);
  });

  it("changes every built-in design when a display name is given", async () => {
    for (const t of ["seed", "split", "poster", "score&score=1", "member&fid=1"]) {
      const [without, withName] = await Promise.all([card(`template=${t}&username=alice`), card(`template=${t}&username=alice&displayName=Alice%20Smith`)]);
      expect(withName, t).not.toBe(without);
    }
  });

  it("draws every design at the 1200×630 Open Graph size with size=og, and refuses any other size", async () => {
    for (const t of ["seed", "split", "poster", "score&score=4200&label=points&rank=2", "member&fid=1234"]) {
      const res = await plain(new Request(`http://castcard.test/api/og?template=${t}&username=alice&displayName=Alice&size=og`));
      expect(res.status, t).toBe(200);
      expect(pngSize(new Uint8Array(await res.arrayBuffer())), t).toEqual({ width: 1200, height: 630 });
    }
    const huge = await plain(new Request("http://castcard.test/api/og?username=alice&size=huge"));
    expect(huge.status).toBe(400);
    expect(await huge.text()).toBe("size: expected embed or og");
  });

  it("gives byte-identical cards whatever the order of the request's parameters", async () => {
    const a = await card("template=score&username=alice&displayName=Al&score=42&label=points&rank=2");
    const b = await card("rank=2&label=points&score=42&displayName=Al&username=alice&template=score");
    expect(b).toBe(a);
  });
});

describe("cachedHit, the fast path for fronts", () => {
  it("answers only queries the handler has already checked and rendered, with the cached bytes", async () => {
    const handler = createOgHandler({ secrets: ["fast-path-secret"] });
    const query = mintQuery(["fast-path-secret"], { username: "fastpath" });
    const forged = query.replace(/sig=[^&]+/, `sig=${"A".repeat(43)}`);

    expect(handler.cachedHit(query, null)).toBeUndefined();
    expect((await handler(new Request(`http://castcard.test/api/og?${forged}`))).status).toBe(403);
    const miss = await handler(new Request(`http://castcard.test/api/og?${query}`));
    expect(miss.status).toBe(200);
    const png = await bytes(miss);

    // A forged signature is never remembered, even once the real card is cached.
    expect(handler.cachedHit(forged, null)).toBeUndefined();
    const hit = handler.cachedHit(query, null)!;
    expect(hit.status).toBe(200);
    expect(Buffer.from(hit.body!).equals(Buffer.from(png))).toBe(true);
    const headers = Object.fromEntries(Array.from({ length: hit.headers.length / 2 }, (_, i) => [hit.headers[2 * i], hit.headers[2 * i + 1]]));
    expect(headers).toMatchObject({ "content-type": "image/png", "content-length": String(png.byteLength), etag: miss.headers.get("etag"), "x-castcard-cache": "hit" });
    expect(handler.cachedHit(query, miss.headers.get("etag"))).toMatchObject({ status: 304, body: null });
    expect(handler.stats().renderCache).toMatchObject({ hits: 2, notModified: 1 });
  });
});
