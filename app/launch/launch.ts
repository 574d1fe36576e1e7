import { sdk } from "@farcaster/miniapp-sdk";
import { requestShare, type ShareAuth, type ShareUser } from "../components/share-client";

// What the page does the moment it arrives, before React and its runtime have even downloaded:
// learn whether it runs in a client and who the user is, start minting their card, and call
// `ready()`. The server-painted screen (heading, a card-sized placeholder) is what the client shows
// when its splash lifts; React then fills in the greeting and the card without moving anything.
// This module runs twice over: in the small script the page inlines (entry.ts), which starts the
// launch, and in the React bundle, which picks it up; they share one state on the window.

export type Launch =
  | { kind: "standalone" }
  | { kind: "in-client"; user: ShareUser; context: unknown; ready: Promise<void> };

/** What the server rendered for the first card: the design it shows first and whether minting needs sign-in. */
export interface FirstCard {
  design: string;
  signIn: boolean;
}

/** The attribute the page's `<main>` carries for {@link FirstCard}, so the first mint need not wait for React. */
export const FIRST_DESIGN_ATTRIBUTE = "data-first-design";

interface LaunchState {
  launched?: Promise<Launch>;
  previews: Map<string, Promise<string>>;
  // Images being fetched ahead of the <img> that shows them (kept so they are not collected mid-load).
  preloading: Set<HTMLImageElement>;
}
const STATE = Symbol.for("miniapp.first-screen.launch");

function state(): LaunchState {
  const slot = globalThis as { [STATE]?: LaunchState };
  return (slot[STATE] ??= { previews: new Map(), preloading: new Set() });
}

/** Once per page load: in a client or not, the user, and `ready()` sent (the mint of the first card already under way). */
export function launch(): Promise<Launch> {
  const s = state();
  return (s.launched ??= start());
}

async function start(): Promise<Launch> {
  if (!(await sdk.isInMiniApp())) return { kind: "standalone" };
  // Hide the host's splash now: the screen under it is already painted, and holds its layout.
  const ready = sdk.actions.ready();
  ready.catch(() => undefined); // the page reports a failure when it awaits this
  const context = await sdk.context;
  const u = context?.user;
  const user: ShareUser = {
    fid: typeof u?.fid === "number" && u.fid > 0 ? u.fid : null,
    username: u?.username ?? null,
    displayName: u?.displayName ?? null,
    pfpUrl: u?.pfpUrl ?? null,
  };
  const first = firstCard();
  if (first && user.fid && !first.signIn) void preview(user, { required: false, origin: "" }, first.design).catch(() => undefined);
  return { kind: "in-client", user, context, ready };
}

function firstCard(): FirstCard | null {
  const main = typeof document === "undefined" ? null : document.querySelector(`[${FIRST_DESIGN_ATTRIBUTE}]`);
  const design = main?.getAttribute(FIRST_DESIGN_ATTRIBUTE);
  return design ? { design, signIn: main!.getAttribute("data-sign-in") === "required" } : null;
}

/**
 * The user's card in a design, minted once per page load (the launch's mint and the page's effect
 * share it), and fetched by the browser as soon as its URL is known, before any <img> asks for it.
 */
export function preview(user: ShareUser, auth: ShareAuth, design: string): Promise<string> {
  const key = JSON.stringify([user, auth.required, design]);
  const { previews } = state();
  let minted = previews.get(key);
  if (!minted) {
    minted = requestShare(user, auth, design, undefined, { preview: true }).then(({ imageUrl }) => (preload(imageUrl), imageUrl));
    // A failed mint is tried again the next time it is asked for.
    minted.catch(() => previews.delete(key));
    previews.set(key, minted);
  }
  return minted;
}

function preload(url: string) {
  if (typeof Image === "undefined") return;
  const { preloading } = state();
  const image = new Image();
  image.fetchPriority = "high";
  const done = () => preloading.delete(image);
  image.onload = image.onerror = done;
  preloading.add(image);
  image.src = url;
}

/** Forgets this page load's launch and minted cards: for tests that mount the page again. */
export function forgetLaunch() {
  delete (globalThis as { [STATE]?: LaunchState })[STATE];
}

/** Starts the launch inside a client's frame or webview; never during server rendering, nor in a plain tab. */
export function launchInClient() {
  if (typeof window !== "undefined" && (window.parent !== window || "ReactNativeWebView" in window)) void launch().catch(() => undefined);
}

// The React bundle starts it too, should the inline script be missing: whichever runs first starts it.
launchInClient();
