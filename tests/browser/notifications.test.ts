import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppKey, signEvent } from "../support/app-keys";
import { startHubServer, type HubServer } from "../support/hub-server";
import { startNextApp, type RunningApp } from "../support/next-app";
import { startNotificationHost, type NotificationHost } from "../support/notification-host";
import { PUBLISHED_HASH } from "./host/protocol";
import { launchChromium, openInHost, startHostServer } from "./support";

// The whole notification loop in real Chromium inside the test client, on the production Next
// server: mint → cast → "Tell me" adds the app (the client's back end sends the signed
// miniapp_added to the webhook) → a second user launches from the embed → the notification reaches
// the client's notification server → opening it shows the sharer's reach and counts the open.
const SOON = { timeout: 20_000 };
const SHARER = 7;
const VIEWER = 21;
const CLIENT = 9152;
const key = makeAppKey();
const TOKEN = "browser-test-notify-token-0123456789";

let app: RunningApp;
let host: Awaited<ReturnType<typeof startHostServer>>;
let hub: HubServer;
let notify: NotificationHost;
let backend: Server;
let backendUrl: string;
let browser: Browser;
let dataDir: string;
const webhookAnswers: number[] = [];
const contexts: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "castcard-browser-notify-"));
  [host, browser, hub, notify] = await Promise.all([
    startHostServer(),
    launchChromium(),
    startHubServer({ [SHARER]: { username: "seven", displayName: "Seven" } }, { signers: { [SHARER]: [{ key: key.key, appFid: CLIENT }] } }),
    startNotificationHost(),
  ]);
  app = await startNextApp({ HUB_URL: hub.url, DATA_DIR: dataDir, NOTIFY_ALLOW_PRIVATE: "1", STATS_TOKEN: TOKEN });
  // The client's back end: when the user adds the app, it makes a token and tells the app's webhook.
  backend = createServer(async (req, res) => {
    const cors = { "access-control-allow-origin": "*", "access-control-allow-methods": "POST" };
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    const details = { url: notify.url, token: notify.issue(SHARER) };
    const body = signEvent(SHARER, key, { event: "miniapp_added", notificationDetails: details });
    const answer = await fetch(`${app.url}/api/webhook`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    webhookAnswers.push(answer.status);
    res.writeHead(answer.ok ? 200 : 502, { ...cors, "content-type": "application/json" }).end(JSON.stringify(details));
  });
  await new Promise<void>((resolve) => backend.listen(0, "127.0.0.1", resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}/add`;
});

afterAll(async () => {
  await Promise.all(contexts.map((close) => close().catch(() => undefined)));
  await browser?.close();
  backend?.closeAllConnections();
  await new Promise<void>((resolve) => (backend ? backend.close(() => resolve()) : resolve()));
  await Promise.all([app?.stop(), host?.close(), hub?.close(), notify?.close()]);
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

describe("the notification loop, in a Farcaster host", () => {
  it("cast, add the app, a launch from the embed, the notification, and its open showing the reach", async () => {
    const manifest = (await (await fetch(`${app.url}/.well-known/farcaster.json`)).json()) as { miniapp: { webhookUrl?: string } };
    expect(manifest.miniapp.webhookUrl).toBe(`${app.url}/api/webhook`);

    // 1. The sharer mints and casts; the app offers to tell them, and adding it goes to the webhook.
    const sharer = await openInHost(browser, host.url, { appUrl: `${app.url}/`, user: { fid: SHARER, username: "seven" }, compose: "publish", addEndpoint: backendUrl });
    contexts.push(sharer.close);
    const button = sharer.app.getByTestId("share");
    await expect.poll(() => button.isEnabled(), SOON).toBe(true);
    expect(await sharer.app.getByTestId("tell-me").count()).toBe(0);
    await button.click();
    await expect.poll(() => sharer.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    await sharer.app.getByTestId("tell-me").click();
    await expect.poll(() => sharer.app.getByTestId("tell-me-status").textContent(), SOON).toMatch(/you will hear when people open your card/);
    expect(webhookAnswers).toEqual([200]);
    expect(await sharer.calls("addMiniApp")).toHaveLength(1);

    // 2. Another user opens the app from the cast's embed.
    const [compose] = await sharer.calls("composeCast");
    const shareUrl = (compose!.args[0] as { embeds: string[] }).embeds[0]!;
    const page = await (await fetch(shareUrl)).text();
    const launchUrl = JSON.parse(page.match(/<meta name="fc:miniapp" content="([^"]*)"/)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")).button.action.url as string;
    const shareId = new URL(launchUrl).searchParams.get("share")!;
    const location = { type: "cast_embed", embed: shareUrl, cast: { author: { fid: SHARER, username: "seven" }, hash: PUBLISHED_HASH, text: "My card", embeds: [shareUrl] } };
    const viewer = await openInHost(browser, host.url, { appUrl: launchUrl, user: { fid: VIEWER, username: "twentyone" }, compose: "publish", location });
    contexts.push(viewer.close);

    // 3. The first viewer is a milestone: the notification reaches the client's server.
    await expect.poll(() => notify.delivered.length, SOON).toBe(1);
    const [sent] = notify.delivered;
    expect(sent).toMatchObject({ fid: SHARER, notificationId: `reach:${shareId}:1`, title: "Your card brought 1 person", targetUrl: `${app.url}/?reach=${shareId}` });

    // 4. The sharer taps it: the app opens at its target, reports the open and shows the reach.
    const notification = { notificationId: sent!.notificationId, title: sent!.title, body: sent!.body };
    const opened = await openInHost(browser, host.url, {
      appUrl: sent!.targetUrl,
      user: { fid: SHARER, username: "seven" },
      compose: "publish",
      added: true,
      location: { type: "notification", notification },
    });
    contexts.push(opened.close);
    await expect.poll(() => opened.app.getByTestId("reach").textContent(), SOON).toContain("Your cards brought 1 person");
    expect(await opened.app.getByTestId("tell-me").count()).toBe(0);
    // The share is shown with its card: the signed image the cast's embed shows, loaded when scrolled to.
    const card = opened.app.getByTestId("reach-card").first();
    expect(await card.getAttribute("alt")).toMatch(/^Your [a-z0-9-]+ card$/);
    expect(await card.getAttribute("src")).toBe(JSON.parse(page.match(/<meta name="fc:miniapp" content="([^"]*)"/)![1]!.replace(/&quot;/g, '"').replace(/&amp;/g, "&")).imageUrl);
    await card.scrollIntoViewIfNeeded();
    await expect.poll(() => card.evaluate((img) => (img as HTMLImageElement).naturalWidth), SOON).toBe(1200);
    const stats = async () => ((await (await fetch(`${app.url}/api/stats?days=7`, { headers: { authorization: `Bearer ${TOKEN}` } })).json()) as { notifications: { totals: Record<string, number>; clients: unknown } }).notifications;
    await expect.poll(async () => (await stats()).totals.opens, SOON).toBe(1);
    expect((await stats()).clients).toEqual([{ appFid: CLIENT, users: 1 }]);
  });
});
