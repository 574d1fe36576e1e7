// The card and its one canonical query: reading a card from query values, and writing it back.
import { CARD_SIZES, DESIGN_ID, formatFieldValue, MAX_FIELD_CHARS, type CardData, type CardSizeId, type Design, type DesignRegistry } from "../design/index";
import { sanitizeName } from "../design/name";

export const DEFAULT_USERNAME = "User";
export const DEFAULT_VERSION = "1";
/** Longer picture URLs would push the card URL past the 1024 characters an embed allows. */
export const MAX_IMAGE_URL_LENGTH = 512;
const VERSION = /^[A-Za-z0-9._-]{1,16}$/;
const FID = /^[1-9]\d{0,14}$/;

/** A user as an app knows them: who a card is for. Every front and every input uses this one shape. */
export interface CardUser {
  fid: number | null;
  username: string | null;
  displayName: string | null;
  /** Profile picture URL; null (or an unusable one) means the initials avatar. */
  pfpUrl: string | null;
}

/** Everything that determines a card: the typed value modules hand each other. */
export interface Card {
  design: Design;
  /** Whether the URL names its design (`template=`); a card that does not is drawn in the server's default. */
  namesDesign: boolean;
  /** Who the card is of. Every value is already safe to draw; the username is never empty. */
  user: Readonly<CardUser & { username: string }>;
  /** Card version: bump it to change every card's URL (and so bust every cache). */
  v: string;
  /** `embed` (1200×800, the default) or `og` (1200×630). */
  size: CardSizeId;
  /** The design's fields, parsed. */
  data: CardData;
}

/**
 * Why a query is not a card: the parameter at fault (null when no single one is) and the rule it
 * broke. The 400 text and `MintError` are both made from it.
 */
export interface CardProblem {
  status: 400 | 403;
  field: string | null;
  rule: string;
}

/** The one-line text of a problem, as a 400 or 403 body says it. */
export const problemText = (problem: CardProblem) => (problem.field ? `${problem.field}: ${problem.rule}` : problem.rule);

export type ReadCard = { ok: true; card: Card; /** An image was given but is unusable: the card falls back to initials. */ invalidImage: boolean } | { ok: false; problem: CardProblem };

const clip = (s: string) => (s.length > 32 ? `${s.slice(0, 32)}…` : s);
const bad = (field: string | null, rule: string, status: 400 | 403 = 400): ReadCard => ({ ok: false, problem: { status, field, rule } });

export function parseImage(raw: string | null): { url: string | null; invalid: boolean } {
  if (raw === null || !raw.trim()) return { url: null, invalid: false };
  const value = raw.trim();
  if (value.length > MAX_IMAGE_URL_LENGTH) return { url: null, invalid: true };
  try {
    const url = new URL(value);
    if (url.protocol === "https:" || url.protocol === "http:") return { url: url.href, invalid: false };
  } catch {
    // not a URL
  }
  return { url: null, invalid: true };
}

/** Reads and validates a card from its query values (`get(name)` is the value, or null when absent). */
export function readCard(designs: DesignRegistry, get: (name: string) => string | null): ReadCard {
  const template = get("template");
  if (template !== null && !DESIGN_ID.test(template)) return bad("template", "expected 1–32 lower-case letters, digits or '-'");
  const design = designs.get(template ?? designs.defaultId);
  if (!design) return bad("template", `unknown design "${clip(template!)}"`);

  const v = get("v") ?? DEFAULT_VERSION;
  if (!VERSION.test(v)) return bad("v", "expected 1–16 letters, digits, '.', '_' or '-'");
  const size = get("size") ?? "embed";
  if (!Object.hasOwn(CARD_SIZES, size)) return bad("size", `expected ${Object.keys(CARD_SIZES).join(" or ")}`);

  const fidRaw = get("fid");
  let fid: number | null = null;
  if (fidRaw !== null && fidRaw !== "") {
    if (!FID.test(fidRaw.trim())) return bad("fid", "expected a positive whole number");
    fid = Number(fidRaw.trim());
  }
  if (design.requires?.includes("fid") && fid === null) return bad("fid", `required by the ${design.id} design, expected a positive whole number`);

  const username = sanitizeName(get("username") ?? "").replace(/^@+/, "") || DEFAULT_USERNAME;
  const displayName = sanitizeName(get("displayName") ?? "") || null;
  const image = parseImage(get("image"));

  const raw: Record<string, string> = {};
  for (const name of Object.keys(design.fields.shape)) {
    const value = get(name);
    if (value === null) continue;
    if (value.length > MAX_FIELD_CHARS) return bad(name, `too long (at most ${MAX_FIELD_CHARS} characters)`);
    raw[name] = value;
  }
  const parsed = design.fields.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? "data");
    const message = issue.message.startsWith("expected") ? issue.message : `expected ${issue.message}`;
    return bad(name, raw[name] === undefined ? `required, ${message}` : message);
  }

  const card: Card = {
    design,
    namesDesign: template !== null,
    user: { username, displayName, pfpUrl: image.url, fid },
    v,
    size: size as CardSizeId,
    data: parsed.data as CardData,
  };
  return { ok: true, card, invalidImage: image.invalid };
}

/** The one canonical query of a card: fixed order, defaults left out, percent-encoded. */
export function canonicalQuery(card: Card): string {
  const search = new URLSearchParams();
  const { user } = card;
  search.set("username", user.username);
  if (user.displayName) search.set("displayName", user.displayName);
  if (user.pfpUrl) search.set("image", user.pfpUrl);
  if (user.fid !== null) search.set("fid", String(user.fid));
  search.set("v", card.v);
  if (card.namesDesign) search.set("template", card.design.id);
  // The default size stays out of the query, so embed URLs read as they always have.
  if (card.size !== "embed") search.set("size", card.size);
  for (const name of Object.keys(card.design.fields.shape)) {
    const value = card.data[name];
    if (value !== undefined) search.set(name, formatFieldValue(value));
  }
  return search.toString();
}
