// config/: the environment, read and validated once; the only parser of environment variables.
// Every setting, its rule and its one-line error in one schema; the kinds of value are in values.ts.
import { z } from "zod";
import { resolveApp, type AppDefinition, type AppInput } from "./app";
import { ConfigError } from "./error";
import { milestones, notificationsOf, type NotificationSettings } from "./notify";
import { baseUrl, flag, list, onOff, origin, postgresUrl } from "./values";
export { ConfigError } from "./error";
export { DEFAULT_MILESTONES } from "./notify";
export { APP_CATEGORIES, DEFAULT_APP_COLOR, DEFAULT_APP_NAME, DEFAULT_NOTIFICATION_TEXTS, clipText, resolveApp, type AppCategory, type AppDefinition, type AppEnv, type AppInput } from "./app";

/** Everything Castcard reads from its environment, validated once and passed down. */
export interface CastcardConfig {
  /** Public origin of the Mini App, without a trailing slash. */
  appUrl: string;
  /** Origin that serves /api/og (the app itself, or a separate image service). */
  ogUrl: string;
  port: number;
  /** Interface the standalone service listens on (HOST); null: all interfaces. */
  host: string | null;
  production: boolean;
  /** Who the app is: name, texts, colour, icon and splash, sample user, card brand (see `AppInput`). */
  app: AppDefinition;
  avatar: {
    /** Test-only: allow http and loopback/private hosts. Never set in production. */
    allowPrivate: boolean;
    /** Optional allowlist of avatar hosts: exact names or `*.suffix`. */
    hosts: string[] | null;
  };
  /** HMAC keys; the first signs, all verify. Empty: URLs are not signed. */
  shareSecrets: string[];
  /**
   * Who may mint a card. `required` is true whenever SHARE_SECRET is set: POST /api/share then
   * needs a Quick Auth token issued by `origin` for `domain` (the host of APP_URL).
   */
  auth: { required: boolean; origin: string; domain: string };
  /** A Farcaster hub's HTTP API, for names and pictures by fid; null: names come from the request. */
  hub: { url: string; apiKey: string | null } | null;
  renderCacheBytes: number;
  preview: boolean;
  accountAssociation: { header: string; payload: string; signature: string } | null;
  /**
   * Share analytics (see docs/analytics.md). `enabled` false (ANALYTICS=off): nothing is recorded
   * and the analytics routes do not exist. SQLite under `dataDir` unless `databaseUrl` is set.
   */
  analytics: {
    enabled: boolean;
    /** DATA_DIR, absolute. */
    dataDir: string;
    /** DATABASE_URL (postgres://…), or null for SQLite. */
    databaseUrl: string | null;
    retentionDays: number;
    /** STATS_TOKEN; null: /stats and /api/stats are open in development, absent in production. */
    statsToken: string | null;
  };
  /** Notifications to sharers (see docs/notifications.md and config/notify.ts). */
  notifications: NotificationSettings;
}

/**
 * The app module the image service loads (CASTCARD_CONFIG): a path, or null when unset. Read
 * before the rest, because that module holds the app the rest is merged with.
 */
export function appModuleOf(env: Env): string | null {
  const value = env.CASTCARD_CONFIG?.trim();
  return value ? value : null;
}

export type Env = Record<string, string | undefined>;

export const DEFAULT_QUICK_AUTH_ORIGIN = "https://auth.farcaster.xyz";

const STATS_TOKEN_RULE = "must be printable ASCII without spaces (it is sent as `Authorization: Bearer <token>`): use a long random value, e.g. `openssl rand -hex 32`";

const schema = z.object({
  APP_URL: origin("APP_URL").optional(),
  NEXT_PUBLIC_URL: origin("NEXT_PUBLIC_URL").optional(),
  OG_SERVICE_URL: origin("OG_SERVICE_URL").optional(),
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().trim().min(1).optional(),
  NODE_ENV: z.string().optional(),
  AVATAR_ALLOW_PRIVATE: flag,
  AVATAR_HOSTS: list,
  SHARE_SECRET: list,
  QUICK_AUTH_ORIGIN: origin("QUICK_AUTH_ORIGIN").default(DEFAULT_QUICK_AUTH_ORIGIN),
  HUB_URL: baseUrl("HUB_URL").optional(),
  HUB_API_KEY: z.string().trim().min(1).optional(),
  RENDER_CACHE_MB: z.coerce.number().min(0).max(4096).default(64),
  PREVIEW: flag,
  ACCOUNT_ASSOCIATION_HEADER: z.string().trim().min(1).optional(),
  ACCOUNT_ASSOCIATION_PAYLOAD: z.string().trim().min(1).optional(),
  ACCOUNT_ASSOCIATION_SIGNATURE: z.string().trim().min(1).optional(),
  APP_NAME: z.string().optional(),
  APP_BUTTON_TITLE: z.string().optional(),
  APP_DESCRIPTION: z.string().optional(),
  APP_TAGLINE: z.string().optional(),
  APP_COLOR: z.string().optional(),
  APP_ICON_URL: z.string().optional(),
  APP_SPLASH_URL: z.string().optional(),
  ANALYTICS: onOff("ANALYTICS"),
  DATA_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: postgresUrl.optional(),
  ANALYTICS_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(400),
  // It travels as `Authorization: Bearer <token>`: printable ASCII with no space, or no request can carry it.
  STATS_TOKEN: z.string().trim().min(1).max(1024).regex(/^[\x21-\x7e]+$/, STATS_TOKEN_RULE).optional(),
  NOTIFICATIONS: onOff("NOTIFICATIONS"),
  NOTIFY_ALLOW_PRIVATE: flag,
  NOTIFY_MILESTONES: milestones,
});

/**
 * DATA_DIR made absolute against the working directory. The folder is the deployment's own, written
 * at run time, never a file the server ships: `node:path` is reached through getBuiltinModule so
 * output tracing does not take a path built from the working directory for files to ship (it would
 * copy the whole project into a standalone server).
 */
function absoluteDataDir(dir: string): string {
  const path = process.getBuiltinModule("node:path") as typeof import("node:path");
  return path.resolve(dir);
}

/** Where the SQLite store goes when DATA_DIR is not set: `data/` in the working directory (git-ignored here). */
export const DEFAULT_DATA_DIR = "data";

/** Where the code's own settings come in: the app, as `createNextCastcard`, `runOgService` or castcard.config.mjs give it. */
export interface LoadConfigOptions {
  /** Who the app is; the environment's APP_* settings win over it. */
  app?: AppInput;
}

/** What a person should know at start about the share analytics settings. */
function analyticsWarnings(e: z.infer<typeof schema>, production: boolean): string[] {
  if (!e.ANALYTICS) return e.DATABASE_URL || e.STATS_TOKEN ? ["ANALYTICS=off: DATABASE_URL and STATS_TOKEN are not used."] : [];
  const warnings: string[] = [];
  if (e.SHARE_SECRET.length === 0) {
    warnings.push(
      "Share analytics without SHARE_SECRET: share ids can be worked out by anyone and reports need no sign-in, so anyone can post casts, cancels and launches for any share to /api/events (the /stats numbers can be written by anyone).",
    );
  }
  if (production && !e.STATS_TOKEN) {
    warnings.push(
      "STATS_TOKEN is not set: /stats and /api/stats answer 404 in production (npm start, next start, castcard-og) until it is. Set STATS_TOKEN to a long random value (only a development run, npm run dev, serves them without one).",
    );
  }
  if (e.STATS_TOKEN && e.STATS_TOKEN.length < 16) warnings.push("STATS_TOKEN is shorter than 16 characters: use a long random value.");
  return warnings;
}

/**
 * Reads and validates the configuration. Throws ConfigError with one line a person can act on;
 * returns the warnings to print once at start-up.
 */
export function loadConfig(env: Env, options: LoadConfigOptions = {}): { config: CastcardConfig; warnings: string[] } {
  // Empty strings mean "unset" (common in .env files and CI).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.join(".");
    throw new ConfigError(issue.code === "custom" ? issue.message : `${key}: ${issue.message}`);
  }
  const e = parsed.data;
  const warnings: string[] = [];
  const production = e.NODE_ENV === "production";

  let appUrl = e.APP_URL ?? e.NEXT_PUBLIC_URL;
  if (!appUrl) {
    if (production) {
      throw new ConfigError(
        "APP_URL is not set: set it to the app's public https origin (e.g. APP_URL=https://castcard.example.com).",
      );
    }
    appUrl = `http://localhost:${e.PORT}`;
    warnings.push(`APP_URL is not set; using ${appUrl}. Farcaster clients need a public https URL (see README).`);
  } else if (!appUrl.startsWith("https:")) {
    warnings.push(`APP_URL is ${appUrl}: fine locally, but Farcaster clients need a public https URL (see README).`);
  }

  if (e.AVATAR_ALLOW_PRIVATE) {
    warnings.push("AVATAR_ALLOW_PRIVATE=1: avatars may be fetched over http and from private hosts. Tests only.");
  }
  if (production && e.SHARE_SECRET.length === 0) {
    warnings.push("SHARE_SECRET is not set: anyone can render any name on this domain's /api/og.");
  }
  if (e.SHARE_SECRET.length === 0) {
    warnings.push(
      "POST /api/share is open (no SHARE_SECRET): it mints a card for whatever fid and name it is sent, without sign-in.",
    );
  }
  if (e.HUB_API_KEY && !e.HUB_URL) warnings.push("HUB_API_KEY is set without HUB_URL: it is not used.");
  if (!e.HUB_URL && e.SHARE_SECRET.length > 0) {
    warnings.push("HUB_URL is not set: the fid is verified, but the name and picture on a card are the ones the app sends.");
  }

  const app = resolveApp(options.app, {
    APP_NAME: e.APP_NAME,
    APP_BUTTON_TITLE: e.APP_BUTTON_TITLE,
    APP_DESCRIPTION: e.APP_DESCRIPTION,
    APP_TAGLINE: e.APP_TAGLINE,
    APP_COLOR: e.APP_COLOR,
    APP_ICON_URL: e.APP_ICON_URL,
    APP_SPLASH_URL: e.APP_SPLASH_URL,
  });

  const { ACCOUNT_ASSOCIATION_HEADER: header, ACCOUNT_ASSOCIATION_PAYLOAD: payload, ACCOUNT_ASSOCIATION_SIGNATURE: signature } = e;
  const accountAssociation = header && payload && signature ? { header, payload, signature } : null;
  if (!accountAssociation) {
    warnings.push(
      "ACCOUNT_ASSOCIATION_HEADER/_PAYLOAD/_SIGNATURE are not all set: /.well-known/farcaster.json is served without accountAssociation.",
    );
  }

  const statsToken = e.STATS_TOKEN ?? null;
  warnings.push(...analyticsWarnings(e, production));

  const notifications = notificationsOf(e, warnings);

  return {
    config: {
      appUrl,
      ogUrl: e.OG_SERVICE_URL ?? appUrl,
      port: e.PORT,
      host: e.HOST ?? null,
      production,
      app,
      avatar: { allowPrivate: e.AVATAR_ALLOW_PRIVATE, hosts: e.AVATAR_HOSTS.length ? e.AVATAR_HOSTS : null },
      shareSecrets: e.SHARE_SECRET,
      auth: { required: e.SHARE_SECRET.length > 0, origin: e.QUICK_AUTH_ORIGIN, domain: new URL(appUrl).host },
      hub: e.HUB_URL ? { url: e.HUB_URL, apiKey: e.HUB_API_KEY ?? null } : null,
      renderCacheBytes: Math.round(e.RENDER_CACHE_MB * 1024 * 1024),
      preview: e.PREVIEW || !production,
      accountAssociation,
      analytics: {
        enabled: e.ANALYTICS,
        dataDir: absoluteDataDir(e.DATA_DIR ?? DEFAULT_DATA_DIR),
        databaseUrl: e.DATABASE_URL ?? null,
        retentionDays: e.ANALYTICS_RETENTION_DAYS,
        statsToken,
      },
      notifications,
    },
    warnings,
  };
}
