import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload, type KeyLike } from "jose";
import * as PersonalMessage from "ox/PersonalMessage";
import * as Secp256k1 from "ox/Secp256k1";
import * as Signature from "ox/Signature";
import * as Siwe from "ox/Siwe";

// A local stand-in for the Quick Auth server (auth.farcaster.xyz), wire-compatible with what the
// SDK's quickAuth.getToken and @farcaster/quick-auth's verifyJwt speak: POST /nonce, POST
// /verify-siwf, GET /.well-known/jwks.json. It checks what the real one checks that can be checked
// without a chain: a nonce it issued and has not seen used, the message's domain, its signature
// against the message's address, and the fid in its Resources. It does not look up the fid's
// custody or auth address on chain.

export type JwksMode = "up" | "error" | "hang" | "garbage";

export interface SigningKey {
  kid: string;
  privateKey: KeyLike;
  publicJwk: Record<string, unknown>;
}

export const ALG = "ES256";

export async function makeSigningKey(kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(ALG, { extractable: true });
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg: ALG, use: "sig" } };
}

/** Signs a token the way the server does; tests use it to make expired, foreign or forged tokens. */
/** Claims as the server sends them: `sub` is the fid, a number (JWTPayload types it as a string). */
export type TokenClaims = Omit<JWTPayload, "sub"> & { sub?: unknown };

export async function signToken(key: SigningKey, claims: TokenClaims, header: Record<string, unknown> = {}) {
  const { sub, ...rest } = claims;
  // The real server puts the fid in `sub` as a number; SignJWT.setSubject only takes strings.
  return new SignJWT({ ...rest, ...(sub === undefined ? {} : { sub }) } as JWTPayload)
    .setProtectedHeader({ alg: ALG, kid: key.kid, typ: "JWT", ...header })
    .sign(key.privateKey);
}

const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => {
      body += c;
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on("end", () => resolve(body));
    req.on("error", reject);
  });

export async function startQuickAuthServer() {
  const key = await makeSigningKey("castcard-test-1");
  const nonces = new Set<string>();
  const issued: { fid: number; domain: string }[] = [];
  let jwksMode: JwksMode = "up";
  // Key-set requests held open by "hang", cut when the mode changes so no client waits on them.
  const hanging = new Set<ServerResponse>();
  let jwksRequests = 0;
  let url = "";

  const cors = {
    "access-control-allow-origin": "*",
    "access-control-allow-methods": "GET, POST, OPTIONS",
    "access-control-allow-headers": "content-type",
  };
  const send = (res: ServerResponse, status: number, body: unknown) =>
    res.writeHead(status, { "content-type": "application/json", "cache-control": "no-store", ...cors }).end(JSON.stringify(body));
  const refusals: string[] = [];
  const refuse = (res: ServerResponse, message: string) => {
    refusals.push(message);
    send(res, 400, { valid: false, message });
  };

  const server = createServer(async (req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method === "OPTIONS") return void res.writeHead(204, cors).end();
    if (path === "/.well-known/jwks.json" && req.method === "GET") {
      jwksRequests++;
      if (jwksMode === "hang") {
        hanging.add(res);
        res.once("close", () => hanging.delete(res));
        return;
      }
      if (jwksMode === "error") return send(res, 500, { error: "internal" });
      if (jwksMode === "garbage") return res.writeHead(200, { "content-type": "text/html" }).end("<html>maintenance</html>");
      return send(res, 200, { keys: [key.publicJwk] });
    }
    if (path === "/nonce" && req.method === "POST") {
      const nonce = randomBytes(12).toString("hex");
      nonces.add(nonce);
      return send(res, 200, { nonce });
    }
    if (path === "/verify-siwf" && req.method === "POST") {
      let body: { domain?: unknown; message?: unknown; signature?: unknown };
      try {
        body = JSON.parse(await readBody(req));
      } catch {
        return refuse(res, "body must be JSON");
      }
      const { domain, message, signature } = body;
      if (typeof domain !== "string" || typeof message !== "string" || typeof signature !== "string") {
        return refuse(res, "domain, message and signature are required");
      }
      let parsed: ReturnType<typeof Siwe.parseMessage>;
      try {
        parsed = Siwe.parseMessage(message);
      } catch {
        return refuse(res, "not a sign-in message");
      }
      if (parsed.domain !== domain) return refuse(res, "domain mismatch");
      if (!parsed.nonce || !nonces.delete(parsed.nonce)) return refuse(res, "unknown or used nonce");
      if (parsed.expirationTime && parsed.expirationTime.getTime() < Date.now()) return refuse(res, "message expired");
      const fids = (parsed.resources ?? []).map((r) => /^farcaster:\/\/fid\/([1-9]\d*)$/.exec(r)?.[1]).filter(Boolean);
      if (fids.length !== 1) return refuse(res, "Resources must name one farcaster://fid/<fid>");
      try {
        const signer = Secp256k1.recoverAddress({
          payload: PersonalMessage.getSignPayload(new TextEncoder().encode(message)),
          signature: Signature.fromHex(signature as `0x${string}`),
        });
        if (!parsed.address || signer.toLowerCase() !== parsed.address.toLowerCase()) return refuse(res, "signature does not match the address");
      } catch {
        return refuse(res, "bad signature");
      }
      const fid = Number(fids[0]);
      issued.push({ fid, domain });
      const now = Math.floor(Date.now() / 1000);
      const token = await signToken(key, { sub: fid, iss: url, aud: domain, iat: now, exp: now + 3600 });
      return send(res, 200, { token });
    }
    send(res, 404, { error: "not found" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    /** The origin: QUICK_AUTH_ORIGIN, and the tokens' issuer. */
    url,
    key,
    /** Tokens issued through /verify-siwf, in order. */
    issued,
    /** Why /verify-siwf refused, in order. */
    refusals,
    jwksRequests: () => jwksRequests,
    setJwks: (mode: JwksMode) => {
      jwksMode = mode;
      for (const res of hanging) res.destroy();
      hanging.clear();
    },
    /** A token as /verify-siwf would issue it, with claims overridden as a test needs. */
    token: (claims: { fid: unknown; domain: string } & Omit<TokenClaims, "sub">, signWith: SigningKey = key) => {
      const now = Math.floor(Date.now() / 1000);
      const { fid, domain, ...rest } = claims;
      return signToken(signWith, { sub: fid, iss: url, aud: domain, iat: now, exp: now + 3600, ...rest });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type QuickAuthServer = Awaited<ReturnType<typeof startQuickAuthServer>>;
