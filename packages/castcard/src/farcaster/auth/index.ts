import { createClient } from "@farcaster/quick-auth";

export interface QuickAuthOptions {
  /** The Quick Auth server: the tokens' issuer, and where its keys are (`/.well-known/jwks.json`). */
  origin: string;
  /** The app's host (APP_URL's): the audience a token must name. */
  domain: string;
  /** How long to wait for the auth server's keys before answering 503. */
  timeoutMs?: number;
}

export type AuthResult =
  | { ok: true; fid: number }
  /** 401: the caller should sign in again. 503: the auth server could not be asked; try later. */
  | { ok: false; status: 401; reason: string }
  | { ok: false; status: 503; reason: string; retryAfterSeconds: number };

export type VerifyAuthorization = (authorization: string | null) => Promise<AuthResult>;

const TOKEN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const MAX_TOKEN_LENGTH = 4096;

/** jose's error codes that mean "this token is no good", as opposed to "the keys could not be fetched". */
const BAD_TOKEN_CODES = new Set([
  "ERR_JWT_INVALID",
  "ERR_JWT_EXPIRED",
  "ERR_JWT_CLAIM_VALIDATION_FAILED",
  "ERR_JWS_INVALID",
  "ERR_JWS_SIGNATURE_VERIFICATION_FAILED",
  "ERR_JOSE_ALG_NOT_ALLOWED",
  "ERR_JOSE_NOT_SUPPORTED",
  "ERR_JWKS_NO_MATCHING_KEY",
  "ERR_JWKS_MULTIPLE_MATCHING_KEYS",
]);

const unauthorized = (reason: string): AuthResult => ({ ok: false, status: 401, reason });
const unavailable = (reason: string): AuthResult => ({ ok: false, status: 503, reason, retryAfterSeconds: 5 });

/**
 * A short, safe reason for a failed verification; the library's own messages are not sent. Told
 * apart by name and code rather than class, so a second copy of jose in a bundle cannot confuse it.
 */
export function classifyAuthError(error: unknown): AuthResult {
  const { name, code, message } = (error ?? {}) as { name?: unknown; code?: unknown; message?: unknown };
  const text = typeof message === "string" ? message : "";
  // @farcaster/quick-auth rethrows jose's claim failures as InvalidTokenError (name "InvalidToken").
  if (name === "InvalidToken" || code === "ERR_JWT_EXPIRED" || code === "ERR_JWT_CLAIM_VALIDATION_FAILED") {
    if (/"exp" claim timestamp/.test(text) || code === "ERR_JWT_EXPIRED") return unauthorized("token expired");
    if (/unexpected "aud"/.test(text)) return unauthorized("token is for another app");
    if (/unexpected "iss"/.test(text)) return unauthorized("token from another issuer");
    return unauthorized("invalid token");
  }
  if (code === "ERR_JWKS_NO_MATCHING_KEY" || code === "ERR_JWS_SIGNATURE_VERIFICATION_FAILED") {
    return unauthorized("token not signed by the sign-in server");
  }
  if (typeof code === "string" && BAD_TOKEN_CODES.has(code)) return unauthorized("invalid token");
  // Timeouts, refused connections, a non-200 or unreadable key set: the auth server, not the token.
  return unavailable("the sign-in server could not be reached");
}

/**
 * Verifies `Authorization: Bearer <Quick Auth token>` with @farcaster/quick-auth (keys from the
 * origin's JWKS, cached by the library), and maps every way it can fail to a 401 or a 503.
 */
export function createQuickAuthVerifier(options: QuickAuthOptions): VerifyAuthorization {
  const client = createClient({ origin: options.origin });
  const timeoutMs = options.timeoutMs ?? 3000;

  return async (authorization) => {
    if (!authorization) return unauthorized("sign-in required");
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    if (!match) return unauthorized("expected Authorization: Bearer <token>");
    const token = match[1]!;
    if (token.length > MAX_TOKEN_LENGTH || !TOKEN.test(token)) return unauthorized("malformed token");

    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<AuthResult>((resolve) => {
      timer = setTimeout(() => resolve(unavailable("the sign-in server did not answer in time")), timeoutMs);
    });
    const verified = client
      .verifyJwt({ token, domain: options.domain })
      .then((payload): AuthResult => {
        const sub: unknown = payload.sub;
        const fid = typeof sub === "number" ? sub : typeof sub === "string" && /^[1-9]\d{0,15}$/.test(sub) ? Number(sub) : NaN;
        if (!Number.isSafeInteger(fid) || fid <= 0) return unauthorized("token has no fid");
        if (typeof payload.exp !== "number") return unauthorized("token has no expiry");
        return { ok: true, fid };
      }, classifyAuthError);
    try {
      return await Promise.race([verified, deadline]);
    } finally {
      clearTimeout(timer);
    }
  };
}
