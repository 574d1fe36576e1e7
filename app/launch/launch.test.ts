// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

// The launch with the SDK's host replaced by a mock (tests/browser runs the real SDK in a real host).
const sdk = vi.hoisted(() => ({
  isInMiniApp: vi.fn<() => Promise<boolean>>(),
  context: Promise.resolve({}) as Promise<unknown>,
  actions: { ready: vi.fn<() => Promise<void>>() },
  quickAuth: { getToken: vi.fn() },
}));
vi.mock("@farcaster/miniapp-sdk", () => ({ sdk, SignIn: { RejectedByUser: class extends Error {} } }));

import { forgetLaunch, launch, preview } from "./launch";

const IMAGE = "https://castcard.example.com/api/og?username=alice&fid=7&v=1&template=member";
const fetchMock = vi.fn();
const preloaded: string[] = [];

beforeEach(() => {
  forgetLaunch();
  sdk.isInMiniApp.mockResolvedValue(true);
  sdk.context = Promise.resolve({ user: { fid: 7, username: "alice", displayName: "Alice", pfpUrl: "https://i.example.com/a.png" } });
  // A host that never answers ready(): the launch must not wait for it.
  sdk.actions.ready.mockReset().mockReturnValue(new Promise(() => {}));
  fetchMock.mockReset().mockImplementation(async () => new Response(JSON.stringify({ imageUrl: IMAGE, shareUrl: "https://castcard.example.com/share" })));
  vi.stubGlobal("fetch", fetchMock);
  preloaded.length = 0;
  vi.stubGlobal(
    "Image",
    class {
      fetchPriority = "";
      onload: (() => void) | null = null;
      onerror: (() => void) | null = null;
      set src(url: string) {
        preloaded.push(url);
      }
    },
  );
  document.body.innerHTML = '<main data-first-design="member"></main>';
});
afterEach(() => vi.unstubAllGlobals());

describe("launch", () => {
  it("calls ready() and mints the first design's card at once, neither waiting for the other", async () => {
    const launched = await launch();
    expect(launched.kind).toBe("in-client");
    expect(sdk.actions.ready).toHaveBeenCalledTimes(1);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe("/api/share");
    expect(JSON.parse(init.body)).toMatchObject({ fid: 7, username: "alice", template: "member", preview: true });
  });

  it("fetches the card as soon as its URL is known, and the page's preview reuses that mint", async () => {
    await launch();
    await vi.waitFor(() => expect(preloaded).toEqual([IMAGE]));
    const user = { fid: 7, username: "alice", displayName: "Alice", pfpUrl: "https://i.example.com/a.png" };
    await expect(preview(user, { required: false, origin: "" }, "member")).resolves.toBe(IMAGE);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    // Another design is a mint of its own.
    await preview(user, { required: false, origin: "" }, "seed");
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("is started once per page load, however often it is asked", async () => {
    await Promise.all([launch(), launch(), launch()]);
    expect(sdk.actions.ready).toHaveBeenCalledTimes(1);
  });

  it("mints nothing on launch when minting needs sign-in, nor without a fid", async () => {
    document.body.innerHTML = '<main data-first-design="seed" data-sign-in="required"></main>';
    await launch();
    forgetLaunch();
    document.body.innerHTML = '<main data-first-design="seed"></main>';
    sdk.context = Promise.resolve({ user: { username: "ghost" } });
    await launch();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(sdk.actions.ready).toHaveBeenCalledTimes(2);
  });

  it("outside a client: standalone, and no ready()", async () => {
    sdk.isInMiniApp.mockResolvedValue(false);
    await expect(launch()).resolves.toEqual({ kind: "standalone" });
    expect(sdk.actions.ready).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it("a failed mint is tried again the next time it is asked for", async () => {
    fetchMock.mockImplementationOnce(async () => new Response("busy", { status: 503 }));
    await launch();
    const user = { fid: 7, username: "alice", displayName: "Alice", pfpUrl: "https://i.example.com/a.png" };
    // Asked again (as the page's effect does) once the launch's mint has failed: a new mint, which works.
    await vi.waitFor(async () => expect(await preview(user, { required: false, origin: "" }, "member")).toBe(IMAGE));
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });
});
