// Shared between the test (Node) and the host page (browser): how a test configures the host and
// what the host reports back.

/** How the host's cast composer answers `composeCast`. */
export type ComposeMode = "publish" | "cancel" | "throw";

/**
 * How the host answers `signIn`: as a client whose user is `fid` (a Sign In With Farcaster message
 * for the app's domain, signed by the user's key), by refusing as a user who declines, or, when
 * absent, as a client that does not offer sign-in at all.
 */
export type SignInMode = { fid: number; /** Sign for this domain instead of the app's. */ domain?: string } | "reject";

export interface HostConfig {
  /** The Mini App's URL, loaded into the iframe. */
  appUrl: string;
  /** The `user` of the context; `fid` may be left out to play a client that sends none. */
  user: { fid?: number; username?: string; displayName?: string; pfpUrl?: string };
  compose: ComposeMode;
  signIn?: SignInMode;
  /** `context.location`: how the app was opened; default `{ type: "launcher" }`. */
  location?: Record<string, unknown>;
  /** `context.client.added`: the app is already in this client. Default false. */
  added?: boolean;
  /**
   * How the host answers `addMiniApp`: by POSTing to this client back end, which sends the signed
   * `miniapp_added` to the app's webhook as a client's server does and answers the
   * `notificationDetails`. Absent: the host declines to add.
   */
  addEndpoint?: string;
}

export interface RecordedCall {
  method: string;
  args: unknown[];
  /** Milliseconds since the host page started loading. */
  at: number;
}

/** What the host page puts on `window` for the test to drive and read. */
export interface HostHandle {
  calls: RecordedCall[];
  setCompose(mode: ComposeMode): void;
  setSignIn(mode: SignInMode): void;
}

export const HOST_ERROR_MESSAGE = "The composer could not open";
/** The hash the host answers a published cast with. */
export const PUBLISHED_HASH = "0x6d2c9a9e8f2b4b1f2a0c3e5d7f9a1b3c5d7e9f01";

export function configFromSearch(search: string): HostConfig {
  const raw = new URLSearchParams(search).get("config");
  if (!raw) throw new Error("the host page needs ?config=");
  return JSON.parse(raw) as HostConfig;
}

export function hostPath(config: HostConfig): string {
  return `/?config=${encodeURIComponent(JSON.stringify(config))}`;
}
