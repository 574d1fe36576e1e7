import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mintQuery, type MintQueryInput } from "../support/mint";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { send, solidPng, startServer, type TestServer } from "./support";

// The production server with SHARE_SECRET set and without AVATAR_ALLOW_PRIVATE: what a deployment runs.
let app: RunningApp;
let target: TestServer;
const SECRETS = ["current-key", "previous-key"];

beforeAll(async () => {
  target = await startServer({ "/a.png": send(await solidPng("#00ff00"), { "content-type": "image/png" }) });
  app = await startNextApp({ SHARE_SECRET: SECRETS.join(",") });
});
afterAll(async () => {
  await app?.stop();
  await target?.close();
});

const signedUrl = (path: string, input: MintQueryInput, secrets = SECRETS) => `${app.url}${path}?${mintQuery(secrets, input)}`;

describe("next start with SHARE_SECRET", () => {
  it("refuses unsigned, forged and padded card URLs with a short 403/400", async () => {
    for (const [url, status] of [
      [`${app.url}/api/og?username=alice`, 403],
      [signedUrl("/api/og", { username: "alice" }).replace("alice", "vitalik"), 403],
      [signedUrl("/api/og", { username: "alice" }, ["someone-elses-key"]), 403],
      [`${signedUrl("/api/og", { username: "alice" })}&cb=1`, 400],
      [signedUrl("/share", { username: "alice" }).replace("alice", "vitalik"), 403],
    ] as const) {
      const res = await fetch(url);
      expect(res.status).toBe(status);
      expect((await res.text()).length).toBeLessThan(60);
    }
  });

  it("accepts URLs signed with either key", async () => {
    for (const secrets of [["current-key"], ["previous-key"]]) {
      const res = await fetch(signedUrl("/api/og", { username: "alice" }, secrets));
      expect(res.status).toBe(200);
      expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    }
  });

  it("mints signed URLs at /api/share and never fetches a loopback avatar", async () => {
    const started = performance.now();
    const res = await fetch(`${app.url}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fid: 7, username: "mallory", pfpUrl: `http://127.0.0.1:${target.port}/a.png` }),
    });
    const { imageUrl, shareUrl } = (await res.json()) as { imageUrl: string; shareUrl: string };
    for (const url of [imageUrl, shareUrl]) expect(new URL(url).searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const image = await fetch(imageUrl);
    expect(image.status).toBe(200);
    expect(image.headers.get("x-castcard-avatar")).toBe("fallback");
    expect(image.headers.get("cache-control")).toBe("public, max-age=60");
    expect((await fetch(shareUrl)).status).toBe(200);

    for (const url of [`https://127.0.0.1:${target.port}/a.png`, `https://localhost:${target.port}/a.png`, `https://[::1]:${target.port}/a.png`]) {
      const res = await fetch(signedUrl("/api/og", { username: "mallory", image: url }));
      expect(res.headers.get("x-castcard-avatar")).toBe("fallback");
    }
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(target.connections()).toBe(0);
    // The reason is logged, not sent.
    expect(app.logs()).toMatch(/"event":"avatar-fallback","reason":"scheme"/);
    expect(app.logs()).not.toContain("SHARE_SECRET is not set");
  });
});
