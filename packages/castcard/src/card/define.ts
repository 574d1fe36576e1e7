import { z } from "zod";
import { RESERVED_PARAMS } from "../card-url/reserved";
import type { CardTemplate } from "./types";

export const TEMPLATE_ID = /^[a-z0-9-]{1,32}$/;
/** Field names travel as query parameter names: short, plain, case-sensitive. */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/**
 * Declares a card design: its id, its data (a zod object, usually of `field.*` values) and how it
 * lays itself out. Refuses, when the design is defined, anything a card URL could not carry.
 *
 * ```ts
 * export const score = defineCard({
 *   id: "score", label: "Score", avatarSize: 200, name: { … },
 *   fields: z.object({ score: field.int({ digits: 13 }), label: field.text({ max: 24 }).optional() }),
 *   render: ({ name, data }) => <div>…{data.score}</div>,
 * });
 * ```
 */
export function defineCard<F extends z.ZodObject>(design: CardTemplate<F>): CardTemplate<F> {
  const where = `Card design "${design.id}"`;
  if (!TEMPLATE_ID.test(design.id)) throw new TypeError(`${where}: id must be 1–32 lower-case letters, digits or '-'`);
  if (!(design.fields instanceof z.ZodObject)) throw new TypeError(`${where}: fields must be a zod object (z.object({ … }))`);
  for (const name of Object.keys(design.fields.shape)) {
    if (RESERVED_PARAMS.includes(name)) {
      throw new TypeError(`${where}: field "${name}" clashes with the reserved card parameter "${name}" (reserved: ${RESERVED_PARAMS.join(", ")})`);
    }
    if (!FIELD_NAME.test(name)) throw new TypeError(`${where}: field "${name}" must be a letter then up to 31 letters or digits`);
  }
  if (!(design.avatarSize > 0)) throw new TypeError(`${where}: avatarSize must be a positive number of pixels`);
  return Object.freeze({ ...design });
}
