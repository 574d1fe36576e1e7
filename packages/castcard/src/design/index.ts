// design/: what a card is and how it looks. The built-in designs and the registry of a server's designs.
import { member } from "./member";
import { poster } from "./poster";
import { score } from "./score";
import { seed } from "./seed";
import { split } from "./split";
import { initialsAvatar } from "./initials";
import { DESIGN_ID } from "./define";
import { cardSize, layoutAt, type CardData, type CardProps, type Design, type RichText } from "./types";

export * from "./types";
export { SeedCard } from "./seed";
export { digitsSize, Line, Name, segmentNodes } from "./text";
export { defineCard, DESIGN_ID, FIELD_NAME } from "./define";
export { field, formatFieldValue, MAX_FIELD_CHARS, type FieldValue } from "./fields";

/** The built-in designs, in gallery order. A new design: one file made with `defineCard`, listed here. */
export const DESIGNS: readonly Design[] = [seed, split, poster, score, member];
export const DEFAULT_DESIGN_ID = seed.id;

export interface DesignRegistry {
  get(id: string): Design | undefined;
  list(): Design[];
  defaultId: string;
}

/** The built-ins plus a server's own designs (theirs win on the same id). */
export function designRegistry(extra: readonly Design[] = [], defaultId = DEFAULT_DESIGN_ID): DesignRegistry {
  const byId = new Map<string, Design>();
  for (const t of [...DESIGNS, ...extra]) {
    if (!DESIGN_ID.test(t.id)) throw new TypeError(`Design id "${t.id}" must match ${DESIGN_ID}`);
    byId.set(t.id, t);
  }
  if (!byId.has(defaultId)) throw new TypeError(`Unknown default design "${defaultId}"`);
  return { get: (id) => byId.get(id), list: () => [...byId.values()], defaultId };
}

/**
 * Props for a card in plain text at the largest name size, with no emoji split out and no
 * fitting: for other renderers fed the same element (the benchmark's @vercel/og side). A design
 * with data gets its first sample's (and the sample's fid).
 */
export function plainCardProps(input: { username: string; brand: string; subtitle: string }, design: Design = seed): CardProps {
  const plain = (text: string): RichText => ({ segments: [{ kind: "text", text }], direction: "ltr" });
  const { initials, color } = initialsAvatar(input.username);
  const { fid, ...query } = design.samples?.[0]?.query ?? {};
  const parsed = design.fields.safeParse(query);
  const data = (parsed.success ? parsed.data : {}) as CardData;
  const texts = Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string");
  return {
    username: input.username,
    displayName: null,
    fid: fid ? Number(fid) : null,
    name: { ...plain(`${design.name.prefix ?? "@"}${input.username}`), fontSize: design.name.maxFontSize, truncated: false },
    handle: null,
    avatar: { kind: "initials", initials: plain(initials), color },
    brand: plain(input.brand),
    subtitle: plain(input.subtitle),
    data,
    dataText: Object.fromEntries(texts.map(([k, v]) => [k, plain(v)])),
    size: cardSize("embed"),
    avatarBox: layoutAt(design, "embed").avatarBox,
  };
}
