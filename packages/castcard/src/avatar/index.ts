import { AVATAR_SIZE } from "../card/index";
import { FetchRefused, guardedFetch, type GuardedFetchOptions } from "./guarded-fetch/index";
import { IMAGE_CONTENT_TYPES, normaliseAvatar } from "./image/index";

export { hostAllowed, isPublicAddress, blockedRange } from "./address/index";
export { FetchRefused } from "./guarded-fetch/index";

export interface AvatarPolicy {
  /** Test-only: allow http, any port and loopback/private hosts. */
  allowPrivate: boolean;
  /** Optional allowlist: exact host names or `*.suffix`. */
  hosts: string[] | null;
}

/**
 * Injection points for tests (a resolver, a trusted CA, extra ports, a network shim).
 * Production passes none of them and gets the strict defaults.
 */
export type AvatarNetworkOptions = Pick<GuardedFetchOptions, "resolve" | "ports" | "ca" | "dial">;

export const AVATAR_LIMITS = {
  timeoutMs: 3000,
  maxBytes: 5 * 1024 * 1024,
  maxRedirects: 3,
  maxSide: 4096,
  maxPixels: 4096 * 4096,
  /** Normalised avatars are drawn at 240 px; 2× keeps them sharp on dense screens. */
  outputSize: AVATAR_SIZE * 2,
} as const;

export type AvatarResult = { ok: true; png: Buffer } | { ok: false; reason: string };
export type AvatarFetcher = (url: string) => Promise<AvatarResult>;

const CONTENT_TYPES = new Set(Object.keys(IMAGE_CONTENT_TYPES));

/** The only code that fetches avatars. Never throws: every failure is a reason for the fallback. */
export function createAvatarFetcher(policy: AvatarPolicy, network: AvatarNetworkOptions = {}): AvatarFetcher {
  const options: GuardedFetchOptions = {
    ...network,
    allowPrivate: policy.allowPrivate,
    hosts: policy.hosts,
    timeoutMs: AVATAR_LIMITS.timeoutMs,
    maxBytes: AVATAR_LIMITS.maxBytes,
    maxRedirects: AVATAR_LIMITS.maxRedirects,
    contentTypes: CONTENT_TYPES,
  };
  return async (url) => {
    try {
      const fetched = await guardedFetch(url, options);
      return { ok: true, png: await normaliseAvatar(fetched.body, fetched.contentType, AVATAR_LIMITS) };
    } catch (error) {
      return { ok: false, reason: error instanceof FetchRefused ? error.reason : "fetch-failed" };
    }
  };
}
