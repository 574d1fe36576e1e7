// The kinds of value the environment's settings take (URLs, flags, lists, on/off), each checked
// with a one-line message naming the setting, for the configuration schema in index.ts.
import { z } from "zod";

export const origin = (label: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      try {
        const url = new URL(value);
        if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error();
        return url.origin;
      } catch {
        ctx.addIssue({ code: "custom", message: `${label} must be an absolute http(s) URL, got "${value}"` });
        return z.NEVER;
      }
    });

/** An absolute http(s) URL kept with its path (a hub may sit under a prefix), without a trailing slash. */
export const baseUrl = (label: string) =>
  z
    .string()
    .trim()
    .transform((value, ctx) => {
      try {
        const url = new URL(value);
        if ((url.protocol !== "https:" && url.protocol !== "http:") || url.username || url.password || url.search || url.hash) {
          throw new Error();
        }
        return `${url.origin}${url.pathname}`.replace(/\/+$/, "");
      } catch {
        ctx.addIssue({ code: "custom", message: `${label} must be an absolute http(s) URL without query or credentials, got "${value}"` });
        return z.NEVER;
      }
    });

export const flag = z
  .string()
  .optional()
  .transform((v) => v === "1" || v === "true");

export const list = z
  .string()
  .optional()
  .transform((v) =>
    (v ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean),
  );

export const onOff = (label: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "on" || v === "1" || v === "true") return true;
      if (v === "off" || v === "0" || v === "false") return false;
      ctx.addIssue({ code: "custom", message: `${label} must be "on" or "off", got "${v}"` });
      return z.NEVER;
    });

export const postgresUrl = z
  .string()
  .trim()
  .transform((value, ctx) => {
    try {
      const url = new URL(value);
      if (url.protocol === "postgres:" || url.protocol === "postgresql:") return value;
    } catch {
      // reported below
    }
    // The URL may hold a password: never echo it.
    ctx.addIssue({ code: "custom", message: "DATABASE_URL must be a postgres:// or postgresql:// URL (SQLite needs none: it lives under DATA_DIR)" });
    return z.NEVER;
  });
