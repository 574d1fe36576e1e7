// Long on purpose: the numbered share-flow cases run in order in one Chromium and one test client.
import { miniAppEmbedNextSchema } from "@farcaster/miniapp-core";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../support/avatar-server";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { HOST_ERROR_MESSAGE, PUBLISHED_HASH, type HostConfig } from "./host/protocol";
import { launchChromium, loadedImage, openInHost, saveScreenshot, startHostServer, type HostSession } from "./support";

// The Mini App as users meet it: the production build in real Chromium, inside a host page built on
// @farcaster/miniapp-host, on another origin, talking to the real SDK over postMessage.
const AVATAR_COLOR = { r: 0, g: 229, b: 255 };
// The embed schema rejects IP-literal hosts, so the page's JSON is validated as if served from here.
const PUBLIC_ORIGIN = "https://castcard.test";
// How long a user would wait for the app to react; vitest's own poll default (1 s) is too short on a busy machine.
const SOON = { timeout: 10_000 };

let app: RunningApp;
let host: Awaited<ReturnType<typeof startHostServer>>;
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
let browser: Browser;
// Browser contexts to close at the end, so a failed case still leaves nothing running.
const contexts: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const avatar = await solidPng(`rgb(${AVATAR_COLOR.r}, ${AVATAR_COLOR.g}, ${AVATAR_COLOR.b})`);
  [app, host, avatars, browser] = await Promise.all([
    startNextApp({ AVATAR_ALLOW_PRIVATE: "1" }),
    startHostServer(),
    startAvatarServer({ "/avatar.png": sendBytes(avatar, "image/png") }),
    launchChromium(),
  ]);
});

afterAll(async () => {
  await Promise.all(contexts.map((close) => close().catch(() => undefined)));
  await browser?.close();
  await Promise.all([app?.stop(), host?.close(), avatars?.close()]);
});

function testUser(username: string, extra: Partial<HostConfig["user"]> = {}): HostConfig["user"] {
  return { fid: 4242, username, displayName: `${username[0]!.toUpperCase()}${username.slice(1)} Tester`, pfpUrl: `${avatars.url}/avatar.png`, ...extra };
}

async function open(user: HostConfig["user"], compose: HostConfig["compose"] = "publish") {
  const session = await openInHost(browser, host.url, { appUrl: `${app.url}/`, user, compose });
  contexts.push(session.close);
  return session;
}

async function mintCard(body: { fid: number; username: string; displayName?: string; pfpUrl: string | null; template?: string }) {
  const res = await fetch(`${app.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
  const { imageUrl } = (await res.json()) as { imageUrl: string };
  return fetchPng(imageUrl);
}

async function fetchPng(url: string) {
  const res = await fetch(url);
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("image/png");
  return Buffer.from(await res.arrayBuffer());
}

async function pixels(png: Buffer) {
  return sharp(png).removeAlpha().raw().toBuffer();
}

/** Pixels within a few levels of the avatar's colour: a 240 px circle of it is ~45,000. */
async function avatarPixels(png: Buffer) {
  const raw = await pixels(png);
  let count = 0;
  for (let i = 0; i < raw.length; i += 3) {
    if (Math.abs(raw[i]! - AVATAR_COLOR.r) < 8 && Math.abs(raw[i + 1]! - AVATAR_COLOR.g) < 8 && Math.abs(raw[i + 2]! - AVATAR_COLOR.b) < 8) count++;
  }
  return count;
}

/** Every string in the embed that starts with the app's real origin, moved to PUBLIC_ORIGIN. */
function onPublicOrigin(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith(app.url) ? PUBLIC_ORIGIN + value.slice(app.url.length) : value;
  if (Array.isArray(value)) return value.map(onPublicOrigin);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, onPublicOrigin(v)]));
  return value;
}

function metaContent(html: string, name: string): string | null {
  const tag = html.match(new RegExp(`<meta[^>]*name="${name}"[^>]*>`))?.[0];
  const content = tag?.match(/content="([^"]*)"/)?.[1];
  if (content === undefined) return null;
  return content.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
}

describe("the test user in a Farcaster host", () => {
  let alice: HostSession;
  let sharedUrl: string | undefined;
  beforeAll(async () => {
    alice = await open(testUser("alice"));
  });

  it("1. calls ready() once, on load with no user action, and greets the test user by name", async () => {
    // How soon is the bench's to measure (a busy machine takes longer); that it happens is tested here.
    await expect.poll(() => alice.calls("ready"), SOON).toHaveLength(1);
    // The host lifts its splash only on ready(): the user now sees the app.
    expect(await alice.page.locator("#splash").isHidden()).toBe(true);
    // Farcaster shows people by their display name; the card carries both.
    expect(await alice.app.getByTestId("greeting").textContent()).toContain("Alice Tester");
    expect(await alice.calls("ready")).toHaveLength(1);
  });

  it("2. shows the user's own card as the preview, loaded at 1200×800", async () => {
    const preview = await loadedImage(alice.app.getByTestId("preview"));
    expect(preview).toMatchObject({ width: 1200, height: 800 });
    expect(new URL(preview.src).searchParams.get("username")).toBe("alice");
    // As drawn on screen: the whole card, undistorted, inside the 424 px frame.
    const box = (await alice.app.getByTestId("preview").boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(424);
    expect(box.width / box.height).toBeCloseTo(1.5, 1);
    saveScreenshot("host-before-share.png", await alice.page.screenshot());
  });

  it("3. Generate Custom Image calls composeCast once with the share page on APP_URL, then shows the cast hash", async () => {
    await alice.app.getByTestId("share").click();
    await expect.poll(() => alice.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    const composed = await alice.calls("composeCast");
    expect(composed).toHaveLength(1);
    const options = composed[0]!.args[0] as { text?: string; embeds?: string[] };
    expect(options.text).toMatch(/Castcard/);
    expect(options.embeds).toHaveLength(1);
    sharedUrl = options.embeds![0]!;
    const embed = new URL(sharedUrl);
    expect(embed.origin).toBe(app.url);
    expect(embed.pathname).toBe("/share");
    expect(await alice.calls("ready")).toHaveLength(1);
    // Without SHARE_SECRET the app never asks the host to sign in.
    expect(await alice.calls("signIn")).toHaveLength(0);
    saveScreenshot("host-after-share.png", await alice.page.screenshot());
  });

  it("4. the shared URL is a page with a valid fc:miniapp embed whose image is this user's 1200×800 card with the avatar drawn", async () => {
    expect(sharedUrl, "case 3 must have shared a URL").toBeDefined();
    const res = await fetch(sharedUrl!);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const content = metaContent(html, "fc:miniapp");
    expect(content, "the page has an fc:miniapp meta tag").not.toBeNull();
    // Older clients and parsers read fc:frame, in the legacy dialect, with the same card and button.
    const legacy = JSON.parse(metaContent(html, "fc:frame")!) as { version: string; imageUrl: string; button: { action: { type: string } } };
    expect([legacy.version, legacy.button.action.type]).toEqual(["next", "launch_frame"]);
    expect(miniAppEmbedNextSchema.safeParse(onPublicOrigin(legacy)).success).toBe(true);
    expect(legacy.imageUrl).toBe((JSON.parse(content!) as { imageUrl: string }).imageUrl);
    const embed = JSON.parse(content!) as { imageUrl: string; button?: { action?: { url?: string } } };
    const parsed = miniAppEmbedNextSchema.safeParse(onPublicOrigin(embed));
    expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
    expect(embed.imageUrl.startsWith(`${app.url}/api/og?`)).toBe(true);
    // The launch button opens the app with the share's id, so a launch from the cast is attributed.
    expect(embed.button?.action?.url).toMatch(new RegExp(`^${app.url.replace(/\./g, "\\.")}/\\?share=[A-Za-z0-9_-]{22}$`));

    const card = await fetchPng(embed.imageUrl);
    expect(pngSize(card)).toEqual({ width: 1200, height: 800 });
    saveScreenshot("shared-card.png", card);
    const otherUser = await mintCard({ fid: 7, username: "bob", pfpUrl: `${avatars.url}/avatar.png` });
    const noAvatar = await mintCard({ fid: 4242, username: "alice", pfpUrl: null });
    expect((await pixels(card)).equals(await pixels(otherUser))).toBe(false);
    expect((await pixels(card)).equals(await pixels(noAvatar))).toBe(false);
    expect(await avatarPixels(card)).toBeGreaterThan(20_000);
    expect(await avatarPixels(noAvatar)).toBe(0);
  });

  it("10. picking the member design updates the preview, and the shared card carries the fid", async () => {
    const s = await open(testUser("frank"));
    await expect.poll(async () => new URL((await loadedImage(s.app.getByTestId("preview"))).src).searchParams.get("username"), SOON).toBe("frank");
    await s.app.getByTestId("design-member").click();
    await expect.poll(async () => new URL((await loadedImage(s.app.getByTestId("preview"))).src).searchParams.get("template"), SOON).toBe("member");
    const preview = new URL((await loadedImage(s.app.getByTestId("preview"))).src);
    expect(preview.searchParams.get("fid")).toBe("4242");
    expect(preview.searchParams.get("displayName")).toBe("Frank Tester");

    await s.app.getByTestId("share").click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    const [call] = await s.calls("composeCast");
    const page = await (await fetch((call!.args[0] as { embeds: string[] }).embeds[0]!)).text();
    const imageUrl = new URL((JSON.parse(metaContent(page, "fc:miniapp")!) as { imageUrl: string }).imageUrl);
    expect(imageUrl.searchParams.get("template")).toBe("member");
    expect(imageUrl.searchParams.get("fid")).toBe("4242");
    const card = await fetchPng(imageUrl.href);
    // The fid is drawn: the same member card for another fid differs.
    const other = await mintCard({ fid: 4243, username: "frank", displayName: "Frank Tester", pfpUrl: `${avatars.url}/avatar.png`, template: "member" });
    expect((await pixels(card)).equals(await pixels(other))).toBe(false);
    const same = await mintCard({ fid: 4242, username: "frank", displayName: "Frank Tester", pfpUrl: `${avatars.url}/avatar.png`, template: "member" });
    expect((await pixels(card)).equals(await pixels(same))).toBe(true);
  });
});

describe("other hosts and failures", () => {
  it("5. a cancelled cast says so, and the button works again", async () => {
    const s = await open(testUser("carol"), "cancel");
    const button = s.app.getByTestId("share");
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toMatch(/cancelled/i);
    expect(await button.isEnabled()).toBe(true);
    expect(await button.textContent()).toBe("Generate Custom Image");

    await s.setCompose("publish");
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    expect(await s.calls("composeCast")).toHaveLength(2);
  });

  it("6. a composer that throws shows an error, and the button works again", async () => {
    const s = await open(testUser("dave"), "throw");
    const button = s.app.getByTestId("share");
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Could not share: ${HOST_ERROR_MESSAGE}`);
    expect(await s.app.getByTestId("status").getAttribute("data-kind")).toBe("error");
    expect(await button.isEnabled()).toBe(true);

    await s.setCompose("publish");
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    expect(await s.calls("composeCast")).toHaveLength(2);
  });

  it("7. without a user fid the button is disabled and says why", async () => {
    const s = await open({ username: "nofid", displayName: "No Fid" });
    await expect.poll(() => s.calls("ready"), SOON).toHaveLength(1);
    await s.app.getByTestId("no-fid").waitFor();
    expect(await s.app.getByTestId("no-fid").textContent()).toMatch(/needs a signed-in Farcaster user/);
    expect(await s.app.getByTestId("share").isDisabled()).toBe(true);
    expect(await s.calls("composeCast")).toHaveLength(0);
  });

  it("8. opened directly, not in a host, it explains how to open it and shows a sample card, with no error", async () => {
    const context = await browser.newContext({ viewport: { width: 424, height: 695 } });
    contexts.push(() => context.close());
    context.setDefaultTimeout(10_000);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    // Failed loads are reported with their URL below; the console's copy of them has none.
    page.on("console", (m) => m.type() === "error" && !m.text().startsWith("Failed to load resource") && errors.push(m.text()));
    // The browser's own favicon probe is not the app's doing (the app declares no /favicon.ico).
    page.on("response", (r) => r.status() >= 400 && new URL(r.url()).pathname !== "/favicon.ico" && errors.push(`${r.status()} ${r.url()}`));
    await page.goto(`${app.url}/`);
    await page.getByTestId("standalone").waitFor();
    expect(await page.getByTestId("standalone").textContent()).toMatch(/Open this page in a Farcaster client/);
    const preview = await loadedImage(page.getByTestId("preview"));
    expect(preview).toMatchObject({ width: 1200, height: 800 });
    expect(new URL(preview.src).searchParams.get("username")).toBe("castcard");
    expect(await page.getByTestId("share").count()).toBe(0);
    expect(await page.getByTestId("status").count()).toBe(0);
    // "Copy link" puts the sample card's share page on the clipboard, to post anywhere.
    await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: app.url });
    await page.getByTestId("copy-link").click();
    await expect.poll(() => page.getByTestId("copy-link").textContent(), SOON).toBe("Link copied");
    const copied = new URL(await page.evaluate(() => navigator.clipboard.readText()));
    expect(copied.origin + copied.pathname).toBe(`${app.url}/share`);
    expect(copied.searchParams.get("username")).toBe("castcard");
    expect((await fetch(copied)).status).toBe(200);
    expect(errors).toEqual([]);
  });

  it("9. with the avatar server down the card still renders, with the initials avatar", async () => {
    const down = await startAvatarServer({});
    await down.close();
    const s = await open(testUser("erin", { pfpUrl: `${down.url}/erin.png` }));
    const preview = await loadedImage(s.app.getByTestId("preview"));
    expect(preview).toMatchObject({ width: 1200, height: 800 });

    await s.app.getByTestId("share").click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    const [call] = await s.calls("composeCast");
    const page = await (await fetch((call!.args[0] as { embeds: string[] }).embeds[0]!)).text();
    const imageUrl = (JSON.parse(metaContent(page, "fc:miniapp")!) as { imageUrl: string }).imageUrl;
    const card = await fetchPng(imageUrl);
    expect(pngSize(card)).toEqual({ width: 1200, height: 800 });
    const initials = await mintCard({ fid: 4242, username: "erin", displayName: "Erin Tester", pfpUrl: null });
    expect((await pixels(card)).equals(await pixels(initials))).toBe(true);
  });
});
