import sharp from "sharp";
import { AVATAR_SIZE } from "../card/index";

export interface AvatarPolicy {
  /** Test-only: allow http and loopback/private hosts. */
  allowPrivate: boolean;
  /** Optional allowlist: exact host names or `*.suffix`. */
  hosts: string[] | null;
}

export const AVATAR_LIMITS = {
  timeoutMs: 3000,
  maxBytes: 5 * 1024 * 1024,
  /** Normalised avatars are drawn at 240 px; 2× keeps them sharp on dense screens. */
  outputSize: AVATAR_SIZE * 2,
} as const;

export type AvatarResult = { ok: true; png: Buffer } | { ok: false; reason: string };
export type AvatarFetcher = (url: string) => Promise<AvatarResult>;

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp", "image/avif"]);

/** The only code that fetches avatars. Never throws: every failure is a reason for the fallback. */
export function createAvatarFetcher(policy: AvatarPolicy): AvatarFetcher {
  return async (raw) => {
    const signal = AbortSignal.timeout(AVATAR_LIMITS.timeoutMs);
    try {
      const url = new URL(raw);
      if (url.protocol !== "https:" && !(policy.allowPrivate && url.protocol === "http:")) {
        return { ok: false, reason: "scheme" };
      }
      if (policy.hosts && !hostAllowed(url.hostname, policy.hosts)) return { ok: false, reason: "host-not-allowed" };

      const response = await fetch(url, { signal, redirect: "error", headers: { accept: [...IMAGE_TYPES].join(",") } });
      if (!response.ok) {
        await response.body?.cancel();
        return { ok: false, reason: `status-${response.status}` };
      }
      const type = (response.headers.get("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (!IMAGE_TYPES.has(type)) {
        await response.body?.cancel();
        return { ok: false, reason: "content-type" };
      }
      const bytes = await readCapped(response, AVATAR_LIMITS.maxBytes);
      if (!bytes) return { ok: false, reason: "too-large" };
      return { ok: true, png: await normalise(bytes) };
    } catch (error) {
      if (signal.aborted) return { ok: false, reason: "timeout" };
      return { ok: false, reason: error instanceof Error && error.message.includes("decode") ? "decode" : "fetch-failed" };
    }
  };
}

export function hostAllowed(hostname: string, hosts: string[]): boolean {
  const host = hostname.toLowerCase();
  return hosts.some((entry) => {
    const rule = entry.toLowerCase();
    return rule.startsWith("*.") ? host.endsWith(rule.slice(1)) : host === rule;
  });
}

async function readCapped(response: Response, max: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get("content-length"));
  if (declared > max) {
    await response.body?.cancel();
    return null;
  }
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** Decodes once with sharp and re-encodes a small square PNG, so the renderer only sees clean input. */
async function normalise(bytes: Uint8Array): Promise<Buffer> {
  return sharp(bytes, { limitInputPixels: 16_000_000, animated: false })
    .resize(AVATAR_LIMITS.outputSize, AVATAR_LIMITS.outputSize, { fit: "cover" })
    .png({ compressionLevel: 6 })
    .toBuffer();
}
