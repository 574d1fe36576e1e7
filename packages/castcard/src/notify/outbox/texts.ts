// What a reach notification says, within the limits clients enforce (title ≤ 32, body ≤ 128,
// notificationId ≤ 128 characters), cut on whole graphemes whatever the app's name is made of.
import { clipText, DEFAULT_NOTIFICATION_TEXTS } from "../../config/index";

export interface ReachTexts {
  /** `{count}`, `{people}` ("person" or "people") and `{name}` (the app's) are filled in. */
  title: string;
  body: string;
}

export const DEFAULT_REACH_TEXTS: ReachTexts = DEFAULT_NOTIFICATION_TEXTS;

export const LIMITS = { notificationId: 128, title: 32, body: 128, targetUrl: 1024, tokens: 100 } as const;

/** The id a client dedupes by: the same for a (share, milestone) on every try. */
export const notificationIdOf = (share: string, milestone: number) => `reach:${share}:${milestone}`;

/** The share and milestone of one of our notification ids, or null. */
export function parseNotificationId(id: string): { share: string; milestone: number } | null {
  const match = /^reach:([A-Za-z0-9_-]{1,100}):(\d{1,10})$/.exec(id);
  return match ? { share: match[1]!, milestone: Number(match[2]) } : null;
}

const fill = (template: string, count: number, name: string) =>
  template.replaceAll("{count}", String(count)).replaceAll("{people}", count === 1 ? "person" : "people").replaceAll("{name}", name);

/** The notification for a share reaching `count` viewers, opening the share's reach view on the app's origin. */
export function reachNotification(share: string, count: number, app: { name: string; url: string }, texts: ReachTexts = DEFAULT_REACH_TEXTS) {
  return {
    notificationId: notificationIdOf(share, count),
    title: clipText(fill(texts.title, count, app.name), LIMITS.title),
    body: clipText(fill(texts.body, count, app.name), LIMITS.body),
    targetUrl: `${app.url}/?reach=${encodeURIComponent(share)}`,
  };
}
