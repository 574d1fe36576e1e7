import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../support/avatar-server";
import { startHubServer, type HubServer } from "../support/hub-server";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";
import { PUBLISHED_HASH, type HostConfig } from "./host/protocol";
import { launchChromium, loadedImage, openInHost, startHostServer } from "./support";

// Sign-in as users meet it when SHARE_SECRET is set: the production build in Chromium inside the
// test host, the real SDK's quickAuth.getToken asking the host to sign in and a local Quick Auth
// server for a token, and the server verifying it with @farcaster/quick-auth and naming the user
// from a local hub.
const HUB_COLOR = { r: 255, g: 64, b: 160 };
const SOON = { timeout: 10_000 };
const SIGNED_FID = 7;

let app: RunningApp;
let host: Awaited<ReturnType<typeof startHostServer>>;
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
let auth: QuickAuthServer;
let hub: HubServer;
let browser: Browser;
const contexts: (() => Promise<void>)[] = [];

beforeAll(async () => {
  const avatar = await solidPng(`rgb(${HUB_COLOR.r}, ${HUB_COLOR.g}, ${HUB_COLOR.b})`);
  [host, avatars, auth, browser] = await Promise.all([
    startHostServer(),
    startAvatarServer({ "/hub-seven.png": sendBytes(avatar, "image/png") }),
    startQuickAuthServer(),
    launchChromium(),
  ]);
  hub = await startHubServer({ [SIGNED_FID]: { username: "seven", displayName: "Seven", pfpUrl: `${avatars.url}/hub-seven.png` } });
  app = await startNextApp({ SHARE_SECRET: "browser-test-secret", QUICK_AUTH_ORIGIN: auth.url, HUB_URL: hub.url, AVATAR_ALLOW_PRIVATE: "1" });
});

afterAll(async () => {
  await Promise.all(contexts.map((close) => close().catch(() => undefined)));
  await browser?.close();
  await Promise.all([app?.stop(), host?.close(), avatars?.close(), auth?.close(), hub?.close()]);
});

async function open(signIn: HostConfig["signIn"]) {
  // The client's context names the user as the client knows them; the server trusts only the token and the hub.
  const user = { fid: SIGNED_FID, username: "context-name", displayName: "Context Name", pfpUrl: `${avatars.url}/missing.png` };
  const session = await openInHost(browser, host.url, { appUrl: `${app.url}/`, user, compose: "publish", signIn });
  contexts.push(session.close);
  return session;
}

function metaContent(html: string, name: string): string | null {
  const content = html.match(new RegExp(`<meta[^>]*name="${name}"[^>]*content="([^"]*)"`))?.[1];
  return content === undefined ? null : content.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");
}

/** Pixels within a few levels of the hub picture's colour. */
async function hubPixels(png: Buffer) {
  const raw = await sharp(png).removeAlpha().raw().toBuffer();
  let count = 0;
  for (let i = 0; i < raw.length; i += 3) {
    if (Math.abs(raw[i]! - HUB_COLOR.r) < 8 && Math.abs(raw[i + 1]! - HUB_COLOR.g) < 8 && Math.abs(raw[i + 2]! - HUB_COLOR.b) < 8) count++;
  }
  return count;
}

describe("with SHARE_SECRET, in a Farcaster host", () => {
  it("1. asks for no sign-in on launch, then signs in through the host and shares the signed-in fid's card", async () => {
    const s = await open({ fid: SIGNED_FID });
    await expect.poll(() => s.calls("ready"), SOON).toHaveLength(1);
    expect(await s.app.getByTestId("greeting").textContent()).toMatch(/Sign in/);
    // The launch preview is the sample card: nothing was minted without sign-in.
    const preview = await loadedImage(s.app.getByTestId("preview"));
    expect(new URL(preview.src).searchParams.get("username")).toBe("castcard");
    expect(await s.calls("signIn")).toHaveLength(0);

    const button = s.app.getByTestId("share");
    // Every text the button shows, recorded in the page as it changes: "Signing you in…" lasts only
    // while the host signs in, which a poll from here could miss on a busy machine.
    await button.evaluate((el) => {
      const seen: string[] = [];
      (window as unknown as { buttonTexts: string[] }).buttonTexts = seen;
      new MutationObserver(() => seen.at(-1) !== el.textContent && seen.push(el.textContent ?? "")).observe(el, { childList: true, characterData: true, subtree: true });
    });
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    // The host takes a moment to sign in: the button said so first, and is back once the cast is out.
    const texts = await button.evaluate(() => (window as unknown as { buttonTexts: string[] }).buttonTexts);
    expect(texts[0]).toBe("Signing you in…");
    expect(texts.at(-1)).toBe("Generate Custom Image");

    // The SDK asked the host to sign in with the nonce the auth server issued, and the server issued
    // a token for this fid and the app's domain.
    const [signIn] = await s.calls("signIn");
    expect((signIn!.args[0] as { nonce: string }).nonce).toMatch(/^[0-9a-f]{24}$/);
    expect(auth.issued).toContainEqual({ fid: SIGNED_FID, domain: new URL(app.url).host });
    expect(hub.requests.map((r) => r.fid)).toContain(String(SIGNED_FID));

    const [compose] = await s.calls("composeCast");
    const shareUrl = (compose!.args[0] as { embeds: string[] }).embeds[0]!;
    const page = await (await fetch(shareUrl)).text();
    const imageUrl = (JSON.parse(metaContent(page, "fc:miniapp")!) as { imageUrl: string }).imageUrl;
    const params = new URL(imageUrl).searchParams;
    // Named and pictured as the hub says, not as the client's context did.
    expect(params.get("username")).toBe("seven");
    expect(params.get("image")).toBe(`${avatars.url}/hub-seven.png`);
    const card = Buffer.from(await (await fetch(imageUrl)).arrayBuffer());
    expect(pngSize(card)).toEqual({ width: 1200, height: 800 });
    expect(await hubPixels(card)).toBeGreaterThan(20_000);
    // The preview now shows the card that was shared.
    expect((await loadedImage(s.app.getByTestId("preview"))).src).toBe(imageUrl);
  });

  it("2. a declined sign-in says 'cancelled', and the button works again", async () => {
    const s = await open("reject");
    const button = s.app.getByTestId("share");
    await expect.poll(() => button.isEnabled(), SOON).toBe(true);
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe("Sign-in cancelled. You can try again whenever you like.");
    expect(await button.isEnabled()).toBe(true);
    expect(await button.textContent()).toBe("Generate Custom Image");
    expect(await s.calls("composeCast")).toHaveLength(0);

    await s.setSignIn({ fid: SIGNED_FID });
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe(`Cast published: ${PUBLISHED_HASH}`);
    expect(await s.calls("signIn")).toHaveLength(2);
  });

  it("3. a token a host got for another domain is refused, and no card is minted", async () => {
    const s = await open({ fid: SIGNED_FID, domain: "evil.example.com" });
    const button = s.app.getByTestId("share");
    await expect.poll(() => button.isEnabled(), SOON).toBe(true);
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").textContent(), SOON).toBe("Could not share: Unauthorized: token is for another app");
    expect(auth.issued.at(-1)).toEqual({ fid: SIGNED_FID, domain: "evil.example.com" });
    expect(await button.isEnabled()).toBe(true);
    expect(await s.calls("composeCast")).toHaveLength(0);
  });

  it("4. a host that does not offer sign-in: an error, no card, and the button works again", async () => {
    const s = await open(undefined);
    const button = s.app.getByTestId("share");
    await expect.poll(() => button.isEnabled(), SOON).toBe(true);
    await button.click();
    await expect.poll(() => s.app.getByTestId("status").getAttribute("data-kind"), SOON).toBe("error");
    expect(await s.app.getByTestId("status").textContent()).toBe("Could not share: Sign-in failed. Please try again.");
    expect(await button.isEnabled()).toBe(true);
    expect(await s.calls("composeCast")).toHaveLength(0);
  });
});
