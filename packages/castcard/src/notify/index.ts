// notify/: telling sharers what their card brought. The signed webhook keeps a token per (fid,
// client app); launches that take a share past a milestone make a notification due in their own
// transaction; the delivery loop sends what is due within each token's limits.
import type { Kysely } from "kysely";
import type { LaunchHook, NotificationStats, Store } from "../analytics/index";
import type { VerifyAuthorization } from "../farcaster/auth/index";
import { createSignerLookup, type SignerLookup } from "./hub/signers";
import { createDelivery, type Delivery } from "./outbox/delivery";
import { recordReach } from "./outbox/reach";
import type { SendGuard } from "./outbox/send";
import type { ReachTexts } from "./outbox/texts";
import { createReachRoute, type ReachCards } from "./reach/route";
import type { NotifyDb, NotifyTables } from "./store/schema";
import { notificationStats } from "./store/stats";
import { createWebhookRoute } from "./webhook/route";

export { createSignerLookup, requestFidOf, type KeyCheck, type SignerLookup } from "./hub/signers";
export { DEFAULT_REACH_TEXTS, notificationIdOf, parseNotificationId, reachNotification, type ReachTexts } from "./outbox/texts";
export type { NotifyDb, NotifyTables } from "./store/schema";
export { createReachRoute, readReach, type Reach, type ReachCards, type ReachRouteOptions } from "./reach/route";

/** The store as notifications and reach see it: the analytics database. */
export function notifyDbOf(store: Store | null): NotifyDb | null {
  return store ? { kind: store.kind, db: store.db as unknown as Kysely<NotifyTables> } : null;
}

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
  /** Quick Auth for GET /api/reach when sign-in is on; null: `?fid=`. */
  verify?: VerifyAuthorization | null;
  /** The card URL module: GET /api/reach mints each share's image URL with it. */
  cards?: ReachCards | null;
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
  /** GET /api/reach (a sharer's reach) and POST /api/reach (a notification opened the app). */
  reach: (request: Request) => Promise<Response>;
  /** The notifications section of /api/stats and /stats. */
  stats(days: number, now: number): Promise<NotificationStats>;
  delivery: Delivery;
  /** The store as notifications see it, or null while it is not usable. */
  db(): NotifyDb | null;
  close(): Promise<void>;
}

export function createNotifications(options: NotificationsOptions): Notifications {
  const now = options.now ?? Date.now;
  const db = () => notifyDbOf(options.store());
  const delivery = createDelivery({ db, guard: options.guard, app: options.app, texts: options.texts, intervalMs: options.intervalMs, now, log: options.log });
  const lookup = options.lookup ?? createSignerLookup({ url: options.hub.url, apiKey: options.hub.apiKey });
  return {
    async onLaunches(tx, launches) {
      const due = await recordReach(tx as Kysely<NotifyTables>, launches, options.milestones, now());
      // The rows commit with the launches just after this returns; the loop looks shortly after.
      if (due) setTimeout(() => delivery.wake(), 20).unref();
    },
    webhook: createWebhookRoute({ db, lookup, now, log: options.log }),
    reach: createReachRoute({ db, verify: options.verify ?? null, cards: options.cards ?? null, now }),
    async stats(days, at) {
      const store = db();
      if (!store) throw new Error("the store is not available");
      return notificationStats(store, days, at);
    },
    delivery,
    db,
    close: () => delivery.stop(),
  };
}
