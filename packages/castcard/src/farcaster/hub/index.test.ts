import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHubServer, userDataMessages, type HubServer } from "../../../../../tests/support/hub-server";
import { createHubClient, profileFromMessages } from "./index";

let hub: HubServer;
beforeAll(async () => {
  hub = await startHubServer(
    {
      7: { username: "seven", displayName: "Seven of Nine", pfpUrl: "https://i.example.com/7.png", bio: "hi" },
      8: { username: "eight" },
    },
    { apiKey: "hub-key" },
  );
});
afterAll(() => hub?.close());

// A hub that answers is waited for (a busy machine can take a while over the first request);
// only the cases about the deadline set a short one.
const client = (more: Partial<Parameters<typeof createHubClient>[0]> = {}) =>
  createHubClient({ url: hub.url, apiKey: "hub-key", timeoutMs: 10_000, ...more });
const requestsFor = (fid: number) => hub.requests.filter((r) => r.fid === String(fid)).length;

describe("hub client", () => {
  it("reads a fid's username, display name and picture, sending the API key", async () => {
    hub.setMode({ kind: "up" });
    expect(await client().profile(7)).toEqual({
      ok: true,
      profile: { username: "seven", displayName: "Seven of Nine", pfpUrl: "https://i.example.com/7.png" },
    });
    expect(hub.requests.at(-1)!.apiKey).toBe("hub-key");
  });

  it("gives null for fields the fid never set", async () => {
    hub.setMode({ kind: "up" });
    expect(await client().profile(8)).toEqual({ ok: true, profile: { username: "eight", displayName: null, pfpUrl: null } });
    expect(await client().profile(999)).toEqual({ ok: true, profile: { username: null, displayName: null, pfpUrl: null } });
  });

  it("keeps the latest value of each field, and ignores other fids' and other types' messages", () => {
    const answer = userDataMessages(5, { username: "new" }, { username: "old", displayName: "Old Name" });
    answer.messages.push({ ...answer.messages[0]!, data: { ...answer.messages[0]!.data, fid: 6, userDataBody: { type: "USER_DATA_TYPE_USERNAME", value: "other" }, timestamp: 2e9 } });
    expect(profileFromMessages(5, answer)).toEqual({ username: "new", displayName: "Old Name", pfpUrl: null });
  });

  it("caches answers: a second lookup does not ask the hub", async () => {
    hub.setMode({ kind: "up" });
    const c = client();
    const before = requestsFor(7);
    await c.profile(7);
    await c.profile(7);
    expect(requestsFor(7) - before).toBe(1);
  });

  it("sends one request per fid while one is in flight", async () => {
    hub.setMode({ kind: "slow", ms: 200 });
    const c = client();
    const before = requestsFor(7);
    const results = await Promise.all(Array.from({ length: 10 }, () => c.profile(7)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(requestsFor(7) - before).toBe(1);
  });

  it.each([
    ["answers 500", { kind: "error" } as const, "hub-status-500"],
    ["never answers", { kind: "hang" } as const, "hub-timeout"],
    ["answers later than the deadline", { kind: "slow", ms: 1500 } as const, "hub-timeout"],
    ["answers HTML", { kind: "garbage" } as const, "hub-not-json"],
  ])("fails with a retry time when the hub %s, and remembers the failure briefly", async (_label, mode, reason) => {
    hub.setMode(mode);
    const c = client({ failureTtlMs: 30_000, ...(reason === "hub-timeout" ? { timeoutMs: 500 } : {}) });
    expect(await c.profile(7)).toEqual({ ok: false, reason, retryAfterSeconds: 30 });
    hub.setMode({ kind: "up" });
    const before = requestsFor(7);
    expect((await c.profile(7)).ok).toBe(false);
    expect(requestsFor(7) - before).toBe(0);
  });

  it("asks again once a failure has expired", async () => {
    hub.setMode({ kind: "error" });
    const c = client({ failureTtlMs: 50 });
    expect((await c.profile(7)).ok).toBe(false);
    hub.setMode({ kind: "up" });
    await new Promise((r) => setTimeout(r, 80));
    expect((await c.profile(7)).ok).toBe(true);
  });

  it("fails without the API key the hub wants, and when the hub is down", async () => {
    hub.setMode({ kind: "up" });
    expect(await createHubClient({ url: hub.url }).profile(7)).toMatchObject({ ok: false, reason: "hub-status-401" });
    const down = await startHubServer({});
    await down.close();
    expect(await createHubClient({ url: down.url }).profile(7)).toMatchObject({ ok: false, reason: "hub-unreachable" });
  });

  it("stops reading an answer past the size cap", async () => {
    hub.setMode({ kind: "up" });
    expect(await client({ maxBytes: 100 }).profile(7)).toMatchObject({ ok: false, reason: "hub-too-large" });
  });
});
