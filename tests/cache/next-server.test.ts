import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextApp, type RunningApp } from "../support/next-app";

// The caches through the real production server: the share and image routes are separate Next
// bundles, so this also proves they share one Castcard instance (and so one render cache).
let app: RunningApp;
beforeAll(async () => {
  app = await startNextApp();
});
afterAll(() => app?.stop());

describe("render cache behind next start", () => {
  it("answers 304 to a matching If-None-Match, from memory", async () => {
    const url = `${app.url}/api/og?username=etag-check`;
    const first = await fetch(url);
    expect(first.status).toBe(200);
    expect(first.headers.get("x-castcard-cache")).toBe("miss");
    await first.arrayBuffer();
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);

    const again = await fetch(url, { headers: { "if-none-match": etag! } });
    expect(again.status).toBe(304);
    expect(again.headers.get("x-castcard-cache")).toBe("hit");
    expect(again.headers.get("etag")).toBe(etag);
    expect((await again.arrayBuffer()).byteLength).toBe(0);
  });

  it("renders at share time, so the scrape that follows is a cache hit", async () => {
    const res = await fetch(`${app.url}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fid: 42, username: "prerendered", pfpUrl: null }),
    });
    expect(res.status).toBe(200);
    const { imageUrl } = (await res.json()) as { imageUrl: string };
    const scrape = await fetch(imageUrl);
    expect(scrape.status).toBe(200);
    expect(scrape.headers.get("x-castcard-cache")).toBe("hit");
  });

  it("renders once for concurrent identical requests", async () => {
    const url = `${app.url}/api/og?username=burst-${Date.now()}`;
    const responses = await Promise.all(Array.from({ length: 8 }, () => fetch(url)));
    const sources = responses.map((r) => r.headers.get("x-castcard-cache"));
    await Promise.all(responses.map((r) => r.arrayBuffer()));
    expect(responses.every((r) => r.status === 200)).toBe(true);
    // Requests that arrive after the render finished are hits; all the others joined the one render.
    expect(sources.filter((s) => s === "miss")).toHaveLength(1);
    expect(sources.every((s) => s === "miss" || s === "shared" || s === "hit")).toBe(true);
  });
});
