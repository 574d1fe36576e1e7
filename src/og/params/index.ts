import { z } from "zod";
import { sanitizeName } from "../name/index";

/** The parameters that fully determine a card. Their canonical string keys caches and signatures. */
export interface CardParams {
  username: string;
  /** Profile picture URL, or null for the initials avatar. */
  image: string | null;
  /** Card version: bump it to change every card's URL (and so bust every cache). */
  v: string;
  /** Card design by id, or null for the server's default. Signed like the rest. */
  template: string | null;
}

export const DEFAULT_USERNAME = "User";
export const DEFAULT_VERSION = "1";
/** Longer URLs would push the card URL past the 1024 characters an embed allows. */
export const MAX_IMAGE_URL_LENGTH = 512;
/** Parameter names in canonical order. */
export const CARD_PARAM_NAMES = ["username", "image", "v", "template"] as const;

const imageUrl = z
  .string()
  .trim()
  .max(MAX_IMAGE_URL_LENGTH)
  .refine((value) => {
    try {
      const url = new URL(value);
      return url.protocol === "https:" || url.protocol === "http:";
    } catch {
      return false;
    }
  });

const schema = z.object({
  username: z
    .string()
    .optional()
    .transform((v) => sanitizeName(v ?? "").replace(/^@+/, "") || DEFAULT_USERNAME),
  // An unusable image URL is not an error for the user: they still get a card, with initials.
  image: z
    .string()
    .optional()
    .transform((v) => {
      if (!v || !v.trim()) return { url: null, invalid: false };
      const ok = imageUrl.safeParse(v);
      return ok.success ? { url: new URL(ok.data).href, invalid: false } : { url: null, invalid: true };
    }),
  v: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,16}$/, "v must be 1–16 letters, digits, '.', '_' or '-'")
    .optional()
    .transform((v) => v ?? DEFAULT_VERSION),
  // Only the form is checked here; which designs exist is the handler's business.
  template: z
    .string()
    .regex(/^[a-z0-9-]{1,32}$/, "template must be 1–32 lower-case letters, digits or '-'")
    .optional()
    .transform((t) => t ?? null),
});

export type ParseResult =
  | { ok: true; params: CardParams; invalidImage: boolean }
  | { ok: false; message: string };

/** Parses card parameters from a query string (or anything URLSearchParams can hold). */
export function parseCardParams(search: URLSearchParams): ParseResult {
  const raw: Record<string, string> = {};
  for (const name of CARD_PARAM_NAMES) {
    const value = search.get(name);
    if (value !== null) raw[name] = value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  const { username, image, v, template } = parsed.data;
  return { ok: true, params: { username, image: image.url, v, template }, invalidImage: image.invalid };
}

/** Builds card parameters from already-trusted values (e.g. the Mini App SDK context). */
export function cardParams(input: { username?: string | null; image?: string | null; v?: string; template?: string | null }): CardParams {
  const search = new URLSearchParams();
  if (input.username) search.set("username", input.username);
  if (input.image) search.set("image", input.image);
  if (input.v) search.set("v", input.v);
  if (input.template) search.set("template", input.template);
  const result = parseCardParams(search);
  if (!result.ok) throw new TypeError(result.message);
  return result.params;
}

/**
 * The one canonical query string for a card: fixed order, defaults included, percent-encoded.
 * Equal cards give equal strings, so it serves as cache key and as the signed message.
 */
export function canonicalQuery(params: CardParams): string {
  const search = new URLSearchParams();
  search.set("username", params.username);
  if (params.image) search.set("image", params.image);
  search.set("v", params.v);
  if (params.template) search.set("template", params.template);
  return search.toString();
}

/** Carries the signature next to the card's parameters; never part of the signed message. */
export const SIGNATURE_PARAM = "sig";

/**
 * With signing on, a query holds each card parameter at most once, `sig` once, and nothing else:
 * what is read is then exactly what was signed. Returns the problem, or null. Without signing the
 * parser stays lenient as before (unknown names ignored, the first of a repeat used), because
 * scrapers and link shorteners append parameters of their own to unsigned card URLs.
 */
export function strictQueryProblem(search: URLSearchParams): string | null {
  const allowed = new Set<string>([...CARD_PARAM_NAMES, SIGNATURE_PARAM]);
  const seen = new Set<string>();
  for (const name of search.keys()) {
    if (!allowed.has(name)) return "unknown parameter";
    if (seen.has(name)) return "repeated parameter";
    seen.add(name);
  }
  return null;
}
