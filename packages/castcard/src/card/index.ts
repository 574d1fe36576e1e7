import { member } from "./member";
import { poster } from "./poster";
import { score } from "./score";
import { seed } from "./seed";
import { split } from "./split";
import { initialsAvatar } from "../avatar/initials";
import { TEMPLATE_ID } from "./define";
import { cardSize, type CardData, type CardProps, type CardTemplate, type RichText } from "./types";

export * from "./types";
export { Card } from "./seed";
export { digitsSize, Line, Name, segmentNodes } from "./text";
export { defineCard, TEMPLATE_ID, FIELD_NAME } from "./define";
export { field, formatFieldValue, type FieldValue } from "./fields";

/** The built-in designs, in gallery order. A new design: one file made with `defineCard`, listed here. */
export const TEMPLATES: readonly CardTemplate[] = [seed, split, poster, score, member];
export const DEFAULT_TEMPLATE_ID = seed.id;

export interface TemplateRegistry {
  get(id: string): CardTemplate | undefined;
  list(): CardTemplate[];
  defaultId: string;
}

/** The built-ins plus a server's own designs (theirs win on the same id). */
export function templateRegistry(extra: readonly CardTemplate[] = [], defaultId = DEFAULT_TEMPLATE_ID): TemplateRegistry {
  const byId = new Map<string, CardTemplate>();
  for (const t of [...TEMPLATES, ...extra]) {
    if (!TEMPLATE_ID.test(t.id)) throw new TypeError(`Template id "${t.id}" must match ${TEMPLATE_ID}`);
    byId.set(t.id, t);
  }
  if (!byId.has(defaultId)) throw new TypeError(`Unknown default template "${defaultId}"`);
  return { get: (id) => byId.get(id), list: () => [...byId.values()], defaultId };
}

/**
 * Props for a card in plain text at the largest name size, with no emoji split out and no
 * fitting: for other renderers fed the same element (the benchmark's @vercel/og side). A design
 * with data gets its first sample's (and the sample's fid).
 */
export function plainCardProps(input: { username: string; brand: string; subtitle: string }, template: CardTemplate = seed): CardProps {
  const plain = (text: string): RichText => ({ segments: [{ kind: "text", text }], direction: "ltr" });
  const { initials, color } = initialsAvatar(input.username);
  const { fid, ...query } = template.samples?.[0]?.query ?? {};
  const parsed = template.fields.safeParse(query);
  const data = (parsed.success ? parsed.data : {}) as CardData;
  const texts = Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string");
  return {
    username: input.username,
    displayName: null,
    fid: fid ? Number(fid) : null,
    name: { ...plain(`${template.name.prefix ?? "@"}${input.username}`), fontSize: template.name.maxFontSize, truncated: false },
    handle: null,
    avatar: { kind: "initials", initials: plain(initials), color },
    brand: plain(input.brand),
    subtitle: plain(input.subtitle),
    data,
    dataText: Object.fromEntries(texts.map(([k, v]) => [k, plain(v)])),
    size: cardSize("embed"),
  };
}
