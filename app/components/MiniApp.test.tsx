// Long on purpose: the Mini App page with the real SDK, case by case (context, preview, sign-in,
// share, reporting), sharing one render helper.
// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { cleanup, fireEvent, render, screen, waitFor } from "@testing-library/react";

// The real SDK talks to a host over postMessage; here the host is replaced by a mock. The
// browser tests (tests/browser) run the real SDK against a real host.
const sdk = vi.hoisted(() => ({
  isInMiniApp: vi.fn<() => Promise<boolean>>(),
  context: Promise.resolve({}) as Promise<unknown>,
  actions: { ready: vi.fn(async () => {}), composeCast: vi.fn() },
  quickAuth: { getToken: vi.fn<(options: { quickAuthServerOrigin?: string }) => Promise<{ token: string }>>() },
}));
// SignIn.RejectedByUser is what the SDK throws when the user declines to sign in.
const RejectedByUser = vi.hoisted(() => class RejectedByUser extends Error { override name = "SignIn.RejectedByUser"; });
vi.mock("@farcaster/miniapp-sdk", () => ({ sdk, SignIn: { RejectedByUser } }));

import { forgetLaunch } from "../launch/launch";
import { CAST_TEXT, MiniApp } from "./MiniApp";

const SHARE = { imageUrl: "https://castcard.example.com/api/og?username=alice&v=1", shareUrl: "https://castcard.example.com/share?username=alice&v=1" };
const fetchMock = vi.fn();

beforeEach(() => {
  // Each case is a new page load.
  forgetLaunch();
  sdk.isInMiniApp.mockResolvedValue(true);
  sdk.context = Promise.resolve({ user: { fid: 7, username: "alice", displayName: "Alice 🌸", pfpUrl: "https://i.example.com/a.png" } });
  sdk.actions.ready.mockClear();
  sdk.actions.composeCast.mockReset();
  sdk.quickAuth.getToken.mockReset();
  fetchMock.mockReset();
  fetchMock.mockImplementation(async () => new Response(JSON.stringify(SHARE), { headers: { "content-type": "application/json" } }));
  vi.stubGlobal("fetch", fetchMock);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const SAMPLE_SHARE = "https://castcard.example.com/share?username=castcard&v=1";
const DESIGNS = [
  { id: "seed", label: "Seed", samplePreviewUrl: "https://castcard.example.com/api/og?username=castcard&v=1" },
  { id: "member", label: "Member", samplePreviewUrl: "https://castcard.example.com/api/og?username=castcard&fid=1&v=1&template=member" },
];
const app = (auth?: { required: boolean; origin: string }) =>
  render(
    <MiniApp
      appName="Castcard"
      samplePreviewUrl="https://castcard.example.com/api/og?username=castcard&v=1"
      sampleShareUrl={SAMPLE_SHARE}
      designs={DESIGNS}
      auth={auth}
    />,
  );
const button = () => screen.getByTestId("share") as HTMLButtonElement;

describe("MiniApp share button", () => {
  it("calls ready(), then composes a cast embedding the share page (not the raw image)", async () => {
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: "0xabc123" } });
    app();
    await waitFor(() => expect(sdk.actions.ready).toHaveBeenCalledTimes(1));
    // ready() is called as the greeting's render is scheduled, not after it: wait for the greeting.
    await waitFor(() => expect(screen.getByTestId("greeting").textContent).toContain("Alice 🌸"));
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toContain("0xabc123"));
    expect(sdk.actions.composeCast).toHaveBeenCalledTimes(1);
    expect(sdk.actions.composeCast).toHaveBeenCalledWith({ text: CAST_TEXT, embeds: [SHARE.shareUrl] });
    const [url, init] = fetchMock.mock.calls.at(-1)!;
    expect(url).toBe("/api/share");
    expect(JSON.parse(init.body)).toEqual({ fid: 7, username: "alice", displayName: "Alice 🌸", pfpUrl: "https://i.example.com/a.png", template: "seed" });
  });

  it("picks a design: the preview is minted again in it, and the share uses it", async () => {
    fetchMock.mockImplementation(async (_url: string, init: RequestInit) => {
      const { template } = JSON.parse(String(init.body)) as { template: string };
      const q = `username=alice&v=1&template=${template}`;
      return new Response(JSON.stringify({ imageUrl: `https://castcard.example.com/api/og?${q}`, shareUrl: `https://castcard.example.com/share?${q}` }));
    });
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: "0x2" } });
    app();
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toContain("template=seed"));
    fireEvent.click(screen.getByTestId("design-member"));
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toContain("template=member"));
    fireEvent.click(button());
    await waitFor(() => expect(sdk.actions.composeCast).toHaveBeenCalledTimes(1));
    expect(sdk.actions.composeCast.mock.calls[0]![0].embeds[0]).toContain("template=member");
  });

  it("shows progress while working and can't be pressed twice", async () => {
    let finish!: (value: unknown) => void;
    sdk.actions.composeCast.mockReturnValue(new Promise((resolve) => (finish = resolve)));
    app();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(button().textContent).toMatch(/Opening the cast composer/));
    expect(button().disabled).toBe(true);
    finish({ cast: { hash: "0x1" } });
    await waitFor(() => expect(button().disabled).toBe(false));
  });

  it("says 'cancelled' when the user closes the composer, and works again", async () => {
    sdk.actions.composeCast.mockResolvedValue({ cast: null });
    app();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toMatch(/cancelled/i));
    expect(button().disabled).toBe(false);
  });

  it("shows the error when composing fails, and works again", async () => {
    sdk.actions.composeCast.mockRejectedValue(new Error("host said no"));
    app();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toContain("host said no"));
    expect(screen.getByTestId("status").dataset.kind).toBe("error");
    expect(button().disabled).toBe(false);
  });

  it("is disabled, and says why, without a user fid", async () => {
    sdk.context = Promise.resolve({ user: { username: "ghost" } });
    app();
    await waitFor(() => expect(screen.getByTestId("no-fid")).toBeTruthy());
    expect(button().disabled).toBe(true);
    fireEvent.click(button());
    expect(sdk.actions.composeCast).not.toHaveBeenCalled();
  });

  it("outside a Farcaster client, explains how to open it and shows a sample card, without a button", async () => {
    sdk.isInMiniApp.mockResolvedValue(false);
    app();
    await waitFor(() => expect(screen.getByTestId("standalone")).toBeTruthy());
    expect(screen.getByTestId("standalone").textContent).toMatch(/Farcaster client/);
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toContain("username=castcard"));
    expect(screen.queryByTestId("share")).toBeNull();
    expect(sdk.actions.ready).not.toHaveBeenCalled();
  });

  it("outside a client, Copy link puts the sample share page on the clipboard and says so", async () => {
    sdk.isInMiniApp.mockResolvedValue(false);
    const writeText = vi.fn(async (_text: string) => {});
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText } });
    app();
    fireEvent.click(await screen.findByTestId("copy-link"));
    await waitFor(() => expect(screen.getByTestId("copy-link").textContent).toBe("Link copied"));
    expect(writeText).toHaveBeenCalledWith(SAMPLE_SHARE);
  });

  it("shows the link to copy by hand when the clipboard is refused", async () => {
    sdk.isInMiniApp.mockResolvedValue(false);
    vi.stubGlobal("navigator", { ...navigator, clipboard: { writeText: async () => Promise.reject(new Error("denied")) } });
    app();
    fireEvent.click(await screen.findByTestId("copy-link"));
    await waitFor(() => expect(screen.getByTestId("copy-fallback").textContent).toBe(SAMPLE_SHARE));
    expect(screen.getByTestId("copy-status").textContent).toMatch(/Could not reach the clipboard/);
  });
});

describe("MiniApp with sign-in required", () => {
  const AUTH = { required: true, origin: "https://auth.castcard.test" };
  const signedApp = () => app(AUTH);

  it("does not ask for sign-in on launch; the button signs in through the SDK and sends the token", async () => {
    let signedIn!: (value: { token: string }) => void;
    sdk.quickAuth.getToken.mockReturnValue(new Promise((resolve) => (signedIn = resolve)));
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: "0xabc" } });
    signedApp();
    await waitFor(() => expect(button().disabled).toBe(false));
    // The preview is set by an effect of the render that enabled the button, so it can come a
    // moment later (the preview is still aria-busy): wait for it, then check launch asked nothing.
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toContain("username=castcard"));
    expect(sdk.quickAuth.getToken).not.toHaveBeenCalled();
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.click(button());
    await waitFor(() => expect(button().textContent).toBe("Signing you in…"));
    expect(sdk.quickAuth.getToken).toHaveBeenCalledWith({ quickAuthServerOrigin: AUTH.origin });
    signedIn({ token: "header.payload.signature" });
    await waitFor(() => expect(screen.getByTestId("status").textContent).toContain("0xabc"));
    const [, init] = fetchMock.mock.calls.at(-1)!;
    expect(new Headers(init.headers).get("authorization")).toBe("Bearer header.payload.signature");
  });

  it("before sign-in the picker shows each design's sample card; after it, the user's own card in the picked design", async () => {
    sdk.quickAuth.getToken.mockResolvedValue({ token: "t" });
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: "0x3" } });
    fetchMock.mockImplementation(async (_url: string, init: RequestInit) => {
      const { template } = JSON.parse(String(init.body)) as { template: string };
      const q = `username=alice&v=1&template=${template}&sig=x`;
      return new Response(JSON.stringify({ imageUrl: `https://castcard.example.com/api/og?${q}`, shareUrl: `https://castcard.example.com/share?${q}` }));
    });
    signedApp();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(screen.getByTestId("design-member"));
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toBe(DESIGNS[1]!.samplePreviewUrl));
    expect(fetchMock).not.toHaveBeenCalled();
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toContain("0x3"));
    fireEvent.click(screen.getByTestId("design-seed"));
    await waitFor(() => expect((screen.getByTestId("preview") as HTMLImageElement).src).toContain("username=alice&v=1&template=seed"));
    expect(new Headers(fetchMock.mock.calls.at(-1)![1].headers).get("authorization")).toBe("Bearer t");
  });

  it("says 'cancelled' when the user declines to sign in, and the button works again", async () => {
    sdk.quickAuth.getToken.mockRejectedValue(new RejectedByUser());
    signedApp();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe("Sign-in cancelled. You can try again whenever you like."));
    expect(button().disabled).toBe(false);
    expect(fetchMock).not.toHaveBeenCalled();
    expect(sdk.actions.composeCast).not.toHaveBeenCalled();
  });
});

describe("MiniApp reporting", () => {
  const SHARE_ID = "AbCdEfGhIjKlMnOpQrStU_";
  const HASH = `0x${"cd".repeat(20)}`;
  const withShareId = () =>
    fetchMock.mockImplementation(async (url: string) =>
      url === "/api/events" ? new Response(null, { status: 204 }) : new Response(JSON.stringify({ ...SHARE, shareId: SHARE_ID })),
    );
  const events = () => fetchMock.mock.calls.filter(([url]) => url === "/api/events").map(([, init]) => JSON.parse(init.body));

  it("marks the live preview's mint as a preview, and reports the cast with its hash after composeCast", async () => {
    withShareId();
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: HASH } });
    app();
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    expect(JSON.parse(fetchMock.mock.calls[0]![1].body).preview).toBe(true);
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(events()).toEqual([{ type: "cast", share: SHARE_ID, hash: HASH }]));
    expect(screen.getByTestId("status").textContent).toContain(HASH);
  });

  it("reports a cancel when the composer is closed without casting", async () => {
    withShareId();
    sdk.actions.composeCast.mockResolvedValue({ cast: null });
    app();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(events()).toEqual([{ type: "cancel", share: SHARE_ID }]));
  });

  it("shows the cast even when the report fails", async () => {
    fetchMock.mockImplementation(async (url: string) => {
      if (url === "/api/events") throw new TypeError("offline");
      return new Response(JSON.stringify({ ...SHARE, shareId: SHARE_ID }));
    });
    sdk.actions.composeCast.mockResolvedValue({ cast: { hash: HASH } });
    app();
    await waitFor(() => expect(button().disabled).toBe(false));
    fireEvent.click(button());
    await waitFor(() => expect(screen.getByTestId("status").textContent).toBe(`Cast published: ${HASH}`));
    expect(screen.getByTestId("status").getAttribute("data-kind")).toBe("success");
  });
});

