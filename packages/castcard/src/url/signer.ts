// Signing card URLs: HMAC-SHA256 over the canonical query, with key rotation.
import { createHmac, timingSafeEqual } from "node:crypto";

/** HMAC-SHA256 over the canonical query. The first secret signs, all verify, so keys can rotate. */
export interface Signer {
  enabled: boolean;
  sign(message: string): string;
  /** Constant time per secret; every secret is tried, so timing says nothing about which matched. */
  verify(message: string, signature: string | null): boolean;
}

const SIGNATURE_BYTES = 32;

export function createSigner(secrets: readonly string[]): Signer {
  const keys = secrets.filter((secret) => secret.length > 0);
  const mac = (key: string, message: string) => createHmac("sha256", key).update(message, "utf8").digest();
  return {
    enabled: keys.length > 0,
    sign: (message) => {
      if (!keys[0]) throw new Error("no signing secret");
      return mac(keys[0], message).toString("base64url");
    },
    verify: (message, signature) => {
      if (keys.length === 0 || !signature || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return false;
      const given = Buffer.from(signature, "base64url");
      // Re-encoding must give the same text: the unused low bits of the last character may not vary.
      if (given.length !== SIGNATURE_BYTES || given.toString("base64url") !== signature) return false;
      let matched = false;
      for (const key of keys) matched = timingSafeEqual(mac(key, message), given) || matched;
      return matched;
    },
  };
}
