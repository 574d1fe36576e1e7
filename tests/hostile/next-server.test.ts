import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubServer, type HubServer } from "../support/hub-server";
import { mintQuery, type MintQueryInput } from "../support/mint";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { makeSigningKey, startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";
import { burstUntilLimited, send, solidPng, startServer, type TestServer } from "./support";

// The production server with SHARE_SECRET set and without AVATAR_ALLOW_PRIVATE: what a deployment
// runs, signing in against a local Quick Auth server and naming users from a local hub.
let app: RunningApp;
let target: TestServer;
let auth: QuickAuthServer;
let hub: HubServer;
const SECRETS = ["current-key", "previous-key"];

beforeAll(async () => {
  target = await startServer({ "/a.png": send(await solidPng("#00ff00"), { "content-type": "image/png" }) });
  auth = await startQuickAuthServer();
  // The hub names fid 7 with a loopback picture: the guarded fetcher must still refuse it.
  hub = await startHubServer({ 7: { username: "mallory", pfpUrl: `http://127.0.0.1:${target.port}/a.png` } });
  app = await startNextApp({ SHARE_SECRET: SECRETS.join(","), QUICK_AUTH_ORIGIN: auth.url, HUB_URL: hub.url });
});
afterAll(async () => {
  await app?.stop();
  await Promise.all([target?.close(), auth?.close(), hub?.close()]);
});

const domain = () => new URL(app.url).host;
const share = (body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(`${app.url}/api/share`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const now = () => Math.floor(Date.now() / 1000);

const signedUrl = (path: string, input: MintQueryInput, secrets = SECRETS) => `${app.url}${path}?${mintQuery(secrets, input)}`;

describe("next start with SHARE_SECRET, before the auth server's keys were ever fetched", () => {
  // First in the file: once fetched, the keys are cached and an outage no longer matters.
  it("answers 503 with Retry-After, within a few seconds, while the auth server fails or hangs", async () => {
    const token = await auth.token({ fid: 7, domain: domain() });
    try {
      for (const mode of ["error", "hang"] as const) {
        auth.setJwks(mode);
        const started = performance.now();
        const res = await share("{}", bearer(token));
        expect(res.status).toBe(503);
        expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
        expect(res.headers.get("cache-control")).toBe("no-store");
        expect(performance.now() - started).toBeLessThan(4500);
      }
    } finally {
      auth.setJwks("up");
    }
  });
});

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
    const res = await share(JSON.stringify({ fid: 8, username: "someone", pfpUrl: null }), bearer(await auth.token({ fid: 7, domain: domain() })));
    expect(res.status).toBe(200);
    const { imageUrl, shareUrl } = (await res.json()) as { imageUrl: string; shareUrl: string };
    for (const url of [imageUrl, shareUrl]) expect(new URL(url).searchParams.get("sig")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // The token's fid, named by the hub: not the body's claims.
    expect(new URL(imageUrl).searchParams.get("username")).toBe("mallory");

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

describe("POST /api/share on next start: hostile sign-in tokens", () => {
  const tokens: [string, () => Promise<Record<string, string>>][] = [
    ["no Authorization header", async () => ({})],
    ["an empty Bearer", async () => ({ authorization: "Bearer " })],
    ["Basic credentials", async () => ({ authorization: "Basic bWFsbG9yeTpwdw==" })],
    ["a non-JWT", async () => bearer("'; DROP TABLE cards; --")],
    ["three segments of junk", async () => bearer("eyJhbGciOi.eyJzdWIiOjd9.c2ln")],
    ["a 64 kB header", async () => bearer("a".repeat(64 * 1024))],
    ["alg none", async () => bearer(`${Buffer.from('{"alg":"none"}').toString("base64url")}.${Buffer.from(JSON.stringify({ sub: 7, iss: auth.url, aud: domain(), exp: now() + 60 })).toString("base64url")}.`)],
    ["a forged token (unknown key)", async () => bearer(await auth.token({ fid: 7, domain: domain() }, await makeSigningKey("forger")))],
    ["a forged token (the server's key id)", async () => bearer(await auth.token({ fid: 7, domain: domain() }, await makeSigningKey(auth.key.kid)))],
    ["an expired token", async () => bearer(await auth.token({ fid: 7, domain: domain(), iat: now() - 7200, exp: now() - 60 }))],
    ["a token for another app", async () => bearer(await auth.token({ fid: 7, domain: "castcard.example.com" }))],
    ["a token from another issuer", async () => bearer(await auth.token({ fid: 7, domain: domain(), iss: "https://auth.farcaster.xyz" }))],
    ["a token without a fid", async () => bearer(await auth.token({ fid: null, domain: domain() }))],
  ];

  it.each(tokens)("refuses %s with a short 401 naming Bearer, never a 500", async (_label, headers) => {
    const res = await share(JSON.stringify({ fid: 7, username: "mallory" }), await headers());
    // A 64 kB header is past what Node's HTTP parser takes (431): refused before the app, which is as good.
    if (res.status === 431) return;
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const body = await res.text();
    expect(body).toMatch(/^Unauthorized: /);
    expect(body.length).toBeLessThan(80);
  });

  it("refuses a 5 MB body with 413, fast", async () => {
    const token = bearer(await auth.token({ fid: 7, domain: domain() }));
    const started = performance.now();
    const res = await share(new Uint8Array(5 * 1024 * 1024).fill(32), token);
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/too large/i);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it("answers broken JSON with 400", async () => {
    const res = await share('{"username":', bearer(await auth.token({ fid: 7, domain: domain() })));
    expect(res.status).toBe(400);
  });

  it("meets a burst for one fid with 429 while another fid still mints", async () => {
    const burst = bearer(await auth.token({ fid: 70, domain: domain() }));
    const { statuses, minted, allowed } = await burstUntilLimited(async () => (await share("{}", burst)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(minted).toBe(statuses.length - 1);
    expect(minted).toBeGreaterThanOrEqual(allowed[0]);
    expect(minted).toBeLessThanOrEqual(allowed[1]);
    expect((await share("{}", bearer(await auth.token({ fid: 71, domain: domain() })))).status).toBe(200);
  });

  it("answers 503 within a few seconds when the hub hangs, and never mints from the claimed names", async () => {
    hub.setMode({ kind: "hang" });
    try {
      const started = performance.now();
      const res = await share(JSON.stringify({ username: "vitalik", pfpUrl: null }), bearer(await auth.token({ fid: 72, domain: domain() })));
      expect(res.status).toBe(503);
      expect(res.headers.get("retry-after")).toMatch(/^\d+$/);
      expect(performance.now() - started).toBeLessThan(4500);
    } finally {
      hub.setMode({ kind: "up" });
    }
  });
});

