import { sdk, SignIn } from "@farcaster/miniapp-sdk";

/** Whether the server wants a signed-in user for POST /api/share, and which Quick Auth server to ask. */
export interface ShareAuth {
  required: boolean;
  /** QUICK_AUTH_ORIGIN: passed to the SDK as `quickAuthServerOrigin`. */
  origin: string;
}

export interface ShareUser {
  fid: number | null;
  username: string | null;
  displayName: string | null;
  pfpUrl: string | null;
}

export interface ShareUrls {
  imageUrl: string;
  shareUrl: string;
  /** The recorded share (analytics on and the store reachable); the events below name it. */
  shareId?: string | null;
}

/** The user declined to sign in: not an error, they can press the button again. */
export class SignInCancelled extends Error {
  override name = "SignInCancelled";
  constructor() {
    super("Sign-in cancelled");
  }
}

const rejected = (error: unknown) =>
  error instanceof SignIn.RejectedByUser || (error instanceof Error && error.name === "SignIn.RejectedByUser");

/**
 * Asks the server for this user's card URLs in a design (`template`). When the server requires sign-in, gets a Quick Auth
 * token through the host first (the host may ask the user) and sends it as a Bearer token; the
 * server then takes the fid from the token, and the names from a hub when it has one.
 */
export async function requestShare(
  user: ShareUser,
  auth: ShareAuth,
  template: string,
  onStep: (step: string) => void = () => {},
  { preview = false }: { preview?: boolean } = {},
): Promise<ShareUrls> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.required) {
    onStep("Signing you in…");
    let token: string;
    try {
      ({ token } = await sdk.quickAuth.getToken({ quickAuthServerOrigin: auth.origin }));
    } catch (error) {
      if (rejected(error)) throw new SignInCancelled();
      throw new Error("Sign-in failed. Please try again.");
    }
    headers.authorization = `Bearer ${token}`;
    onStep("Preparing your card…");
  }
  const body: Record<string, unknown> = { fid: user.fid, username: user.username, pfpUrl: user.pfpUrl, template };
  if (user.displayName) body.displayName = user.displayName;
  // The live preview mints the card too, but is not a share: the server records none for it.
  if (preview) body.preview = true;
  const response = await fetch("/api/share", { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error((await response.text()) || `The server answered ${response.status}`);
  return response.json();
}

/** What the app tells the server about a share (POST /api/events). */
export type ShareEvent =
  | { type: "cast"; share: string; hash: string }
  | { type: "cancel"; share: string }
  | { type: "launch"; share: string; viewerFid?: number; castHash?: string; castFid?: number };

const SHARE_ID = /^[A-Za-z0-9_-]{22}$/;
const CAST_HASH = /^0x[0-9a-fA-F]{40}$/;
const isFid = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v > 0;
const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The event for what `composeCast` answered: the cast's hash, or a cancel (`cast: null`). Null when there is nothing to say. */
export function castOutcome(shareId: string | null | undefined, result: { cast?: { hash?: unknown } | null } | undefined): ShareEvent | null {
  if (!shareId || !SHARE_ID.test(shareId) || !result) return null;
  if (result.cast === null) return { type: "cancel", share: shareId };
  const hash = result.cast?.hash;
  return typeof hash === "string" && CAST_HASH.test(hash) ? { type: "cast", share: shareId, hash } : null;
}

/**
 * The launch to report when the app was opened from a share (`?share=<id>` in its URL, which the
 * embed's button carries): the viewer's fid and, opened from a cast's embed, that cast's hash and
 * author. All of it is the client's word. Parsed defensively: older clients send `cast: { fid, hash }`.
 */
export function launchEvent(search: string, context: unknown): ShareEvent | null {
  const share = new URLSearchParams(search).get("share");
  if (!share || !SHARE_ID.test(share)) return null;
  const ctx = (context ?? {}) as { user?: { fid?: unknown }; location?: { type?: unknown; cast?: { hash?: unknown; fid?: unknown; author?: { fid?: unknown } } } };
  const event: ShareEvent = { type: "launch", share };
  if (isFid(ctx.user?.fid)) event.viewerFid = ctx.user.fid;
  if (ctx.location?.type === "cast_embed") {
    const cast = ctx.location.cast;
    if (typeof cast?.hash === "string" && CAST_HASH.test(cast.hash)) event.castHash = cast.hash;
    const author = cast?.author?.fid ?? cast?.fid;
    if (isFid(author)) event.castFid = author;
  }
  return event;
}

/**
 * Sends an event in the background: never throws and never holds the caller. A network failure,
 * a 5xx or a 429 is retried once after a short pause; then the event is dropped, quietly. A cast
 * or cancel carries the Quick Auth token when the server wants sign-in (the SDK keeps the one it
 * got for minting, so this asks the user nothing new).
 */
export async function reportEvent(event: ShareEvent, auth: ShareAuth, { retryAfterMs = 1500 }: { retryAfterMs?: number } = {}): Promise<boolean> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (auth.required && event.type !== "launch") {
    try {
      headers.authorization = `Bearer ${(await sdk.quickAuth.getToken({ quickAuthServerOrigin: auth.origin })).token}`;
    } catch {
      return false;
    }
  }
  for (let attempt = 0; attempt < 2; attempt++) {
    if (attempt > 0) await wait(retryAfterMs);
    try {
      const response = await fetch("/api/events", { method: "POST", headers, body: JSON.stringify(event), keepalive: true });
      if (response.ok) return true;
      if (response.status < 500 && response.status !== 429) return false;
    } catch {
      // offline or the server unreachable: try once more
    }
  }
  return false;
}
