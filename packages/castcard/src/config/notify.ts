// The notification settings: NOTIFICATIONS, NOTIFY_MILESTONES, NOTIFY_ALLOW_PRIVATE (see
// docs/notifications.md), read with the rest of the environment by index.ts.
import { z } from "zod";

/** `enabled` needs NOTIFICATIONS on (the default), HUB_URL (app keys are checked there) and analytics (their store). */
export interface NotificationSettings {
  enabled: boolean;
  /** Test-only: notification URLs may be http and on loopback/private hosts. Never in production. */
  allowPrivate: boolean;
  /** NOTIFY_MILESTONES: distinct viewers of a share at which its minter is told, ascending. */
  milestones: number[];
}

export const DEFAULT_MILESTONES = [1, 5, 25, 100, 500, 1000];

export const milestones = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined) return DEFAULT_MILESTONES;
    const values = v.split(",").map((s) => s.trim()).filter(Boolean).map(Number);
    const ascending = values.every((n, i) => Number.isSafeInteger(n) && n >= 1 && n <= 1_000_000_000 && (i === 0 || n > values[i - 1]!));
    if (values.length > 0 && values.length <= 50 && ascending) return values;
    ctx.addIssue({ code: "custom", message: `NOTIFY_MILESTONES must be ascending whole numbers of viewers separated by commas (e.g. 1,5,25,100), got "${v}"` });
    return z.NEVER;
  });

/** The notification settings, decided, and the warnings they call for. */
export function notificationsOf(e: { NOTIFICATIONS: boolean; ANALYTICS: boolean; HUB_URL?: string; NOTIFY_ALLOW_PRIVATE: boolean; NOTIFY_MILESTONES: number[] }, warnings: string[]): NotificationSettings {
  if (e.NOTIFICATIONS && e.ANALYTICS && !e.HUB_URL) {
    warnings.push("Notifications need HUB_URL (app keys are checked on a hub): without it the manifest has no webhookUrl and no one is notified. NOTIFICATIONS=off says this is meant.");
  }
  if (e.NOTIFY_ALLOW_PRIVATE) warnings.push("NOTIFY_ALLOW_PRIVATE=1: notifications may be sent over http and to private hosts. Tests only.");
  return { enabled: e.NOTIFICATIONS && e.ANALYTICS && Boolean(e.HUB_URL), allowPrivate: e.NOTIFY_ALLOW_PRIVATE, milestones: e.NOTIFY_MILESTONES };
}
