// The Mini App's "tell me" offer and reach view, through the page, with the SDK's host mocked as
// in MiniApp.test.tsx (the browser tests run the real SDK against a real host).
// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

const sdk = vi.hoisted(() => ({
  isInMiniApp: vi.fn<() => Promise<boolean>>(),
  context: Promise.resolve({}) as Promise<unknown>,
  actions: { ready: vi.fn(async () => {}), composeCast: vi.fn(), addMiniApp: vi.fn() },
  quickAuth: { getToken: vi.fn() },
}));
const RejectedByUser = vi.hoisted(() => class RejectedByUser extends Error { override name = "AddMiniApp.RejectedByUser"; });
vi.mock("@farcaster/miniapp-sdk", () => ({ sdk, SignIn: { RejectedByUser }, AddMiniApp: { RejectedByUser } }));

import { forgetLaunch } from "../launch/launch";
import { MiniApp } from "./MiniApp";

const SHARE = { imageUrl: "https://castcard.example.com/api/og?username=alice&v=1", shareUrl: "https://castcard.example.com/share?username=alice&v=1", shareId: "abcdefghijklmnopqrstuv" };
const REACH = {
  totals: { shares: 2, casts: 1, launches: 4, viewers: 3 },
  shares: [
    { share: SHARE.shareId, design: "seed", imageUrl: `${SHARE.imageUrl}&sig=abc`, castHash: "0xabc", launches: 4, viewers: 3, at: 2 },
    // A share recorded before shares kept their card.
    { share: "0123456789abcdefghijkl", design: "poster", imageUrl: null, castHash: null, launches: 0, viewers: 0, at: 1 },
  ],
};
const fetchMock = vi.fn();
const user = { fid: 7, username: "alice", displayName: "Alice", pfpUrl: null };

beforeEach(() => {
  // The launch (the user, the client, where it was opened from) is read once per page load: each test is a new load.
  forgetLaunch();
  sdk.isInMiniApp.mockResolvedValue(true);
  sdk.actions.composeCast.mockReset().mockResolvedValue({ cast: { hash: "0xabc" } });
  sdk.actions.addMiniApp.mockReset();
  fetchMock.mockReset();
  fetchMock.mockImplementation(async (url: string) => new Response(url.startsWith("/api/reach") ? JSON.stringify(REACH) : JSON.stringify(SHARE), { headers: { "content-type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const app = () =>
  render(<MiniApp appName="Acme" samplePreviewUrl="https://castcard.example.com/api/og?v=1" sampleShareUrl="https://castcard.example.com/share?v=1" designs={[{ id: "seed", label: "Seed", samplePreviewUrl: "https://castcard.example.com/api/og?v=1" }]} />);
const castCard = async () => {
  await waitFor(() => expect(screen.getByTestId("greeting")).toBeTruthy());
  fireEvent.click(screen.getByTestId("share"));
  await waitFor(() => expect(screen.getByTestId("status").textContent).toContain("0xabc"));
};

describe("Tell me when people open my card", () => {
  it("is offered after a cast when the app is not added, and adds it", async () => {
    sdk.context = Promise.resolve({ user, client: { clientFid: 9152, added: false } });
    sdk.actions.addMiniApp.mockResolvedValue({ notificationDetails: { url: "https://n.example/x", token: "t" } });
    app();
    expect(screen.queryByTestId("tell-me")).toBeNull();
    await castCard();
    fireEvent.click(await screen.findByTestId("tell-me"));
    await waitFor(() => expect(screen.getByTestId("tell-me-status").textContent).toMatch(/you will hear when people open your card/));
    expect(sdk.actions.addMiniApp).toHaveBeenCalledTimes(1);
    expect(screen.queryByTestId("tell-me")).toBeNull();
  });

  it("says plainly when the user refuses, and the share stays done", async () => {
    sdk.context = Promise.resolve({ user, client: { clientFid: 9152, added: false } });
    sdk.actions.addMiniApp.mockRejectedValue(new RejectedByUser("rejected"));
    app();
    await castCard();
    fireEvent.click(await screen.findByTestId("tell-me"));
    await waitFor(() => expect(screen.getByTestId("tell-me-status").textContent).toBe("Not added: you said no. Your cast is out either way."));
    expect(screen.getByTestId("status").textContent).toContain("0xabc");
  });

  it("is not offered when the app is already added", async () => {
    sdk.context = Promise.resolve({ user, client: { clientFid: 9152, added: true } });
    app();
    await castCard();
    await waitFor(() => expect(screen.getByTestId("reach-panel")).toBeTruthy());
    expect(screen.queryByTestId("tell-me")).toBeNull();
  });
});

describe("opened from a notification", () => {
  it("reports the open and shows the sharer's reach", async () => {
    const notification = { notificationId: `reach:${SHARE.shareId}:1`, title: "Your card brought 1 person", body: "…" };
    sdk.context = Promise.resolve({ user, client: { clientFid: 9152, added: true }, location: { type: "notification", notification } });
    app();
    await waitFor(() => expect(screen.getByTestId("reach").textContent).toContain("Your cards brought 3 people"));
    const [first, second] = screen.getAllByTestId("reach-share");
    expect(first!.textContent).toContain("3 people · 4 opens");
    // Each share with its card: sized before it loads, loaded when scrolled to, named for its design.
    const card = first!.querySelector("img")!;
    expect(card.getAttribute("src")).toBe(`${SHARE.imageUrl}&sig=abc`);
    expect([card.getAttribute("width"), card.getAttribute("height"), card.getAttribute("loading")]).toEqual(["132", "88", "lazy"]);
    expect(card.getAttribute("alt")).toBe("Your seed card");
    // No card kept: a placeholder of the same size, no broken image.
    expect(second!.textContent).toContain("poster card · 0 people · 0 opens");
    expect(second!.querySelector("img")).toBeNull();
    expect(second!.querySelector(".reach-card")).not.toBeNull();
    const open = fetchMock.mock.calls.find(([url, init]) => url === "/api/reach" && init?.method === "POST");
    expect(JSON.parse(open![1].body)).toEqual({ notificationId: notification.notificationId });
    expect(fetchMock.mock.calls.some(([url]) => url === "/api/reach?fid=7")).toBe(true);
  });
});
