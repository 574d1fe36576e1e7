// design/: what a card is and how it looks. The built-in designs and the registry of a server's designs.
import { member } from "./member";
import { poster } from "./poster";
import { score } from "./score";
import { seed } from "./seed";
import { split } from "./split";
import { DESIGN_ID } from "./define";
import type { Design } from "./types";

export * from "./types";
export { SeedCard } from "./seed";
export { Avatar, type AvatarProps } from "./avatar";
export { accentPalette, contrast, luminance, mixColors, type AccentPalette } from "./color";
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
