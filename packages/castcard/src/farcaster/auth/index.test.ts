import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeSigningKey, signToken, startQuickAuthServer, type QuickAuthServer } from "../../../../../tests/support/quick-auth-server";
import { createQuickAuthVerifier, type VerifyAuthorization } from "./index";

// Real @farcaster/quick-auth verification against a real local auth server's JWKS.
const DOMAIN = "castcard.example.com";
let auth: QuickAuthServer;
let verify: VerifyAuthorization;

beforeAll(async () => {
  auth = await startQuickAuthServer();
  verify = createQuickAuthVerifier({ origin: auth.url, domain: DOMAIN });
});
afterAll(() => auth?.close());

const bearer = (token: string) => `Bearer ${token}`;
const now = () => Math.floor(Date.now() / 1000);
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

describe("Quick Auth verification", () => {
  it("accepts a token from the auth server for this domain and reads the fid from sub", async () => {
    expect(await verify(bearer(await auth.token({ fid: 7, domain: DOMAIN })))).toEqual({ ok: true, fid: 7 });
    // A string sub of digits is the same fid.
    expect(await verify(bearer(await auth.token({ fid: "4242", domain: DOMAIN })))).toEqual({ ok: true, fid: 4242 });
  });

  it.each<[string, () => Promise<string | null>, RegExp]>([
    ["no Authorization header", async () => null, /sign-in required/],
    ["another scheme", async () => "Basic YWxpY2U6cHc=", /Bearer/],
    ["Bearer without a token", async () => "Bearer ", /Bearer/],
    ["not a JWT", async () => bearer("not-a-token"), /malformed/],
    ["a 10 kB token", async () => bearer(`${"a".repeat(5000)}.${"b".repeat(5000)}.c`), /malformed/],
    ["three parts of base64 garbage", async () => bearer("aaaa.bbbb.cccc"), /invalid token/],
    ["an expired token", async () => bearer(await auth.token({ fid: 7, domain: DOMAIN, iat: now() - 7200, exp: now() - 3600 })), /expired/],
    ["a token for another app", async () => bearer(await auth.token({ fid: 7, domain: "evil.example.com" })), /another app/],
    ["a token from another issuer", async () => bearer(await auth.token({ fid: 7, domain: DOMAIN, iss: "https://auth.evil.example" })), /another issuer/],
    ["a token signed by an unknown key", async () => bearer(await auth.token({ fid: 7, domain: DOMAIN }, await makeSigningKey("someone-else"))), /not signed/],
    ["a token signed by another key under the server's key id", async () => bearer(await auth.token({ fid: 7, domain: DOMAIN }, await makeSigningKey(auth.key.kid))), /not signed/],
    ["a valid token whose payload was changed to another fid", async () => {
      const [header, , signature] = (await auth.token({ fid: 7, domain: DOMAIN })).split(".");
      return bearer(`${header}.${b64({ sub: 8, iss: auth.url, aud: DOMAIN, iat: now(), exp: now() + 3600 })}.${signature}`);
    }, /not signed/],
    ["an unsigned token (alg none)", async () => bearer(`${b64({ alg: "none", typ: "JWT" })}.${b64({ sub: 7, iss: auth.url, aud: DOMAIN, exp: now() + 60 })}.x`), /invalid token|not signed/],
    ["an HS256 token keyed with the public key", async () => {
      const body = `${b64({ alg: "HS256", typ: "JWT", kid: auth.key.kid })}.${b64({ sub: 7, iss: auth.url, aud: DOMAIN, exp: now() + 60 })}`;
      const { createHmac } = await import("node:crypto");
      return bearer(`${body}.${createHmac("sha256", JSON.stringify(auth.key.publicJwk)).update(body).digest("base64url")}`);
    }, /invalid token|not signed/],
    ["a token without sub", async () => bearer(await auth.token({ fid: undefined, domain: DOMAIN })), /no fid/],
    ["a token whose sub is not a fid", async () => bearer(await auth.token({ fid: "alice", domain: DOMAIN })), /no fid/],
    ["a token whose sub is 0", async () => bearer(await auth.token({ fid: 0, domain: DOMAIN })), /no fid/],
    ["a token whose sub is a fraction", async () => bearer(await auth.token({ fid: 7.5, domain: DOMAIN })), /no fid/],
    ["a token without exp", async () => bearer(await signToken(auth.key, { sub: 7, iss: auth.url, aud: DOMAIN, iat: now() })), /no expiry/],
  ])("refuses %s with 401", async (_label, header, reason) => {
    const result = await verify(await header());
    expect(result).toMatchObject({ ok: false, status: 401 });
    expect(!result.ok && result.reason).toMatch(reason);
    // Short and free of the library's wording.
    expect(!result.ok && result.reason.length).toBeLessThan(60);
  });
});

describe("when the auth server's keys cannot be had", () => {
  // Each case its own server: the library caches a key set per origin.
  it.each([
    ["refuses connections", async (s: QuickAuthServer) => s.close()],
    ["answers 500", async (s: QuickAuthServer) => s.setJwks("error")],
    ["answers HTML", async (s: QuickAuthServer) => s.setJwks("garbage")],
    ["never answers", async (s: QuickAuthServer) => s.setJwks("hang")],
  ])("answers 503 with a retry time when it %s", async (_label, breakIt) => {
    const server = await startQuickAuthServer();
    try {
      const token = await server.token({ fid: 7, domain: DOMAIN });
      await breakIt(server);
      const result = await createQuickAuthVerifier({ origin: server.url, domain: DOMAIN, timeoutMs: 1000 })(bearer(token));
      expect(result).toMatchObject({ ok: false, status: 503, retryAfterSeconds: 5 });
    } finally {
      await server.close();
    }
  });

  it("keeps verifying from cached keys while the auth server is down", async () => {
    const server = await startQuickAuthServer();
    try {
      const check = createQuickAuthVerifier({ origin: server.url, domain: DOMAIN });
      expect(await check(bearer(await server.token({ fid: 9, domain: DOMAIN })))).toEqual({ ok: true, fid: 9 });
      const later = await server.token({ fid: 10, domain: DOMAIN });
      server.setJwks("error");
      expect(await check(bearer(later))).toEqual({ ok: true, fid: 10 });
      expect(server.jwksRequests()).toBe(1);
    } finally {
      await server.close();
    }
  });
});
