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
  /** Bounds of the square side a fetcher is asked for (a design's `avatarSize`). */
  minSize: 16,
  maxSize: 1024,
} as const;

/**
 * `png`: the picture as encoded image bytes (PNG, JPEG or WebP), best as a `size`×`size` square.
 * The built-in fetcher hands back an uncompressed PNG of exactly that size: the renderer then
 * copies the pixels instead of decoding or scaling them.
 */
export type AvatarResult = { ok: true; png: Buffer } | { ok: false; reason: string };
/**
 * Fetches and normalises one avatar. `size` is the side, in px, of the square the card draws it
 * in; a fetcher of your own may ignore it (the renderer scales whatever it gets).
 */
export type AvatarFetcher = (url: string, size: number) => Promise<AvatarResult>;

/** A design's avatar size as a fetcher is asked for it: a whole number of px within the limits. */
export function avatarRequestSize(size: number): number {
  const whole = Number.isFinite(size) ? Math.round(size) : AVATAR_LIMITS.maxSize;
  return Math.min(AVATAR_LIMITS.maxSize, Math.max(AVATAR_LIMITS.minSize, whole));
}

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
  return async (url, size) => {
    try {
      const fetched = await guardedFetch(url, options);
      const limits = { maxSide: AVATAR_LIMITS.maxSide, maxPixels: AVATAR_LIMITS.maxPixels, outputSize: avatarRequestSize(size) };
      return { ok: true, png: await normaliseAvatar(fetched.body, fetched.contentType, limits) };
    } catch (error) {
      return { ok: false, reason: error instanceof FetchRefused ? error.reason : "fetch-failed" };
    }
  };
}
