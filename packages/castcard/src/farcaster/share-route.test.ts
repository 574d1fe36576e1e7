import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubServer, type HubServer } from "../../../../tests/support/hub-server";
import { makeSigningKey, startQuickAuthServer, type QuickAuthServer } from "../../../../tests/support/quick-auth-server";
import { loadConfig, type Env } from "../config/index";
import { createCastcard } from "../fronts/castcard";

// POST /api/share with sign-in on, against a real local Quick Auth server and hub. Image URLs
// point at a separate service (OG_SERVICE_URL), so minting does not prerender here.
const APP = "https://castcard.example.com";
const DOMAIN = "castcard.example.com";
const HUB_PFP = "https://img.example.com/seven.png";

let auth: QuickAuthServer;
let hub: HubServer;
const logs: { event: string; [key: string]: unknown }[] = [];

beforeAll(async () => {
  [auth, hub] = await Promise.all([
    startQuickAuthServer(),
    startHubServer({ 7: { username: "seven", displayName: "Seven of Nine", pfpUrl: HUB_PFP }, 9: { username: "nine" } }, { apiKey: "k" }),
  ]);
});
afterAll(() => Promise.all([auth?.close(), hub?.close()]));

function castcard(env: Env = {}) {
  const { config } = loadConfig({
    APP_URL: APP,
    OG_SERVICE_URL: "https://img.castcard.example.com",
    SHARE_SECRET: "test-secret",
    QUICK_AUTH_ORIGIN: auth.url,
    HUB_URL: hub.url,
    HUB_API_KEY: "k",
    ...env,
  });
  return createCastcard(config, { log: (e) => logs.push(e) });
}

const post = (app: ReturnType<typeof castcard>, body: BodyInit | object, token?: string, headers: Record<string, string> = {}) =>
  app.share(
    new Request(`${APP}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
      body: typeof body === "string" || body instanceof Uint8Array || body instanceof ReadableStream ? body : JSON.stringify(body),
      duplex: "half",
    } as RequestInit),
  );

const card = async (res: Response) => {
  expect(res.status).toBe(200);
  const { imageUrl, shareUrl } = (await res.json()) as { imageUrl: string; shareUrl: string };
  const url = new URL(imageUrl);
  expect(url.searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(new URL(shareUrl).search).toBe(url.search);
  return url.searchParams;
};

const expectShortText = async (res: Response, status: number, pattern: RegExp) => {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
  expect(res.headers.get("cache-control")).toBe("no-store");
  const body = await res.text();
  expect(body).toMatch(pattern);
  expect(body.length).toBeLessThan(100);
  expect(body).not.toMatch(/jose|JWS|JWT|Error:|at .*\(/);
};

const now = () => Math.floor(Date.now() / 1000);

describe("POST /api/share with SHARE_SECRET: who may mint", () => {
  let app: ReturnType<typeof castcard>;
  beforeAll(() => {
    app = castcard();
  });

  it.each<[string, () => Promise<string | undefined>, RegExp]>([
    ["no token", async () => undefined, /sign-in required/],
    ["a malformed token", async () => "hello", /malformed/],
    ["a forged token (unknown key)", async () => auth.token({ fid: 7, domain: DOMAIN }, await makeSigningKey("forger")), /not signed/],
    ["a forged token (the server's key id, another key)", async () => auth.token({ fid: 7, domain: DOMAIN }, await makeSigningKey(auth.key.kid)), /not signed/],
    ["an expired token", () => auth.token({ fid: 7, domain: DOMAIN, iat: now() - 7200, exp: now() - 60 }), /expired/],
    ["a token for another app", () => auth.token({ fid: 7, domain: "other.example.com" }), /another app/],
    ["a token from another issuer", () => auth.token({ fid: 7, domain: DOMAIN, iss: "https://auth.example.net" }), /another issuer/],
    ["a token without a fid", () => auth.token({ fid: "alice", domain: DOMAIN }), /no fid/],
  ])("refuses %s with 401 and WWW-Authenticate: Bearer", async (_label, token, reason) => {
    const res = await post(app, { fid: 7, username: "seven" }, await token());
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    await expectShortText(res, 401, reason);
  });

  it("mints for the token's fid, named as the hub says, whatever the body claims", async () => {
    const before = hub.requests.length;
    const token = await auth.token({ fid: 7, domain: DOMAIN });
    const params = await card(await post(app, { fid: 8, username: "mallory", displayName: "Mallory", pfpUrl: "https://evil.example/m.png" }, token));
    expect(params.get("username")).toBe("seven");
    expect(params.get("image")).toBe(HUB_PFP);
    // The card carries the verified fid and the hub's display name, never the body's.
    expect(params.get("fid")).toBe("7");
    expect(params.get("displayName")).toBe("Seven of Nine");
    expect(hub.requests.slice(before).map((r) => r.fid)).toEqual(["7"]);
    expect(hub.requests.at(-1)!.apiKey).toBe("k");
  });

  it("mints a member card of the signed-in fid, and never a client's score", async () => {
    const token = await auth.token({ fid: 7, domain: DOMAIN });
    const member = await card(await post(app, { fid: 8, template: "member", displayName: "Mallory" }, token));
    expect([member.get("template"), member.get("fid"), member.get("displayName")]).toEqual(["member", "7", "Seven of Nine"]);
    const seed = await card(await post(app, { template: "seed", score: 1e9 }, token));
    expect(seed.has("score")).toBe(false);
    await expectShortText(await post(app, { template: "score", score: 1e9 }, token), 400, /^template: score cards are minted by the app's server/);
    // `design` is the body's word for it; `template` stays accepted, and each answer names the one used.
    expect((await card(await post(app, { design: "member" }, token))).get("template")).toBe("member");
    await expectShortText(await post(app, { design: "score" }, token), 400, /^design: score cards are minted by the app's server/);
    await expectShortText(await post(app, { design: "nope" }, token), 400, /^design: unknown design$/);
  });

  it("accepts a body with no fid at all when signed in", async () => {
    const params = await card(await post(app, {}, await auth.token({ fid: 9, domain: DOMAIN })));
    expect(params.get("username")).toBe("nine");
    expect(params.get("image")).toBeNull();
  });

  it("answers 405 to other methods, before asking for a token", async () => {
    const res = await app.share(new Request(`${APP}/api/share`));
    expect(res.status).toBe(405);
  });
});

describe("POST /api/share with SHARE_SECRET: bounded requests", () => {
  let app: ReturnType<typeof castcard>;
  beforeAll(() => {
    app = castcard();
  });

  it("refuses a 5 MB body with 413, and without a token with 401 before reading it", async () => {
    const token = await auth.token({ fid: 7, domain: DOMAIN });
    const big = new Uint8Array(5 * 1024 * 1024).fill(32);
    await expectShortText(await post(app, big, token), 413, /too large/i);
    await expectShortText(await post(app, big, token, { "content-length": String(big.byteLength) }), 413, /too large/i);
    expect((await post(app, big)).status).toBe(401);
  });

  it("cuts off an endless body at the cap", async () => {
    let pulled = 0;
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulled += 4096;
        controller.enqueue(new Uint8Array(4096).fill(32));
      },
    });
    await expectShortText(await post(app, endless, await auth.token({ fid: 7, domain: DOMAIN })), 413, /too large/i);
    expect(pulled).toBeLessThan(200 * 1024);
  });

  it.each([
    ["broken JSON", '{"username": "x",'],
    ["a JSON array", "[1,2]"],
    ["a name that is not a string", JSON.stringify({ username: 7 })],
  ])("answers 400 to %s", async (_label, body) => {
    await expectShortText(await post(app, body, await auth.token({ fid: 7, domain: DOMAIN })), 400, /^Bad request/);
  });

  it("rate-limits each fid on its own: a burst for one meets 429 while another still mints", async () => {
    const burst = await auth.token({ fid: 101, domain: DOMAIN });
    const statuses: number[] = [];
    // The body's fid changes every time: the limit follows the token's.
    for (let i = 0; i < 25; i++) statuses.push((await post(app, { fid: 200 + i }, burst)).status);
    expect(statuses.slice(0, 20).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(20)).toEqual([429, 429, 429, 429, 429]);
    const limited = await post(app, {}, burst);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    await expectShortText(limited, 429, /Too many requests/);
    expect((await post(app, {}, await auth.token({ fid: 102, domain: DOMAIN }))).status).toBe(200);
  });
});

describe("POST /api/share: when the auth server or the hub fails", () => {
  it("answers 503 with Retry-After when the auth server cannot be reached", async () => {
    const gone = await startQuickAuthServer();
    const token = await gone.token({ fid: 7, domain: DOMAIN });
    await gone.close();
    const res = await post(castcard({ QUICK_AUTH_ORIGIN: gone.url }), {}, token);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    await expectShortText(res, 503, /sign-in server/);
  });

  it.each([
    ["errors", { kind: "error" } as const],
    ["hangs", { kind: "hang" } as const],
    ["answers slower than 2 s", { kind: "slow", ms: 2500 } as const],
    ["answers garbage", { kind: "garbage" } as const],
  ])("answers 503 with Retry-After when the hub %s, never a card from the claimed names", async (_label, mode) => {
    hub.setMode(mode);
    try {
      // A fresh instance: nothing cached for this fid.
      const res = await post(castcard(), { username: "mallory", pfpUrl: "https://evil.example/m.png" }, await auth.token({ fid: 7, domain: DOMAIN }));
      expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
      await expectShortText(res, 503, /profile lookup failed/);
    } finally {
      hub.setMode({ kind: "up" });
    }
  });
});

describe("POST /api/share in other configurations", () => {
  it("without HUB_URL, the fid is the token's and the names are the body's", async () => {
    const app = castcard({ HUB_URL: "" });
    const token = await auth.token({ fid: 301, domain: DOMAIN });
    const params = await card(await post(app, { fid: 8, username: "alice", pfpUrl: "https://i.example.com/a.png" }, token));
    expect(params.get("username")).toBe("alice");
    expect(params.get("image")).toBe("https://i.example.com/a.png");
    // The body's fid changes nothing: all 20 mints count against fid 301.
    for (let i = 1; i < 20; i++) expect((await post(app, { fid: 8 + i, username: "alice" }, token)).status).toBe(200);
    expect((await post(app, { fid: 99, username: "alice" }, token)).status).toBe(429);
  });

  it("without SHARE_SECRET, it stays open: no token needed, the body names the fid", async () => {
    const app = castcard({ SHARE_SECRET: "", HUB_URL: "" });
    const res = await post(app, { fid: 8, username: "bob", pfpUrl: null });
    expect(res.status).toBe(200);
    const { imageUrl } = (await res.json()) as { imageUrl: string };
    expect(new URL(imageUrl).searchParams.get("username")).toBe("bob");
    await expectShortText(await post(app, { username: "bob" }), 400, /expected \{ fid/);
    await expectShortText(await post(app, new Uint8Array(5 * 1024 * 1024)), 413, /too large/i);
  });

  it("without SHARE_SECRET but with HUB_URL, names still come from the hub", async () => {
    const app = castcard({ SHARE_SECRET: "" });
    const res = await post(app, { fid: 7, username: "mallory" });
    expect(new URL(((await res.json()) as { imageUrl: string }).imageUrl).searchParams.get("username")).toBe("seven");
  });
});
