// Is this key an active app key of this fid, and which client app asked for it? The hub's
// `GET /v1/onChainSignersByFid?fid=N` lists the fid's signers; each signer's metadata is the
// ABI-encoded SignedKeyRequest whose `requestFid` is the client app's fid: chain data.
import { LRUCache } from "lru-cache";
import { z } from "zod";
import { FetchRefused, guardedFetch } from "../../og/avatar/guarded-fetch/index";

export type KeyCheck =
  | { ok: true; appFid: number }
  /** The hub answered: this key is not one of the fid's signers (or its metadata names no app). */
  | { ok: false; unavailable: false; reason: string }
  /** The hub could not answer in time or said something else than its JSON: try again later. */
  | { ok: false; unavailable: true; reason: string };

export interface SignerLookupOptions {
  /** HUB_URL: the hub's HTTP API base, chosen by the operator (so it may be a private address). */
  url: string;
  apiKey?: string | null;
  /** One deadline for the whole answer. Default 5 s. */
  timeoutMs?: number;
  /** How long a fid's signer list is reused. Default 60 s. */
  ttlMs?: number;
  maxBytes?: number;
}

export type SignerLookup = (fid: number, key: string) => Promise<KeyCheck>;

const answerSchema = z.object({
  events: z
    .array(z.object({ signerEventBody: z.object({ key: z.string(), metadata: z.string().optional() }).optional() }))
    .max(10_000),
});

const WORD = 32;
const word = (bytes: Buffer, at: number): bigint | null => (at + WORD <= bytes.length ? BigInt(`0x${bytes.subarray(at, at + WORD).toString("hex")}`) : null);

/**
 * `requestFid` from the ABI encoding of one `SignedKeyRequest(uint256 requestFid, address
 * requestSigner, bytes signature, uint256 deadline)` tuple: a dynamic tuple, so the first word is
 * its offset, and its first word the fid. Null when the bytes are not such an encoding.
 */
export function requestFidOf(metadata: Buffer): number | null {
  const offset = word(metadata, 0);
  if (offset === null || offset > BigInt(metadata.length)) return null;
  const start = Number(offset);
  const fid = word(metadata, start);
  const bytesOffset = word(metadata, start + 2 * WORD);
  if (fid === null || bytesOffset === null || word(metadata, start + 3 * WORD) === null) return null;
  const bytesAt = BigInt(start) + bytesOffset;
  const length = bytesAt <= BigInt(metadata.length) ? word(metadata, Number(bytesAt)) : null;
  if (length === null || bytesAt + BigInt(WORD) + length > BigInt(metadata.length)) return null;
  if (fid <= 0n || fid > BigInt(Number.MAX_SAFE_INTEGER)) return null;
  return Number(fid);
}

/** A signer lookup against one hub: bounded, through the guarded fetcher, answers cached briefly per fid. */
export function createSignerLookup(options: SignerLookupOptions): SignerLookup {
  const timeoutMs = options.timeoutMs ?? 5000;
  const cache = new LRUCache<number, Map<string, number | null>>({ max: 10_000, ttl: options.ttlMs ?? 60_000 });
  const inFlight = new Map<number, Promise<Map<string, number | null> | string>>();
  const headers: Record<string, string> = { "user-agent": "Castcard-hub/1" };
  if (options.apiKey) headers["x-api-key"] = options.apiKey;

  const ask = async (fid: number): Promise<Map<string, number | null> | string> => {
    try {
      const fetched = await guardedFetch(`${options.url}/v1/onChainSignersByFid?fid=${fid}`, {
        // The hub is the operator's own setting, not a user's: private addresses and http allowed.
        allowPrivate: true,
        hosts: null,
        timeoutMs,
        maxBytes: options.maxBytes ?? 2 * 1024 * 1024,
        maxRedirects: 0,
        contentTypes: new Set(["application/json"]),
        request: { method: "GET", headers },
      });
      const parsed = answerSchema.safeParse(JSON.parse(fetched.body.toString("utf8")));
      if (!parsed.success) return "hub-unexpected-answer";
      const keys = new Map<string, number | null>();
      for (const { signerEventBody: body } of parsed.data.events) {
        if (!body) continue;
        keys.set(body.key.toLowerCase(), body.metadata ? requestFidOf(Buffer.from(body.metadata, "base64")) : null);
      }
      return keys;
    } catch (error) {
      return error instanceof FetchRefused ? `hub-${error.reason}` : "hub-not-json";
    }
  };

  const fresh = async (fid: number) => {
    let pending = inFlight.get(fid);
    if (!pending) {
      pending = ask(fid).finally(() => inFlight.delete(fid));
      inFlight.set(fid, pending);
    }
    const answer = await pending;
    if (typeof answer !== "string") cache.set(fid, answer);
    return answer;
  };

  return async (fid, key) => {
    // A cached list answers only for keys it holds: a key added since is asked of the hub again.
    let keys: Map<string, number | null> | string | undefined = cache.get(fid);
    if (!keys?.has(key)) keys = await fresh(fid);
    if (typeof keys === "string") return { ok: false, unavailable: true, reason: keys };
    if (!keys.has(key)) return { ok: false, unavailable: false, reason: "not-a-signer-of-fid" };
    const appFid = keys.get(key);
    if (!appFid) return { ok: false, unavailable: false, reason: "signer-metadata-unreadable" };
    return { ok: true, appFid };
  };
}
