import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The SDK's token cache stands in for the host here; the browser tests run the real SDK and host.
const sdk = vi.hoisted(() => ({ quickAuth: { getToken: vi.fn<(o: { quickAuthServerOrigin?: string }) => Promise<{ token: string }>>() } }));
vi.mock("@farcaster/miniapp-sdk", () => ({ sdk, SignIn: { RejectedByUser: class extends Error {} } }));

import { castOutcome, launchEvent, reportEvent } from "./share-client";

const SHARE = "AbCdEfGhIjKlMnOpQrStU_";
const HASH = `0x${"ab".repeat(20)}`;
const fetchMock = vi.fn();
beforeEach(() => {
  fetchMock.mockReset();
  sdk.quickAuth.getToken.mockReset();
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => vi.unstubAllGlobals());

describe("launch reports", () => {
  it("reads ?share= and, from a cast embed, the cast's hash and author (and the older { fid, hash } form)", () => {
    const context = { user: { fid: 21 }, location: { type: "cast_embed", embed: "https://x", cast: { author: { fid: 7 }, hash: HASH, text: "hi" } } };
    expect(launchEvent(`?share=${SHARE}`, context)).toEqual({ type: "launch", share: SHARE, viewerFid: 21, castHash: HASH, castFid: 7 });
    expect(launchEvent(`?share=${SHARE}`, { user: { fid: 21 }, location: { type: "cast_embed", cast: { fid: 8, hash: HASH } } })).toEqual({
      type: "launch",
      share: SHARE,
      viewerFid: 21,
      castHash: HASH,
      castFid: 8,
    });
  });

  it("leaves out what is not a cast embed or not well formed, and says nothing without a share id", () => {
    expect(launchEvent(`?share=${SHARE}`, { user: { fid: 21 }, location: { type: "launcher" } })).toEqual({ type: "launch", share: SHARE, viewerFid: 21 });
    expect(launchEvent(`?share=${SHARE}`, { user: { fid: "21" }, location: { type: "cast_embed", cast: { hash: "0x12", author: { fid: -1 } } } })).toEqual({
      type: "launch",
      share: SHARE,
    });
    expect(launchEvent("", { user: { fid: 21 } })).toBeNull();
    expect(launchEvent("?share=not-an-id", { user: { fid: 21 } })).toBeNull();
    expect(launchEvent(`?share=${SHARE}`, undefined)).toEqual({ type: "launch", share: SHARE });
  });

  it("turns composeCast's answer into a cast or a cancel, and nothing without a recorded share", () => {
    expect(castOutcome(SHARE, { cast: { hash: HASH } })).toEqual({ type: "cast", share: SHARE, hash: HASH });
    expect(castOutcome(SHARE, { cast: null })).toEqual({ type: "cancel", share: SHARE });
    expect(castOutcome(SHARE, undefined)).toBeNull();
    expect(castOutcome(SHARE, { cast: { hash: "0xabc" } })).toBeNull();
    expect(castOutcome(null, { cast: { hash: HASH } })).toBeNull();
  });
});

describe("reportEvent", () => {
  it("posts the event once when the server takes it", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    expect(await reportEvent({ type: "launch", share: SHARE, viewerFid: 3 }, { required: true, origin: "https://auth.example.com" })).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/events");
    expect(JSON.parse(init.body)).toEqual({ type: "launch", share: SHARE, viewerFid: 3 });
    // A launch is the viewer's word: no sign-in asked of them.
    expect(init.headers.authorization).toBeUndefined();
    expect(sdk.quickAuth.getToken).not.toHaveBeenCalled();
  });

  it("sends the sharer's token with a cast when sign-in is on", async () => {
    fetchMock.mockResolvedValue(new Response(null, { status: 204 }));
    sdk.quickAuth.getToken.mockResolvedValue({ token: "tok" });
    await reportEvent({ type: "cast", share: SHARE, hash: HASH }, { required: true, origin: "https://auth.example.com" });
    expect(sdk.quickAuth.getToken).toHaveBeenCalledWith({ quickAuthServerOrigin: "https://auth.example.com" });
    expect(fetchMock.mock.calls[0]![1].headers.authorization).toBe("Bearer tok");
  });

  it("retries once after a network error or a 5xx, then drops the event without throwing", async () => {
    fetchMock.mockRejectedValueOnce(new TypeError("offline")).mockResolvedValueOnce(new Response(null, { status: 204 }));
    expect(await reportEvent({ type: "cancel", share: SHARE }, { required: false, origin: "" }, { retryAfterMs: 1 })).toBe(true);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    fetchMock.mockReset();
    fetchMock.mockResolvedValue(new Response("down", { status: 503 }));
    expect(await reportEvent({ type: "cancel", share: SHARE }, { required: false, origin: "" }, { retryAfterMs: 1 })).toBe(false);
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("does not retry an event the server refused for what it is (4xx)", async () => {
    fetchMock.mockResolvedValue(new Response("Not found", { status: 404 }));
    expect(await reportEvent({ type: "launch", share: SHARE }, { required: false, origin: "" }, { retryAfterMs: 1 })).toBe(false);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });

  it("drops a cast quietly when no token can be had", async () => {
    sdk.quickAuth.getToken.mockRejectedValue(new Error("no"));
    expect(await reportEvent({ type: "cast", share: SHARE, hash: HASH }, { required: true, origin: "https://a.example.com" })).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
