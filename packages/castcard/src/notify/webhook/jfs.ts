// A JSON Farcaster Signature, checked with Node's own Ed25519: `{ header, payload, signature }`,
// base64url each; the header names the fid and the app key that signed `header + "." + payload`.
import { createPublicKey, verify } from "node:crypto";
import { z } from "zod";

/** A checked envelope: the signature is the header key's; whether the key is the fid's is asked of the hub after. */
export interface SignedEnvelope {
  fid: number;
  /** The app key, `0x` + 64 lower-case hex digits. */
  key: string;
  /** The decoded payload bytes (JSON text). */
  payload: Uint8Array;
}

export type EnvelopeCheck = { ok: true; envelope: SignedEnvelope } | { ok: false; status: 400 | 401; message: string };

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const part = (name: string) => z.string({ error: `${name} must be a string` }).max(8192).regex(BASE64URL, `${name} must be base64url`);
const envelopeSchema = z.object({ header: part("header"), payload: part("payload"), signature: part("signature") });
const headerSchema = z.object({
  fid: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  type: z.literal("app_key"),
  key: z.string().regex(/^0x[0-9a-fA-F]{64}$/),
});

// An Ed25519 public key as SPKI DER: this fixed prefix, then the 32 raw bytes.
const ED25519_SPKI_PREFIX = Buffer.from("302a300506032b6570032100", "hex");

const bad = (message: string): EnvelopeCheck => ({ ok: false, status: 400, message: `Bad request: ${message}` });

/**
 * Checks the envelope's shape and its Ed25519 signature over the ASCII of `header.payload` (the
 * encoded strings, as sent). A malformed envelope is 400; a signature that is not the key's, 401.
 */
export function checkEnvelope(body: unknown): EnvelopeCheck {
  const parsed = envelopeSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".");
    return bad(issue.code === "invalid_type" && field ? `${field} is missing or not a string` : field ? `${field}: ${issue.message}` : "the body must be an object { header, payload, signature }");
  }
  const { header, payload, signature } = parsed.data;
  let headerJson: unknown;
  try {
    headerJson = JSON.parse(Buffer.from(header, "base64url").toString("utf8"));
  } catch {
    return bad("header is not base64url JSON");
  }
  const headerParsed = headerSchema.safeParse(headerJson);
  if (!headerParsed.success) return bad(`header must be { fid, type: "app_key", key: "0x…" (32 bytes) }`);
  const signatureBytes = Buffer.from(signature, "base64url");
  if (signatureBytes.byteLength !== 64) return bad("signature must be 64 bytes");

  const key = headerParsed.data.key.toLowerCase();
  let valid = false;
  try {
    const publicKey = createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(key.slice(2), "hex")]), format: "der", type: "spki" });
    valid = verify(null, Buffer.from(`${header}.${payload}`, "ascii"), publicKey, signatureBytes);
  } catch {
    valid = false;
  }
  if (!valid) return { ok: false, status: 401, message: "Unauthorized: the signature is not the header key's" };
  return { ok: true, envelope: { fid: headerParsed.data.fid, key, payload: new Uint8Array(Buffer.from(payload, "base64url")) } };
}
