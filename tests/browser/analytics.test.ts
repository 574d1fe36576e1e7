import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../packages/castcard/src/analytics/index";
import { startHubServer, type HubServer } from "../support/hub-server";
import { startNextApp, type RunningApp } from "../support/next-app";
import { startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";
import { PUBLISHED_HASH } from "./host/protocol";
import { launchChromium, openInHost, saveScreenshot, startHostServer } from "./support";

// What a share brings, end to end in real Chromium inside the test client: one user mints and
// casts (signed in), a second user opens the app from that cast's embed (context.location says
// cast_embed), and /stats shows the share, its cast and the launch it brought.
const SOON = { timeout: 15_000 };
const SHARER = 7;
const VIEWER = 21;
const TOKEN = "browser-test-stats-token-0123456789";

let app: RunningApp;
let host: Awaited<ReturnType<typeof startHostServer>>;
let auth: QuickAuthServer;
let hub: HubServer;
let browser: Browser;
let dataDir: string;
const contexts: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "castcard-browser-data-"));
  [host, auth, browser, hub] = await Promise.all([startHostServer(), startQuickAuthServer(), launchChromium(), startHubServer({ [SHARER]: { username: "seven", displayName: "Seven" } })]);
  app = await startNextApp({ SHARE_SECRET: "browser-analytics-secret", QUICK_AUTH_ORIGIN: auth.url, HUB_URL: hub.url, DATA_DIR: dataDir, STATS_TOKEN: TOKEN });
});

afterAll(async () => {
  await Promise.all(contexts.map((close) => close().catch(() => undefined)));
  await browser?.close();
  await Promise.all([app?.stop(), host?.close(), auth?.close(), hub?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

const stats = async () => {
  const res = await fetch(`${app.url}/api/stats?days=7`, { headers: { authorization: `Bearer ${TOKEN}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as { totals: Record<string, number>; top: Array<Record<string, unknown>> };
};

describe("a share's whole path, in a Farcaster host", () => {
  it("mint, cast, a second user launching from the cast embed, then /stats shows it", async () => {
    // 1. The sharer signs in, mints and casts; the app reports the cast with its hash.
    const sharer = await openInHost(browser, host.url, { appUrl: `${app.url}/`, user: { fid: SHARER, username: "seven" }, compose: "publish", signIn: { fid: SHARER } });
    contexts.push(sharer.close);
    const button = sharer.app.getByTestId("share");
    await expect.poll(() => button.isEnabled(), SOON).toBe(true);
    await button.click();
    await expect.poll(() => sharer.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    await expect.poll(async () => (await stats()).totals.casts, SOON).toBe(1);

    // 2. The cast embeds the share page, whose launch button opens APP_URL/?share=<id> (both dialects).
    const [compose] = await sharer.calls("composeCast");
    const shareUrl = (compose!.args[0] as { embeds: string[] }).embeds[0]!;
    const page = await (await fetch(shareUrl)).text();
    const embeds = ["fc:miniapp", "fc:frame"].map((name) => {
      const content = page.match(new RegExp(`<meta name="${name}" content="([^"]*)"`))![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&");
      return JSON.parse(content) as { button: { action: { url: string } } };
    });
    const launchUrl = embeds[0]!.button.action.url;
    expect(launchUrl).toMatch(new RegExp(`^${app.url.replace(/[.]/g, "\\.")}/\\?share=[A-Za-z0-9_-]{22}$`));
    expect(embeds[1]!.button.action.url).toBe(launchUrl);
    const shareId = new URL(launchUrl).searchParams.get("share")!;

    // 3. Another user taps the button on the cast: the client opens that URL, and tells the app it
    // came from a cast embed (the cast's hash and author).
    const location = { type: "cast_embed", embed: shareUrl, cast: { author: { fid: SHARER, username: "seven" }, hash: PUBLISHED_HASH, text: "I made my Castcard", embeds: [shareUrl] } };
    const viewer = await openInHost(browser, host.url, { appUrl: launchUrl, user: { fid: VIEWER, username: "twentyone" }, compose: "publish", location });
    contexts.push(viewer.close);
    await expect.poll(() => viewer.calls("ready"), SOON).toHaveLength(1);
    await expect.poll(async () => (await stats()).totals.launches, SOON).toBe(1);

    const after = await stats();
    expect(after.totals).toEqual({ shares: 1, casts: 1, cancels: 0, launches: 1, viewers: 1 });
    expect(after.top).toEqual([{ share: shareId, fid: SHARER, design: "seed", castHash: PUBLISHED_HASH, launches: 1, viewers: 1 }]);
    // The launch carries what the client said about the cast; no names, no addresses.
    const store = openStore({ kind: "sqlite", file: join(dataDir, "castcard.sqlite") });
    try {
      expect(await store.db.selectFrom("castcard_launches").selectAll().execute()).toEqual([
        { share_id: shareId, at: expect.any(Number), day: expect.any(Number), viewer_fid: VIEWER, cast_hash: PUBLISHED_HASH, cast_fid: SHARER },
      ]);
    } finally {
      await store.close();
    }

    // 4. The dashboard, in the browser, with the token as the Basic-auth password, at phone width.
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, httpCredentials: { username: "stats", password: TOKEN } });
    contexts.push(() => context.close());
    const dashboard = await context.newPage();
    const res = await dashboard.goto(`${app.url}/stats?days=7`);
    expect(res!.status()).toBe(200);
    expect(await dashboard.locator("h1").textContent()).toMatch(/Castcard stats/);
    const topRow = dashboard.locator("table").last().locator("tbody tr");
    await expect.poll(() => topRow.count()).toBe(1);
    expect(await topRow.locator("td").nth(1).textContent()).toBe(String(SHARER));
    expect(await topRow.locator(`code[title="${PUBLISHED_HASH}"]`).count()).toBe(1);
    // Nothing runs in the page: no script, charts are SVG from the server.
    expect(await dashboard.locator("script").count()).toBe(0);
    expect(await dashboard.locator("svg").count()).toBe(7);
    // Readable at phone width: the page itself does not scroll sideways (wide tables scroll in their box).
    expect(await dashboard.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    saveScreenshot("stats-phone.png", await dashboard.screenshot({ fullPage: true }));
  });
});
