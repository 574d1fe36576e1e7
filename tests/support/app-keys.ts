import { generateKeyPairSync } from "node:crypto";
import { createJsonFarcasterSignature } from "@farcaster/miniapp-node";

// App keys and signed webhook events, made with the official signer (`@farcaster/miniapp-node`),
// so the webhook is checked against what Farcaster clients really send.

export interface AppKey {
  /** The 32-byte Ed25519 seed. */
  privateKey: Uint8Array;
  /** `0x` + 64 hex digits. */
  key: string;
}

export function makeAppKey(): AppKey {
  const { privateKey, publicKey } = generateKeyPairSync("ed25519");
  const d = privateKey.export({ format: "jwk" }).d!;
  const x = publicKey.export({ format: "jwk" }).x!;
  return { privateKey: new Uint8Array(Buffer.from(d, "base64url")), key: `0x${Buffer.from(x, "base64url").toString("hex")}` };
}

/** The envelope a client POSTs: `{ header, payload, signature }`. */
export function signEvent(fid: number, appKey: AppKey, event: unknown): { header: string; payload: string; signature: string } {
  const payload = new Uint8Array(Buffer.from(JSON.stringify(event)));
  return createJsonFarcasterSignature({ fid, type: "app_key", privateKey: appKey.privateKey, payload });
}
