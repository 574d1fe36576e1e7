// notify/: telling sharers what their card brought. The signed webhook keeps a token per (fid,
// client app); launches that take a share past a milestone make a notification due in their own
// transaction; the delivery loop sends what is due within each token's limits.
import type { Kysely } from "kysely";
import type { LaunchHook, Store } from "../analytics/index";
import { createSignerLookup, type SignerLookup } from "./hub/signers";
import { createDelivery, type Delivery } from "./outbox/delivery";
import { recordReach } from "./outbox/reach";
import type { SendGuard } from "./outbox/send";
import type { ReachTexts } from "./outbox/texts";
import type { NotifyDb, NotifyTables } from "./store/schema";
import { createWebhookRoute } from "./webhook/route";

export { createSignerLookup, requestFidOf, type KeyCheck, type SignerLookup } from "./hub/signers";
export { DEFAULT_REACH_TEXTS, notificationIdOf, parseNotificationId, reachNotification, type ReachTexts } from "./outbox/texts";
export type { NotifyDb, NotifyTables } from "./store/schema";

type Log = (entry: { event: string; [key: string]: unknown }) => void;

export interface NotificationsOptions {
  /** The analytics store while it is usable. */
  store: () => Store | null;
  /** HUB_URL and its key: where app keys are checked. */
  hub: { url: string; apiKey?: string | null };
  /** The app's name and public origin (APP_URL): the texts and where a notification opens. */
  app: { name: string; url: string };
  milestones: readonly number[];
  /** How notification URLs are fetched (NOTIFY_ALLOW_PRIVATE; tests add their ports and CA). */
  guard: SendGuard;
  texts?: ReachTexts;
  /** Given by tests; a hub lookup otherwise. */
  lookup?: SignerLookup;
  intervalMs?: number;
  now?: () => number;
  log?: Log;
}

export interface Notifications {
  /** Give to createAnalytics: counts reach and writes due notifications with the launches. */
  onLaunches: LaunchHook;
  /** POST /api/webhook */
  webhook: (request: Request) => Promise<Response>;
  delivery: Delivery;
  /** The store as notifications see it, or null while it is not usable. */
  db(): NotifyDb | null;
  close(): Promise<void>;
}

export function createNotifications(options: NotificationsOptions): Notifications {
  const now = options.now ?? Date.now;
  const db = (): NotifyDb | null => {
    const store = options.store();
    return store ? { kind: store.kind, db: store.db as unknown as Kysely<NotifyTables> } : null;
  };
  const delivery = createDelivery({ db, guard: options.guard, app: options.app, texts: options.texts, intervalMs: options.intervalMs, now, log: options.log });
  const lookup = options.lookup ?? createSignerLookup({ url: options.hub.url, apiKey: options.hub.apiKey });
  return {
    async onLaunches(tx, launches) {
      const due = await recordReach(tx as Kysely<NotifyTables>, launches, options.milestones, now());
      // The rows commit with the launches just after this returns; the loop looks shortly after.
      if (due) setTimeout(() => delivery.wake(), 20).unref();
    },
    webhook: createWebhookRoute({ db, lookup, now, log: options.log }),
    delivery,
    db,
    close: () => delivery.stop(),
  };
}
