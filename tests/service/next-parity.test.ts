import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../support/avatar-server";
import { freePort, startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";
import { startService, type RunningService } from "../support/start-service";

// The deployment issue 6 describes: the Next Mini App with OG_SERVICE_URL pointing at castcard-og,
// both sharing one SHARE_SECRET. The two must be interchangeable for any card URL. Both load the
// same app definition (castcard.config.mjs) and environment, here a re-branded one: the app's own
// name and colour, and nothing else.
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
let next: RunningApp;
let service: RunningService;
let auth: QuickAuthServer;

beforeAll(async () => {
  avatars = await startAvatarServer({ "/green.png": sendBytes(await solidPng("#00FF00"), "image/png") });
  const servicePort = await freePort();
  // With SHARE_SECRET set, minting needs a Quick Auth token: a local auth server issues them.
  auth = await startQuickAuthServer();
  const shared = {
    AVATAR_ALLOW_PRIVATE: "1",
    SHARE_SECRET: "parity-test-secret",
    OG_SERVICE_URL: `http://127.0.0.1:${servicePort}`,
    QUICK_AUTH_ORIGIN: auth.url,
    APP_NAME: "Acme Quest",
    APP_COLOR: "#0B6E4F",
  };
  next = await startNextApp(shared);
  // Same environment as the app, as a deployment would give both processes.
  service = await startService({ ...shared, APP_URL: next.url }, servicePort);
});
afterAll(async () => {
  await Promise.all([service?.stop(), next?.stop()]);
  await Promise.all([avatars?.close(), auth?.close()]);
});

async function mint(body: { fid: number; username: string; pfpUrl: string | null }) {
  const res = await fetch(`${next.url}/api/share`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${await auth.token({ fid: body.fid, domain: new URL(next.url).host })}` },
    body: JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return (await res.json()) as { imageUrl: string; shareUrl: string };
}

async function snapshot(url: string) {
  const res = await fetch(url);
  return {
    status: res.status,
    type: res.headers.get("content-type"),
    avatar: res.headers.get("x-castcard-avatar"),
    bytes: Buffer.from(await res.arrayBuffer()),
  };
}

const unescapeHtml = (s: string) =>
  s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

describe("with OG_SERVICE_URL set", () => {
  it("the Mini App mints image URLs on the service, whose card renders there", async () => {
    const { imageUrl, shareUrl } = await mint({ fid: 1, username: "alice", pfpUrl: null });
    expect(imageUrl.startsWith(`${service.url}/api/og?`)).toBe(true);
    expect(shareUrl.startsWith(`${next.url}/share?`)).toBe(true);
    // Signed by the app, verified by the service: the shared SHARE_SECRET is what makes this work.
    expect(new URL(imageUrl).searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const card = await snapshot(imageUrl);
    expect(card.status).toBe(200);
    expect(pngSize(card.bytes)).toEqual({ width: 1200, height: 800 });

    const html = await (await fetch(shareUrl)).text();
    const content = /<meta name="fc:miniapp" content="([^"]*)">/.exec(html)?.[1];
    expect(content).toBeDefined();
    expect((JSON.parse(unescapeHtml(content!)) as { imageUrl: string }).imageUrl).toBe(imageUrl);
  });
});

describe("the service and the Next route answer the same for the same URL", () => {
  const cases: Array<[string, string | null, () => Promise<string>]> = [
    ["an initials card", "initials", async () => (await mint({ fid: 2, username: "bob", pfpUrl: null })).imageUrl],
    ["a card with an avatar", "image", async () => (await mint({ fid: 3, username: "carol", pfpUrl: `${avatars.url}/green.png` })).imageUrl],
    ["a fallback card (avatar 404)", "fallback", async () => (await mint({ fid: 4, username: "dan", pfpUrl: `${avatars.url}/gone.png` })).imageUrl],
    ["a malformed version", null, async () => `${service.url}/api/og?username=eve&v=%3Cscript%3E`],
    ["an unsigned URL", null, async () => `${service.url}/api/og?username=mallory`],
    ["a forged signature", null, async () => `${service.url}/api/og?username=mallory&sig=${"A".repeat(43)}`],
  ];

  it.each(cases)("%s", async (_label, avatar, imageUrlOf) => {
    const onService = new URL(await imageUrlOf());
    const onNext = new URL(`${onService.pathname}${onService.search}`, next.url);
    const [a, b] = await Promise.all([snapshot(onService.href), snapshot(onNext.href)]);
    expect(a.status).toBe(b.status);
    expect(a.type).toBe(b.type);
    expect([a.avatar, b.avatar]).toEqual([avatar, avatar]);
    expect(a.bytes.equals(b.bytes)).toBe(true);
    if (a.type === "image/png") expect(pngSize(a.bytes)).toEqual({ width: 1200, height: 800 });
  });
});

describe("one app on both fronts", () => {
  it("serves the same manifest, icon and splash image, in the app's own name and colour", async () => {
    const manifests = await Promise.all([next.url, service.url].map(async (origin) => (await fetch(`${origin}/.well-known/farcaster.json`)).json()));
    expect(manifests[1]).toEqual(manifests[0]);
    expect((manifests[0] as { miniapp: Record<string, unknown> }).miniapp).toMatchObject({ name: "Acme Quest", splashBackgroundColor: "#0B6E4F" });
    for (const path of ["/icon.png", "/splash.png"]) {
      const [a, b] = await Promise.all([snapshot(`${next.url}${path}`), snapshot(`${service.url}${path}`)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect([a.type, b.type]).toEqual(["image/png", "image/png"]);
      expect(a.bytes.equals(b.bytes)).toBe(true);
    }
  });

  it("says its own name, never Castcard, on the home page and the share page", async () => {
    const { shareUrl } = await mint({ fid: 5, username: "frank", pfpUrl: null });
    for (const url of [`${next.url}/`, shareUrl]) {
      const html = await (await fetch(url)).text();
      expect(html).toContain("Acme Quest");
      expect(html).not.toMatch(/castcard/i);
    }
  });
});
