import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startService, type RunningService } from "../support/start-service";
import { startHubServer, type HubServer } from "../support/hub-server";
import { makeSigningKey, startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";
import { burstUntilLimited } from "./support";

// The standalone service (castcard-og) answers POST /api/share from the same core as the Next
// route: the same sign-in, body cap, rate limit and hub, over its own HTTP front.
let service: RunningService;
let auth: QuickAuthServer;
let hub: HubServer;

beforeAll(async () => {
  [auth, hub] = await Promise.all([startQuickAuthServer(), startHubServer({ 7: { username: "seven" } })]);
  service = await startService({ SHARE_SECRET: "service-secret", QUICK_AUTH_ORIGIN: auth.url, HUB_URL: hub.url });
});
afterAll(async () => {
  await service?.stop();
  await Promise.all([auth?.close(), hub?.close()]);
});

const domain = () => new URL(service.url).host;
const share = (body: BodyInit, token?: string) =>
  fetch(`${service.url}/api/share`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body,
  });

describe("castcard-og POST /api/share with SHARE_SECRET", () => {
  it.each<[string, () => Promise<string | undefined>]>([
    ["no token", async () => undefined],
    ["a forged token", async () => auth.token({ fid: 7, domain: domain() }, await makeSigningKey("forger"))],
    ["an expired token", async () => auth.token({ fid: 7, domain: domain(), exp: Math.floor(Date.now() / 1000) - 60 })],
    ["a token for another app", async () => auth.token({ fid: 7, domain: "castcard.example.com" })],
  ])("refuses %s with 401 and WWW-Authenticate: Bearer", async (_label, token) => {
    const res = await share("{}", await token());
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toMatch(/^Bearer\b/);
  });

  it("mints for the token's fid with the hub's name", async () => {
    const res = await share(JSON.stringify({ fid: 8, username: "mallory" }), await auth.token({ fid: 7, domain: domain() }));
    expect(res.status).toBe(200);
    const { imageUrl } = (await res.json()) as { imageUrl: string };
    expect(new URL(imageUrl).searchParams.get("username")).toBe("seven");
  });

  it("refuses a 5 MB body with 413, fast, and keeps serving", async () => {
    const token = await auth.token({ fid: 7, domain: domain() });
    const started = performance.now();
    const res = await share(new Uint8Array(5 * 1024 * 1024).fill(32), token);
    expect(res.status).toBe(413);
    expect(performance.now() - started).toBeLessThan(3000);
    expect((await fetch(`${service.url}/healthz`)).status).toBe(200);
  });

  it("rate-limits a burst for one fid while another still mints", async () => {
    const burst = await auth.token({ fid: 70, domain: domain() });
    const { statuses, minted, allowed } = await burstUntilLimited(async () => (await share("{}", burst)).status);
    expect(statuses.at(-1)).toBe(429);
    expect(minted).toBe(statuses.length - 1);
    expect(minted).toBeGreaterThanOrEqual(allowed[0]);
    expect(minted).toBeLessThanOrEqual(allowed[1]);
    expect((await share("{}", await auth.token({ fid: 71, domain: domain() }))).status).toBe(200);
  });
});
