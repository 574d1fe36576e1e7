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
export async function requestShare(user: ShareUser, auth: ShareAuth, template: string, onStep: (step: string) => void = () => {}): Promise<ShareUrls> {
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
  const response = await fetch("/api/share", { method: "POST", headers, body: JSON.stringify(body) });
  if (!response.ok) throw new Error((await response.text()) || `The server answered ${response.status}`);
  return response.json();
}
