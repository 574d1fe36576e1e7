// Notifications as configuration describes them: on with NOTIFICATIONS (default), HUB_URL and
// analytics, sent within the avatar fetcher's guards (NOTIFY_ALLOW_PRIVATE loosens them for tests).
import type { Store } from "../analytics/index";
import type { CastcardConfig } from "../config/index";
import { createQuickAuthVerifier } from "../farcaster/auth/index";
import { createNotifications, type Notifications, type NotificationsOptions } from "../notify/index";

/** What a host app or a test may set beside configuration. */
export type NotificationsOverrides = Partial<Omit<NotificationsOptions, "store">>;

export function notificationsFrom(
  config: CastcardConfig,
  store: () => Store | null,
  log: NotificationsOptions["log"],
  cards: NotificationsOptions["cards"],
  overrides: NotificationsOverrides = {},
): Notifications | null {
  if (!config.notifications.enabled || !config.hub) return null;
  return createNotifications({
    store,
    hub: config.hub,
    app: { name: config.app.name, url: config.appUrl },
    texts: config.app.notification,
    milestones: config.notifications.milestones,
    guard: { allowPrivate: config.notifications.allowPrivate },
    verify: config.auth.required ? createQuickAuthVerifier({ origin: config.auth.origin, domain: config.auth.domain }) : null,
    log,
    cards,
    ...overrides,
  });
}
