import { z } from "zod";
import { RESERVED_PARAMS } from "./reserved";
import { layoutAt, type Design } from "./types";

export const DESIGN_ID = /^[a-z0-9-]{1,32}$/;
const DESIGN_VERSION = /^[A-Za-z0-9._-]{1,16}$/;
/** Field names travel as query parameter names: short, plain, case-sensitive. */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/**
 * Declares a card design: its id, its data (a zod object, usually of `field.*` values) and how it
 * lays itself out. Refuses, when the design is defined, anything a card URL could not carry.
 *
 * ```ts
 * export const score = defineCard({
 *   id: "score", label: "Score", avatar: { side: 200, border: 6 }, name: { … },
 *   fields: z.object({ score: field.int({ digits: 13 }), label: field.text({ max: 24 }).optional() }),
 *   render: ({ name, data }) => <div>…{data.score}</div>,
 * });
 * ```
 */
export function defineCard<F extends z.ZodObject>(design: Design<F>): Design<F> {
  const where = `Card design "${design.id}"`;
  if (!DESIGN_ID.test(design.id)) throw new TypeError(`${where}: id must be 1–32 lower-case letters, digits or '-'`);
  if (design.version !== undefined && !DESIGN_VERSION.test(design.version)) throw new TypeError(`${where}: version must be 1–16 letters, digits, '.', '_' or '-'`);
  if (!(design.fields instanceof z.ZodObject)) throw new TypeError(`${where}: fields must be a zod object (z.object({ … }))`);
  for (const name of Object.keys(design.fields.shape)) {
    if (RESERVED_PARAMS.includes(name)) {
      throw new TypeError(`${where}: field "${name}" clashes with the reserved card parameter "${name}" (reserved: ${RESERVED_PARAMS.join(", ")})`);
    }
    if (!FIELD_NAME.test(name)) throw new TypeError(`${where}: field "${name}" must be a letter then up to 31 letters or digits`);
  }
  for (const size of ["embed", "og"] as const) {
    const { avatarSize } = layoutAt(design, size);
    if (!(avatarSize > 0)) throw new TypeError(`${where}: the avatar's side must be larger than twice its border (${size} size)`);
  }
  return Object.freeze({ ...design });
}
