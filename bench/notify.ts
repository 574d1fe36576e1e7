// Notifications in `npm run bench` (or alone: BENCH_ONLY=notify npm run bench), in process, on
// SQLite and PostgreSQL:
//   1. POST /api/webhook: signed events per second (signature, hub check with the signer list
//      cached as in production, token written), one at a time and 8 at once;
//   2. the same launch crossing a milestone, crossing none, and with notifications off,
//      interleaved, one launch per transaction (crossing adds ≤ 1 ms p50);
//   3. 10,000 due notifications delivered to a local notification host, batched by url.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { openStore, type EventRecord, type Store, type StoreTarget } from "../packages/castcard/src/analytics/index";
import { createSignerLookup } from "../packages/castcard/src/notify/hub/signers";
import { createDelivery } from "../packages/castcard/src/notify/outbox/delivery";
import { recordReach } from "../packages/castcard/src/notify/outbox/reach";
import type { NotifyDb, NotifyTables } from "../packages/castcard/src/notify/store/schema";
import { createWebhookRoute } from "../packages/castcard/src/notify/webhook/route";
import { makeAppKey, signEvent } from "../tests/support/app-keys";
import { startHubServer } from "../tests/support/hub-server";
import { startNotificationHost } from "../tests/support/notification-host";
import { startTestPostgres } from "../tests/support/postgres";
import { ms, percentile, rate, table } from "./lib";

const quick = process.env.BENCH_QUICK === "1";
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);
const WEBHOOK_EVENTS = quick ? 300 : 2000;
const LAUNCHES = quick ? 100 : 500;
const DUE = quick ? 1000 : 10_000;

export interface NotifyFigures {
  text: string;
  targets: Array<[string, string, boolean]>;
}

const notifyDb = (store: Store): NotifyDb => ({ kind: store.kind, db: store.db as unknown as Kysely<NotifyTables> });

async function webhookRate(store: Store, hubUrl: string, keys: Array<{ fid: number; key: ReturnType<typeof makeAppKey> }>) {
  // Unlimited per fid here: the bench reuses 50 keys for thousands of events.
  const route = createWebhookRoute({ db: () => notifyDb(store), lookup: createSignerLookup({ url: hubUrl }), limit: { burst: 1e9, windowMs: 60_000, maxKeys: 1000 } });
  const bodies = keys.map(({ fid, key }, i) => JSON.stringify(signEvent(fid, key, { event: "notifications_enabled", notificationDetails: { url: "https://n.example.com/x", token: `t${i}` } })));
  const post = (body: string) => route(new Request("https://castcard.example.com/api/webhook", { method: "POST", headers: { "content-type": "application/json" }, body }));
  // Warm the signer cache once per fid, as a running server has it.
  for (const body of bodies.slice(0, keys.length)) await post(body);
  let start = performance.now();
  for (const body of bodies) if ((await post(body)).status !== 200) throw new Error("webhook refused a valid event");
  const sequential = bodies.length / ((performance.now() - start) / 1000);
  start = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < bodies.length) if ((await post(bodies[next++]!)).status !== 200) throw new Error("webhook refused a valid event");
  }));
  return { sequential, concurrent: bodies.length / ((performance.now() - start) / 1000) };
}

async function launchCost(target: () => Promise<StoreTarget>) {
  // The same launch (a new share's first viewer; its minter has a token) on three stores:
  // notifications on and it crosses the first milestone, on and it crosses none, and off.
  const hooked = async (milestones: number[]) =>
    openStore(await target(), { onLaunches: (tx, l) => recordReach(tx as Kysely<NotifyTables>, l, milestones, Date.now()).then(() => undefined) });
  const stores = { crossing: await hooked([1]), quiet: await hooked([]), off: openStore(await target()) };
  for (const store of Object.values(stores)) await store.migrate();
  const now = Date.now();
  const launch = (share: string, viewerFid: number): EventRecord => ({ type: "launch", share, design: "seed", at: now, viewerFid, castHash: null, castFid: null });
  const id = (i: number) => `c${String(i).padStart(21, "0")}`;
  const times = { off: [] as number[], quiet: [] as number[], crossing: [] as number[] };
  for (let i = 1; i <= LAUNCHES; i++) {
    const fid = 1000 + i;
    for (const [name, store] of Object.entries(stores) as Array<[keyof typeof times, Store]>) {
      if (name !== "off") {
        await notifyDb(store).db.insertInto("castcard_notify_tokens").values({ fid, app_fid: 9152, url: "https://n.example.com/x", token: `t${i}`, at: now, last_sent_at: 0, sent_day: 0, sent_today: 0 }).execute();
      }
      await store.write([{ id: id(i), fid, design: "seed", at: now }], []);
    }
    // Interleaved: the machine's load falls on all three alike.
    for (const [name, store] of Object.entries(stores) as Array<[keyof typeof times, Store]>) {
      const t = performance.now();
      await store.write([], [launch(id(i), 20_000 + i)]);
      times[name].push(performance.now() - t);
    }
  }
  const due = await notifyDb(stores.crossing).db.selectFrom("castcard_notify_outbox").select((eb) => eb.fn.countAll().as("n")).executeTakeFirst();
  if (Number(due?.n) !== LAUNCHES) throw new Error(`expected ${LAUNCHES} due notifications, found ${due?.n}`);
  await Promise.all(Object.values(stores).map((s) => s.close()));
  const p50 = (list: number[]) => percentile([...list].sort((a, b) => a - b), 50);
  return { off: p50(times.off), quiet: p50(times.quiet), crossing: p50(times.crossing) };
}

async function deliverDue(store: Store) {
  const host = await startNotificationHost();
  const db = notifyDb(store).db;
  const now = Date.now();
  for (let i = 0; i < DUE; i += 500) {
    const fids = Array.from({ length: Math.min(500, DUE - i) }, (_, k) => 100_000 + i + k);
    await db.insertInto("castcard_notify_tokens").values(fids.map((fid) => ({ fid, app_fid: 9152, url: host.url, token: host.issue(fid), at: now, last_sent_at: 0, sent_day: 0, sent_today: 0 }))).execute();
    await db.insertInto("castcard_notify_outbox").values(fids.map((fid) => ({ share_id: `s${fid}`.padEnd(22, "x"), app_fid: 9152, fid, milestone: 1, next_at: now, first_at: now, attempts: 0 }))).execute();
  }
  const delivery = createDelivery({ db: () => notifyDb(store), guard: { allowPrivate: true }, app: { name: "Bench", url: "https://castcard.example.com" }, intervalMs: 3600_000 });
  const start = performance.now();
  let handled = 0;
  while (handled < DUE) {
    const n = await delivery.runOnce();
    if (n === 0) break;
    handled += n;
  }
  const seconds = (performance.now() - start) / 1000;
  await delivery.stop();
  await host.close();
  return { seconds, delivered: host.delivered.length, posts: host.requests.length };
}

export async function notifySection(): Promise<NotifyFigures> {
  const dirs: string[] = [];
  const dir = () => {
    const d = mkdtempSync(join(tmpdir(), "castcard-bench-notify-"));
    dirs.push(d);
    return d;
  };
  const keys = Array.from({ length: 50 }, (_, i) => ({ fid: 500 + i, key: makeAppKey() }));
  const hub = await startHubServer({}, { signers: Object.fromEntries(keys.map(({ fid, key }) => [fid, [{ key: key.key, appFid: 9152 }]])) });
  const postgres = await startTestPostgres();
  const rows: string[][] = [];
  const targets: NotifyFigures["targets"] = [];
  try {
    for (const kind of ["sqlite", "postgres"] as const) {
      const target = async (): Promise<StoreTarget> => (kind === "sqlite" ? { kind, file: join(dir(), "castcard.sqlite") } : { kind, url: await postgres.createDatabase() });
      progress(`notifications on ${kind}: webhook`);
      const store = openStore(await target());
      await store.migrate();
      const webhook = await webhookRate(store, hub.url, Array.from({ length: WEBHOOK_EVENTS }, (_, i) => keys[i % keys.length]!));
      progress(`notifications on ${kind}: launches`);
      const launch = await launchCost(target);
      progress(`notifications on ${kind}: ${DUE} due notifications`);
      const due = await deliverDue(store);
      await store.close();
      const added = launch.crossing - launch.quiet;
      rows.push(
        [kind, "POST /api/webhook, one at a time · 8 at once", `${rate(webhook.sequential)} · ${rate(webhook.concurrent)}`],
        [kind, "a new share's first launch, p50: notifications off · on, crossing none · crossing a milestone", `${ms(launch.off)} · ${ms(launch.quiet)} · ${ms(launch.crossing)}`],
        [kind, `${DUE.toLocaleString("en-US")} due notifications to a local host`, `${due.seconds.toFixed(1)} s (${rate(due.delivered / due.seconds)}; ${due.posts} POSTs, ${due.delivered} delivered)`],
      );
      targets.push([`${kind}: a launch crossing a milestone adds ≤ 1 ms p50 (against one that does not)`, ms(added), added <= 1]);
      targets.push([`${kind}: every due notification delivered`, `${due.delivered} of ${DUE}`, due.delivered === DUE]);
    }
  } finally {
    await Promise.all([hub.close(), postgres.stop()]);
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
  const text = ["### Notifications", "", "In process (no HTTP server in front); the hub and the notification host are local.", "", table(["store", "what", "measured"], rows)].join("\n");
  return { text, targets };
}
