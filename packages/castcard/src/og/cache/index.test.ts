// Long on purpose: the render and avatar caches tested through a real handler and real avatar
// servers (hits, ETags, TTLs, single flight, eviction), sharing their set-up.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startAvatarServer, sendBytes, solidPng, type Route } from "../../../../../tests/support/avatar-server";
import { createCastcard } from "../../fronts/castcard";
import type { AvatarResult } from "../avatar/index";
import { loadConfig } from "../../config/index";
import { DESIGNS } from "../../design/index";
import { CACHE_FALLBACK, CACHE_IMMUTABLE, createOgHandler } from "../index";
import { cacheAvatars, createRenderCache, etagOf, ifNoneMatchHits, type CachedCard } from "./index";

/** A clock the test moves by hand, so TTLs are checked without waiting. */
function manualClock() {
  let t = 1_000;
  return { now: () => t, advance: (ms: number) => void (t += ms) };
}

const card = (bytes: number, fill = 1): CachedCard => {
  const png = Buffer.alloc(bytes, fill);
  return { png, etag: etagOf(png), cacheControl: CACHE_IMMUTABLE, avatar: "initials", timing: "" };
};

describe("render cache", () => {
  it("evicts the least recently used cards to stay under its byte bound", async () => {
    const cache = createRenderCache({ maxBytes: 10_000 });
    for (const key of ["a", "b", "c", "d"]) {
      await cache.load(key, async () => ({ ok: true, card: card(3_000) }));
    }
    const stats = cache.stats();
    expect(stats.bytes).toBeLessThanOrEqual(10_000);
    expect(stats.entries).toBe(3);
    expect(stats.evictions).toBe(1);
    expect(cache.get("a")).toBeUndefined();
    expect(cache.get("d")?.png.byteLength).toBe(3_000);
  });

  it("never stores a card larger than the whole bound, and stores nothing at 0 bytes", async () => {
    const small = createRenderCache({ maxBytes: 1_000 });
    await small.load("big", async () => ({ ok: true, card: card(5_000) }));
    expect(small.get("big")).toBeUndefined();

    const off = createRenderCache({ maxBytes: 0 });
    await off.load("k", async () => ({ ok: true, card: card(10) }));
    expect(off.get("k")).toBeUndefined();
    expect(off.stats().entries).toBe(0);
  });

  it("shares one render between concurrent loads of a key, and stores failures never", async () => {
    const cache = createRenderCache({ maxBytes: 1_000_000 });
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const failing = async () => {
      runs++;
      await gate;
      return { ok: false as const, status: 500, message: "Could not render the image" };
    };
    const loads = Array.from({ length: 5 }, () => cache.load("k", failing));
    release();
    const results = await Promise.all(loads);
    expect(runs).toBe(1);
    expect(results.filter((r) => r.shared)).toHaveLength(4);
    expect(results.every((r) => !r.outcome.ok)).toBe(true);
    expect(cache.get("k")).toBeUndefined();

    // Not remembered: the next load renders again.
    await cache.load("k", failing);
    expect(runs).toBe(2);
  });

  it("lets a render that throws reject every waiter and leaves nothing in flight", async () => {
    const cache = createRenderCache({ maxBytes: 1_000_000 });
    const boom = () => {
      throw new Error("boom");
    };
    const results = await Promise.allSettled([cache.load("k", boom), cache.load("k", boom)]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    const after = await cache.load("k", async () => ({ ok: true, card: card(10) }));
    expect(after.shared).toBe(false);
    expect(cache.get("k")).toBeDefined();
  });

  it("forgets a card given a TTL once it has passed", async () => {
    const clock = manualClock();
    const cache = createRenderCache({ maxBytes: 1_000_000, now: clock.now });
    await cache.load("fallback", async () => ({ ok: true, card: card(10), ttlMs: 30_000 }));
    await cache.load("real", async () => ({ ok: true, card: card(10) }));
    clock.advance(29_000);
    expect(cache.get("fallback")).toBeDefined();
    clock.advance(2_000);
    expect(cache.get("fallback")).toBeUndefined();
    clock.advance(24 * 3600_000);
    expect(cache.get("real")).toBeDefined();
  });

  it("matches If-None-Match lists, weak prefixes and *", () => {
    const etag = etagOf(Buffer.from("png"));
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    expect(ifNoneMatchHits(etag, etag)).toBe(true);
    expect(ifNoneMatchHits(`"other", W/${etag}`, etag)).toBe(true);
    expect(ifNoneMatchHits("*", etag)).toBe(true);
    expect(ifNoneMatchHits(`"other"`, etag)).toBe(false);
    expect(ifNoneMatchHits(null, etag)).toBe(false);
    expect(etagOf(Buffer.from("png2"))).not.toBe(etag);
  });
});

describe("avatar cache", () => {
  const png = Buffer.from("normalised avatar");

  it("fetches a URL once for concurrent callers and reuses it for 10 minutes", async () => {
    const clock = manualClock();
    const calls: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const fetcher = cacheAvatars(
      async (url): Promise<AvatarResult> => {
        calls.push(url);
        await gate;
        return { ok: true, png };
      },
      { now: clock.now },
    );
    const pending = Array.from({ length: 6 }, () => fetcher("https://a.example/1.png", 224));
    release();
    for (const result of await Promise.all(pending)) expect(result).toEqual({ ok: true, png });
    expect(calls).toHaveLength(1);

    clock.advance(9 * 60_000);
    await fetcher("https://a.example/1.png", 224);
    expect(calls).toHaveLength(1);
    await fetcher("https://a.example/2.png", 224);
    expect(calls).toHaveLength(2);

    clock.advance(2 * 60_000);
    await fetcher("https://a.example/1.png", 224);
    expect(calls).toHaveLength(3);
    expect(fetcher.stats()).toMatchObject({ fetches: 3, shared: 5, hits: 1, entries: 2 });
  });

  it("remembers a failure for 30 s only, and turns a throwing fetcher into a failure", async () => {
    const clock = manualClock();
    let calls = 0;
    const fetcher = cacheAvatars(
      async () => {
        calls++;
        if (calls === 1) throw new Error("contract broken");
        return { ok: false, reason: "status-404" };
      },
      { now: clock.now },
    );
    expect(await fetcher("https://dead.example/a.png", 224)).toEqual({ ok: false, reason: "fetch-failed" });
    clock.advance(29_000);
    expect(await fetcher("https://dead.example/a.png", 224)).toEqual({ ok: false, reason: "fetch-failed" });
    expect(calls).toBe(1);
    clock.advance(2_000);
    expect(await fetcher("https://dead.example/a.png", 224)).toEqual({ ok: false, reason: "status-404" });
    expect(calls).toBe(2);
  });

  it("keys by URL and size: each size is fetched and normalised once, and handed its own size", async () => {
    const calls: Array<[string, number]> = [];
    const fetcher = cacheAvatars(async (url, size): Promise<AvatarResult> => {
      calls.push([url, size]);
      return { ok: true, png: Buffer.alloc(size) };
    });
    const a = await fetcher("https://a.example/1.png", 224);
    const b = await fetcher("https://a.example/1.png", 308);
    await fetcher("https://a.example/1.png", 224);
    expect(a.ok && a.png.byteLength).toBe(224);
    expect(b.ok && b.png.byteLength).toBe(308);
    expect(calls).toEqual([["https://a.example/1.png", 224], ["https://a.example/1.png", 308]]);
    expect(fetcher.stats()).toMatchObject({ fetches: 2, hits: 1, entries: 2 });
  });

  it("stays under its byte bound", async () => {
    const fetcher = cacheAvatars(async () => ({ ok: true, png: Buffer.alloc(4_000) }), { maxBytes: 10_000 });
    for (let i = 0; i < 5; i++) await fetcher(`https://a.example/${i}.png`, 224);
    expect(fetcher.stats().entries).toBe(2);
    expect(fetcher.stats().bytes).toBeLessThanOrEqual(10_000);
  });
});

describe("GET /api/og with caches", () => {
  let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
  let slowAvatarRelease: (() => void) | null = null;

  beforeAll(async () => {
    const green = await solidPng("#00FF00");
    const held: Route = (_req, res) => {
      // Answered only when the test says so, so requests are really concurrent.
      const send = () => sendBytes(green, "image/png")(_req, res);
      slowAvatarRelease = send;
    };
    avatars = await startAvatarServer({ "/green.png": sendBytes(green, "image/png"), "/held.png": held });
  });
  afterAll(() => avatars.close());

  const request = (query: string, headers: Record<string, string> = {}) =>
    new Request(`http://castcard.test/api/og?${query}`, { headers });

  it("answers 304 to a matching If-None-Match from memory, without rendering", async () => {
    const og = createOgHandler({ avatar: { allowPrivate: true, hosts: null } });
    await og.ready;
    // The start-up warm-up render goes past the cache: it must not show up as a card or a render.
    expect(og.stats()).toMatchObject({ renderCache: { renders: 0, entries: 0 } });
    const first = await og(request("username=alice"));
    expect(first.status).toBe(200);
    expect(first.headers.get("x-castcard-cache")).toBe("miss");
    const etag = first.headers.get("etag")!;
    // The ETag comes from the card's canonical form: another process (a fresh handler) drawing the
    // same card, asked in another spelling, tags it the same; another card is tagged otherwise.
    const other = createOgHandler({ avatar: { allowPrivate: true, hosts: null }, cache: { renderBytes: 0 } });
    expect((await other(request("v=1&username=%40alice"))).headers.get("etag")).toBe(etag);
    expect((await other(request("username=bob"))).headers.get("etag")).not.toBe(etag);

    const revalidated = await og(request("username=alice", { "if-none-match": etag }));
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers.get("etag")).toBe(etag);
    expect(revalidated.headers.get("cache-control")).toBe(CACHE_IMMUTABLE);
    expect(await revalidated.text()).toBe("");

    const changed = await og(request("username=alice", { "if-none-match": '"stale"' }));
    expect(changed.status).toBe(200);
    expect(changed.headers.get("x-castcard-cache")).toBe("hit");
    expect(changed.headers.get("etag")).toBe(etag);

    expect(og.stats()).toMatchObject({ renderCache: { renders: 1, hits: 2, notModified: 1, entries: 1 } });
  });

  it("changes every ETag when what draws the card changes (brand, subtitle, colour, a design's version, the release), so an old ETag gets the new card", async () => {
    const base = { avatar: { allowPrivate: true, hosts: null }, cache: { renderBytes: 0 } } as const;
    const tagged = async (options: Parameters<typeof createOgHandler>[0], query = "username=alice") => {
      const res = await createOgHandler({ ...base, ...options })(request(query));
      return { etag: res.headers.get("etag")!, png: Buffer.from(await res.arrayBuffer()) };
    };
    const before = await tagged({});
    // The same URL, drawn by the same setup in another process: the same tag.
    expect((await tagged({})).etag).toBe(before.etag);
    const rebrand = await tagged({ brand: "Acme Quest", subtitle: "made an Acme Quest card" });
    const variants = [
      rebrand,
      await tagged({ brand: "Acme Quest" }),
      await tagged({ subtitle: "finished a quest" }),
      await tagged({ accent: "#0B6E4F" }),
      await tagged({ renderVersion: "next-deploy" }),
      await tagged({ designs: [{ ...DESIGNS[0]!, version: "2" }] }),
    ];
    expect(new Set([before.etag, ...variants.map((v) => v.etag)]).size).toBe(variants.length + 1);
    // The re-brand draws different pixels, and a client holding the old tag is sent them: 200, not 304.
    expect(rebrand.png.equals(before.png)).toBe(false);
    const og = createOgHandler({ ...base, brand: "Acme Quest", subtitle: "made an Acme Quest card" });
    const revalidated = await og(request("username=alice", { "if-none-match": before.etag }));
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.get("etag")).toBe(rebrand.etag);
    expect((await og(request("username=alice", { "if-none-match": rebrand.etag }))).status).toBe(304);
    // The URL itself is what it was: the canonical query (and so every signature) does not move.
    expect(og.urls.canonical(og.urls.cardFor({ user: { username: "alice" } }))).toBe("username=alice&v=1");
  });

  it("renders once, and fetches the avatar once, for N concurrent identical requests", async () => {
    const og = createOgHandler({ avatar: { allowPrivate: true, hosts: null } });
    const before = avatars.requests.length;
    const query = `username=bob&image=${encodeURIComponent(`${avatars.url}/held.png`)}`;
    const pending = Array.from({ length: 8 }, () => og(request(query)));
    // Wait until the one avatar request has reached the server, then let it answer.
    while (!slowAvatarRelease) await new Promise((r) => setTimeout(r, 10));
    slowAvatarRelease();
    const responses = await Promise.all(pending);
    const bodies = await Promise.all(responses.map(async (r) => Buffer.from(await r.arrayBuffer())));

    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(responses.filter((r) => r.headers.get("x-castcard-cache") === "miss")).toHaveLength(1);
    expect(responses.filter((r) => r.headers.get("x-castcard-cache") === "shared")).toHaveLength(7);
    expect(new Set(bodies.map((b) => b.toString("base64"))).size).toBe(1);
    expect(responses.every((r) => r.headers.get("x-castcard-avatar") === "image")).toBe(true);
    expect(avatars.requests.length - before).toBe(1);
    expect(og.stats()).toMatchObject({ renderCache: { renders: 1, shared: 7 }, avatarCache: { fetches: 1 } });
  });

  it("does not cache a 500: the next request renders again", async () => {
    // Bytes that claim to be an avatar but cannot be decoded make the renderer reject.
    const og = createOgHandler({ avatar: async () => ({ ok: true, png: Buffer.from("not a png") }) });
    const query = "username=x&image=https%3A%2F%2Fa.example%2Fa.png";
    expect((await og(request(query))).status).toBe(500);
    const again = await og(request(query));
    expect(again.status).toBe(500);
    expect(again.headers.get("etag")).toBeNull();
    expect(og.stats()).toMatchObject({ renderCache: { renders: 2, hits: 0, entries: 0 } });
  });

  it("keeps a fallback card for its short TTL only, then retries the avatar", async () => {
    const clock = manualClock();
    let up = false;
    const green = await solidPng("#00FF00");
    const og = createOgHandler({
      avatar: async () => (up ? { ok: true, png: green } : { ok: false, reason: "status-503" }),
      cache: { now: clock.now },
    });
    const query = "username=carol&image=https%3A%2F%2Fa.example%2Fc.png";
    const down = await og(request(query));
    expect(down.headers.get("cache-control")).toBe(CACHE_FALLBACK);
    up = true;
    clock.advance(20_000);
    expect((await og(request(query))).headers.get("x-castcard-cache")).toBe("hit");
    clock.advance(11_000);
    const recovered = await og(request(query));
    expect(recovered.headers.get("x-castcard-cache")).toBe("miss");
    expect(recovered.headers.get("x-castcard-avatar")).toBe("image");
    expect(recovered.headers.get("cache-control")).toBe(CACHE_IMMUTABLE);
  });

  it("keeps cards under the configured byte bound", async () => {
    const og = createOgHandler({ cache: { renderBytes: 200_000 } });
    for (const name of ["ann", "ben", "cat", "dan", "eve", "fay", "gus", "hal"]) {
      expect((await og(request(`username=${name}`))).status).toBe(200);
    }
    const { renderCache } = og.stats() as { renderCache: { bytes: number; entries: number; evictions: number } };
    expect(renderCache.bytes).toBeLessThanOrEqual(200_000);
    expect(renderCache.evictions).toBeGreaterThan(0);
    expect(renderCache.entries + renderCache.evictions).toBe(8);
    expect((await og(request("username=hal"))).headers.get("x-castcard-cache")).toBe("hit");
    expect((await og(request("username=ann"))).headers.get("x-castcard-cache")).toBe("miss");
  });
});

describe("POST /api/share", () => {
  it("renders the card before answering, so the scrape that follows is a cache hit", async () => {
    const { config } = loadConfig({ APP_URL: "https://castcard.example.com" });
    const app = createCastcard(config);
    const res = await app.share(
      new Request("https://castcard.example.com/api/share", {
        method: "POST",
        body: JSON.stringify({ fid: 7, username: "dora", pfpUrl: null }),
      }),
    );
    expect(res.status).toBe(200);
    const { imageUrl } = (await res.json()) as { imageUrl: string };
    expect(app.og.stats()).toMatchObject({ renderCache: { renders: 1, entries: 1 } });
    const scrape = await app.og(new Request(imageUrl));
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("x-castcard-cache")).toBe("hit");
  });

  it("sizes the render cache from RENDER_CACHE_MB", () => {
    const { config } = loadConfig({ APP_URL: "https://castcard.example.com", RENDER_CACHE_MB: "3" });
    const app = createCastcard(config);
    expect(app.og.stats()).toMatchObject({ renderCache: { maxBytes: 3 * 1024 * 1024 } });
  });
});
