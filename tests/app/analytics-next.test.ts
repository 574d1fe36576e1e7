import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextApp, type RunningApp } from "../support/next-app";

// The analytics routes on the production Next server: the same core handlers as the service.
let app: RunningApp;
let off: RunningApp;
beforeAll(async () => {
  [app, off] = await Promise.all([startNextApp(), startNextApp({ ANALYTICS: "off" })]);
});
afterAll(() => Promise.all([app?.stop(), off?.stop()]));

const post = (base: string, body: string) => fetch(`${base}/api/events`, { method: "POST", headers: { "content-type": "application/json" }, body });

describe("analytics routes on next start", () => {
  it("records a mint and takes its events; refuses bad ones with short answers", async () => {
    const minted = (await (
      await fetch(`${app.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 12, username: "twelve" }) })
    ).json()) as { shareId: string };
    expect(minted.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect((await post(app.url, JSON.stringify({ type: "launch", share: minted.shareId, viewerFid: 13 }))).status).toBe(204);
    const bad = await post(app.url, JSON.stringify({ type: "cast", share: minted.shareId, hash: "nope" }));
    expect(bad.status).toBe(400);
    expect(await bad.text()).toBe("Bad request: hash: expected 0x and 40 hex digits");
    expect((await post(app.url, JSON.stringify({ type: "launch", share: "x".repeat(22) }))).status).toBe(404);
    expect((await post(app.url, "x".repeat(5000))).status).toBe(413);
    expect((await fetch(`${app.url}/api/events`)).status).toBe(405);
  });

  it("hides the stats in production without STATS_TOKEN", async () => {
    expect((await fetch(`${app.url}/api/stats`)).status).toBe(404);
    expect((await fetch(`${app.url}/stats`)).status).toBe(404);
  });

  it("with ANALYTICS=off serves none of the analytics routes and answers no shareId", async () => {
    expect((await post(off.url, JSON.stringify({ type: "launch", share: "x".repeat(22) }))).status).toBe(404);
    expect((await fetch(`${off.url}/api/stats`)).status).toBe(404);
    expect((await fetch(`${off.url}/stats`)).status).toBe(404);
    const minted = (await (
      await fetch(`${off.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 12, username: "twelve" }) })
    ).json()) as Record<string, unknown>;
    expect(Object.keys(minted)).toEqual(["imageUrl", "shareUrl"]);
  });
});
