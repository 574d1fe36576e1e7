import { createHmac, timingSafeEqual } from "node:crypto";
import { canonicalQuery, parseCardParams, SIGNATURE_PARAM, strictQueryProblem, type CardParams, type ParseResult } from "../params/index";

/** Signs and verifies card URLs. The message is the canonical query, so equal cards share one signature. */
export interface Signer {
  /** Whether signing is on (at least one secret). */
  enabled: boolean;
  /** HMAC-SHA256 of the message with the first secret, base64url. */
  sign: (message: string) => string;
  /** Whether any of the secrets produced `signature` over `message`. Constant time per secret. */
  verify: (message: string, signature: string | null) => boolean;
}

const SIGNATURE_BYTES = 32;

/** `secrets`: the first signs, all verify, so a new key can be rolled out before the old one is dropped. */
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
      // Every key is tried, match or not, so the time taken says nothing about which one matched.
      let matched = false;
      for (const key of keys) matched = timingSafeEqual(mac(key, message), given) || matched;
      return matched;
    },
  };
}

export type SignedParseResult = Extract<ParseResult, { ok: true }> | { ok: false; status: 400 | 403; message: string };

/**
 * Parses a card query, and with signing on also demands the strict form (no unknown or repeated
 * names) and a valid `sig` over the canonical query. Used by /api/og and the share page alike.
 */
export function parseSignedCardParams(signer: Signer, search: URLSearchParams): SignedParseResult {
  const problem = signer.enabled ? strictQueryProblem(search) : null;
  if (problem) return { ok: false, status: 400, message: `Bad request: ${problem}` };
  const parsed = parseCardParams(search);
  if (!parsed.ok) return { ok: false, status: 400, message: `Bad request: ${parsed.message}` };
  // A minted URL never holds an unusable image, so one here was not minted.
  if (signer.enabled && (parsed.invalidImage || !signer.verify(canonicalQuery(parsed.params), search.get(SIGNATURE_PARAM)))) {
    return { ok: false, status: 403, message: "Forbidden: invalid signature" };
  }
  return parsed;
}

/** The query of a minted URL: the canonical one, plus its signature when signing is on. */
export function signedQuery(signer: Signer, params: CardParams): string {
  const query = canonicalQuery(params);
  return signer.enabled ? `${query}&${SIGNATURE_PARAM}=${signer.sign(query)}` : query;
}
