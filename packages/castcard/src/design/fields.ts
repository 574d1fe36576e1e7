import { z } from "zod";
import { sanitizeName } from "./name";

/**
 * Typed values a design can put on a card. Each travels in the card URL as one plain query
 * parameter (a string), so every field parses a string, has a bound, and says in its error message
 * what it expects: `score: expected a whole number of at most 13 digits`.
 *
 * A field's parsed value is written back into the canonical query with `formatFieldValue`, which
 * must give the same value when parsed again: every helper here keeps that promise.
 */

/** A value a field can hold once parsed. */
export type FieldValue = number | string | Date;

/** No raw value longer than this is even looked at, whatever a design's schema says. */
export const MAX_FIELD_CHARS = 256;

const expect = (rule: string) => ({ error: `expected ${rule}` });

/** A whole number of at most `digits` digits, optionally within [min, max] (negative allowed unless min ≥ 0). */
function int(options: { digits?: number; min?: number; max?: number } = {}) {
  const digits = options.digits ?? 13;
  if (digits < 1 || digits > 15) throw new RangeError("int fields hold 1 to 15 digits (beyond that numbers lose precision)");
  const { min, max } = options;
  const rule = [`a whole number of at most ${digits} digits`, min !== undefined ? `at least ${min}` : "", max !== undefined ? `at most ${max}` : ""]
    .filter(Boolean)
    .join(", ");
  const pattern = new RegExp(`^${min !== undefined && min >= 0 ? "" : "-?"}\\d{1,${digits}}$`);
  return z
    .string(expect(rule))
    .trim()
    .regex(pattern, expect(rule).error)
    // "+ 0" turns -0 into 0, which formats as "0", not "-0".
    .transform((s) => Number(s) + 0)
    .refine((n) => (min === undefined || n >= min) && (max === undefined || n <= max), expect(rule).error);
}

/** A decimal number with at most `digits` digits before the point and `places` after it. */
function decimal(options: { digits?: number; places?: number } = {}) {
  const digits = options.digits ?? 9;
  const places = options.places ?? 2;
  if (digits + places > 15) throw new RangeError("decimal fields hold at most 15 digits in all");
  const rule = `a number with at most ${digits} digits and ${places} decimals`;
  return z
    .string(expect(rule))
    .trim()
    .regex(new RegExp(`^-?\\d{1,${digits}}(\\.\\d{1,${places}})?$`), expect(rule).error)
    .transform((s) => Number(s) + 0);
}

/**
 * Short text: made safe to draw as names are (NFC, no bidi or control characters), at most `max`
 * characters as a person counts them and `maxBytes` bytes of UTF-8 (an emoji family is one
 * character but 25 bytes, and the card URL must stay within 1024 characters). Empty after cleaning
 * counts as missing.
 */
function text(options: { max?: number; maxBytes?: number } = {}) {
  const max = options.max ?? 32;
  const maxBytes = options.maxBytes ?? max * 4;
  const rule = `text of 1 to ${max} characters (${maxBytes} bytes)`;
  return z
    .string(expect(rule))
    .max(MAX_FIELD_CHARS, expect(rule).error)
    .transform((s, ctx) => {
      const clean = sanitizeName(s);
      if (!clean || Buffer.byteLength(clean) > maxBytes || [...new Intl.Segmenter().segment(clean)].length > max) {
        ctx.addIssue({ code: "custom", message: `expected ${rule}` });
        return z.NEVER;
      }
      return clean;
    });
}

/** One of a fixed list of values. */
function choice<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.join(", ")}` });
}

/** A calendar date, written YYYY-MM-DD; parsed as midnight UTC. */
function date() {
  const rule = "a date as YYYY-MM-DD";
  return z
    .string(expect(rule))
    .trim()
    .regex(/^\d{4}-\d{2}-\d{2}$/, expect(rule).error)
    .transform((s, ctx) => {
      const value = new Date(`${s}T00:00:00Z`);
      if (Number.isNaN(value.getTime()) || value.toISOString().slice(0, 10) !== s) {
        ctx.addIssue({ code: "custom", message: `expected ${rule}` });
        return z.NEVER;
      }
      return value;
    });
}

/** Field builders for `defineCard({ fields: z.object({ … }) })`. Add `.optional()` for optional fields. */
export const field = { int, decimal, text, choice, date };

/** The canonical text of a parsed value: parsing it again gives the same value. */
export function formatFieldValue(value: FieldValue): string {
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return String(value);
}
