// Long on purpose: reach milestones and their delivery on both stores, one suite: launches recorded by the real analytics
// writer (the due notification commits with them), a delivery loop on a controlled clock, and a
// local notification host that enforces the spec.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { openStore, type EventRecord, type Store } from "../../packages/castcard/src/analytics/index";
import { createDelivery, type Delivery } from "../../packages/castcard/src/notify/outbox/delivery";
import { recordReach } from "../../packages/castcard/src/notify/outbox/reach";
import type { NotifyDb, NotifyTables } from "../../packages/castcard/src/notify/store/schema";
import { saveToken, tokensOf } from "../../packages/castcard/src/notify/store/tokens";
import { startNotificationHost, type NotificationHost } from "../support/notification-host";
import { startTestPostgres, type TestPostgres } from "../support/postgres";

const APP = { name: "Acme Quest", url: "https://castcard.example.com" };
const MINTER = 42;
const T0 = Date.UTC(2026, 5, 1, 12);

let postgres: TestPostgres;
let host: NotificationHost;
/** A second client's notification server: each client dedupes (fid, notificationId) on its own. */
let host2: NotificationHost;
let clock = T0;
const now = () => clock;
const dirs: string[] = [];

beforeAll(async () => {
  [postgres, host, host2] = await Promise.all([
    startTestPostgres(),
    startNotificationHost({ appHost: "castcard.example.com", now }),
    startNotificationHost({ appHost: "castcard.example.com", now }),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), host?.close(), host2?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
const shareId = () => `share${String(++serial).padStart(17, "0")}`;
const launch = (share: string, viewerFid: number | null): EventRecord => ({ type: "launch", share, design: "seed", at: clock, viewerFid, castHash: null, castFid: null });

describe.each(["sqlite", "postgres"] as const)("reach notifications on %s", (kind) => {
  let store: Store;
  let notify: NotifyDb;
  let delivery: Delivery;
  let milestones = [1, 5, 25];
  const guard = { allowPrivate: true, timeoutMs: 500 };

  const open = async (): Promise<Store> => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-outbox-"));
    dirs.push(dir);
    const target = kind === "sqlite" ? ({ kind, file: join(dir, "castcard.sqlite") } as const) : ({ kind, url: await postgres.createDatabase() } as const);
    return openStore(target, { onLaunches: (tx, launches) => recordReach(tx as Kysely<NotifyTables>, launches, milestones, clock).then(() => undefined) });
  };

  beforeAll(async () => {
    store = await open();
    await store.migrate();
    notify = { kind, db: store.db as unknown as Kysely<NotifyTables> };
    delivery = createDelivery({ db: () => notify, guard, app: APP, now, intervalMs: 3600_000 });
  });
  afterAll(async () => {
    await delivery?.stop();
    await store?.close();
  });
  beforeEach(() => {
    clock += 86_400_000; // a fresh day: no token limit carries over between tests
    milestones = [1, 5, 25];
  });

  const outbox = () => notify.db.selectFrom("castcard_notify_outbox").selectAll().execute();
  const mint = async (fid = MINTER) => {
    const id = shareId();
    await store.write([{ id, fid, design: "seed", at: clock }], []);
    return id;
  };
  const enable = async (fid: number, appFid: number, on = host) => {
    const token = on.issue(fid);
    const url = on.url;
    await saveToken(notify, { fid, appFid, url, token, at: clock });
    return token;
  };
  const viewers = (share: string, from: number, to: number) => store.write([], Array.from({ length: to - from + 1 }, (_, i) => launch(share, from + i)));
  const deliveredFor = (share: string) => host.delivered.filter((d) => d.notificationId.startsWith(`reach:${share}:`));

  it("tells the minter on every client at the first viewer, and not for their own launches or repeat viewers", async () => {
    const fid = 1000 + serial;
    const [a, b] = [await enable(fid, 9152), await enable(fid, 777, host2)];
    const share = await mint(fid);
    await store.write([], [launch(share, fid), launch(share, null)]);
    expect(await outbox()).toEqual([]);
    await store.write([], [launch(share, 7), launch(share, 7)]);
    expect((await outbox()).map((r) => [Number(r.app_fid), Number(r.milestone)]).sort()).toEqual([
      [777, 1],
      [9152, 1],
    ]);
    expect(await delivery.runOnce()).toBe(2);
    const sent = [...deliveredFor(share), ...host2.delivered.filter((d) => d.notificationId.startsWith(`reach:${share}:`))];
    expect(sent.map((d) => d.token).sort()).toEqual([a, b].sort());
    expect(sent[0]).toMatchObject({
      notificationId: `reach:${share}:1`,
      title: "Your card brought 1 person",
      body: "1 person opened Acme Quest from your cast.",
      targetUrl: `https://castcard.example.com/?reach=${share}`,
    });
    expect(await outbox()).toEqual([]);
    await viewers(share, 7, 7);
    expect(await outbox()).toEqual([]);
  });

  it("waits out a token's 30 s, then sends only the newest milestone reached meanwhile", async () => {
    const fid = 2000 + serial;
    await enable(fid, 9152);
    const share = await mint(fid);
    await viewers(share, 1, 1);
    await delivery.runOnce();
    clock += 5_000;
    await viewers(share, 2, 5);
    expect(await delivery.runOnce()).toBe(0);
    await viewers(share, 6, 25);
    clock += 25_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(deliveredFor(share).map((d) => [d.notificationId, d.title])).toEqual([
      [`reach:${share}:1`, "Your card brought 1 person"],
      [`reach:${share}:25`, "Your card brought 25 people"],
    ]);
  });

  it("never sends a token more than 100 a day", async () => {
    const fid = 3000 + serial;
    await enable(fid, 9152);
    milestones = Array.from({ length: 120 }, (_, i) => i + 1);
    for (let i = 1; i <= 101; i++) {
      const share = await mint(fid);
      await viewers(share, 1, 1);
      clock += 30_000;
      await delivery.runOnce();
    }
    expect(host.delivered.filter((d) => d.fid === fid)).toHaveLength(100);
    expect(await outbox()).toHaveLength(1);
    clock += 86_400_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(host.delivered.filter((d) => d.fid === fid)).toHaveLength(101);
  });

  it("deletes invalid tokens for good and retries rate-limited ones after 30 s", async () => {
    const fid = 4000 + serial;
    const bad = await enable(fid, 1);
    const busy = await enable(fid, 2);
    host.invalidate(bad);
    host.setRateLimited(busy, true);
    const share = await mint(fid);
    await viewers(share, 1, 1);
    await delivery.runOnce();
    expect((await tokensOf(notify, fid)).map((t) => t.appFid)).toEqual([2]);
    expect((await outbox()).map((r) => [Number(r.app_fid), Number(r.next_at) - clock])).toEqual([[2, 30_000]]);
    host.setRateLimited(busy, false);
    clock += 29_000;
    expect(await delivery.runOnce()).toBe(0);
    clock += 1_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(deliveredFor(share).map((d) => d.token)).toEqual([busy]);
    const stats = await notify.db.selectFrom("castcard_notify_daily").selectAll().where("day", "=", Math.floor(clock / 86_400_000)).executeTakeFirstOrThrow();
    expect(stats).toMatchObject({ invalid: 1, rate_limited: 1, delivered: 1 });
  });

  it("retries a failing host with backoff and the same id, and gives up after an hour", async () => {
    const fid = 5000 + serial;
    await enable(fid, 1);
    const share = await mint(fid);
    await viewers(share, 1, 1);
    host.setMode({ kind: "fail", status: 503 });
    await delivery.runOnce();
    const [first] = await outbox();
    expect(Number(first!.next_at) - clock).toBe(30_000);
    clock += 30_000;
    await delivery.runOnce();
    expect(Number((await outbox())[0]!.next_at) - clock).toBe(60_000);
    host.setMode({ kind: "hang" });
    clock += 60_000;
    await delivery.runOnce();
    host.setMode({ kind: "up" });
    clock += 120_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(deliveredFor(share).map((d) => d.notificationId)).toEqual([`reach:${share}:1`]);
    expect(host.requests.filter((r) => r.notificationId === `reach:${share}:1`)).toHaveLength(4);

    const late = await mint(fid);
    await viewers(late, 1, 1);
    host.setMode({ kind: "fail", status: 500 });
    for (let i = 0; i < 12; i++) {
      clock += 15 * 60_000;
      await delivery.runOnce();
    }
    host.setMode({ kind: "up" });
    expect(await outbox()).toEqual([]);
    expect(deliveredFor(late)).toEqual([]);
  });

  it("resends the same id after a claim whose sender died, and the host dedupes it", async () => {
    const fid = 6000 + serial;
    await enable(fid, 1);
    const share = await mint(fid);
    await viewers(share, 1, 1);
    const { claimDue } = await import("../../packages/castcard/src/notify/outbox/claim");
    const { sendNotification } = await import("../../packages/castcard/src/notify/outbox/send");
    const { reachNotification } = await import("../../packages/castcard/src/notify/outbox/texts");
    const [row] = await claimDue(notify, clock, 10);
    // Sent, then the process died before writing the outcome.
    await sendNotification(row!.url, { ...reachNotification(row!.share, row!.milestone, APP), tokens: [row!.token] }, guard);
    expect(await delivery.runOnce()).toBe(0);
    clock += 60_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(host.requests.filter((r) => r.notificationId === `reach:${share}:1`)).toHaveLength(2);
    expect(deliveredFor(share)).toHaveLength(1);
    expect(await outbox()).toEqual([]);
  });

  it("batches one notification's tokens per url, at most 100 to a POST (the host dedupes them for the fid)", async () => {
    const fid = 7000 + serial;
    for (let app = 1; app <= 150; app++) await enable(fid, app);
    const share = await mint(fid);
    await viewers(share, 1, 1);
    const before = host.requests.length;
    expect(await delivery.runOnce()).toBe(150);
    expect(host.requests.slice(before).map((r) => r.tokens).sort()).toEqual([100, 50]);
    expect(deliveredFor(share)).toHaveLength(1);
    expect(await outbox()).toEqual([]);
  });

  it("treats a notification URL as hostile: http, private addresses, names resolving to them and redirects drop the token; slow and huge answers are retried", async () => {
    const strict = createDelivery({
      db: () => notify,
      // The production guards: https on 443 only, public addresses only, checked at connect time
      // against what the name resolves to (pinning is the guarded fetcher's own test).
      guard: { allowPrivate: false, timeoutMs: 500, resolve: async () => ["127.0.0.1"] },
      app: APP,
      now,
      intervalMs: 3600_000,
    });
    const fid = 8000 + serial;
    const urls = [host.url, `https://127.0.0.1:${host.port}/x`, "https://10.0.0.8/x", "https://loopback.example/x", "https://[::1]/x"];
    for (const [i, url] of urls.entries()) await saveToken(notify, { fid, appFid: i + 1, url, token: host.issue(fid), at: clock });
    const share = await mint(fid);
    const before = host.requests.length;
    await viewers(share, 1, 1);
    await strict.runOnce();
    await strict.stop();
    expect(host.requests.length).toBe(before);
    expect(await tokensOf(notify, fid)).toEqual([]);

    // Allowed to reach the local host, which misbehaves: a redirect is never followed.
    const fid2 = fid + 1;
    const token = await enable(fid2, 1);
    const share2 = await mint(fid2);
    host.setMode({ kind: "redirect", to: "http://127.0.0.1:1/elsewhere" });
    await viewers(share2, 1, 1);
    await delivery.runOnce();
    expect(await tokensOf(notify, fid2)).toEqual([]);

    const fid3 = fid + 2;
    await enable(fid3, 1);
    const share3 = await mint(fid3);
    for (const mode of [{ kind: "huge" }, { kind: "slow", ms: 2000 }] as const) {
      host.setMode(mode);
      await viewers(share3, (await outbox()).length + 1, (await outbox()).length + 1);
      clock += 15 * 60_000;
      await delivery.runOnce();
      expect((await outbox()).map((r) => r.share_id), mode.kind).toEqual([share3]);
    }
    host.setMode({ kind: "up" });
    clock += 15 * 60_000;
    expect(await delivery.runOnce()).toBe(1);
    expect(deliveredFor(share3)).toHaveLength(1);
    expect(token).toBeTruthy();
  });
});

describe("moving the store", () => {
  it("copyStore carries tokens, reach and what is due from SQLite to PostgreSQL", async () => {
    const { copyStore } = await import("../../packages/castcard/src/analytics/index");
    const dir = mkdtempSync(join(tmpdir(), "castcard-outbox-copy-"));
    dirs.push(dir);
    const from = openStore({ kind: "sqlite", file: join(dir, "castcard.sqlite") }, { onLaunches: (tx, l) => recordReach(tx as Kysely<NotifyTables>, l, [1], clock).then(() => undefined) });
    const to = openStore({ kind: "postgres", url: await postgres.createDatabase() });
    try {
      await from.migrate();
      const source: NotifyDb = { kind: "sqlite", db: from.db as unknown as Kysely<NotifyTables> };
      await saveToken(source, { fid: 9, appFid: 9152, url: host.url, token: "t-9", at: clock });
      await from.write([{ id: "copyshare0000000000000", fid: 9, design: "seed", at: clock }], [launch("copyshare0000000000000", 10)]);
      const copied = await copyStore(from, to);
      expect(copied).toMatchObject({ castcard_notify_tokens: 1, castcard_notify_viewers: 1, castcard_notify_reach: 1, castcard_notify_outbox: 1 });
      const target: NotifyDb = { kind: "postgres", db: to.db as unknown as Kysely<NotifyTables> };
      expect(await tokensOf(target, 9)).toEqual([{ appFid: 9152, url: host.url, token: "t-9" }]);
      expect((await target.db.selectFrom("castcard_notify_outbox").selectAll().execute()).map((r) => [r.share_id, Number(r.milestone)])).toEqual([["copyshare0000000000000", 1]]);
    } finally {
      await Promise.all([from.close(), to.close()]);
    }
  });
});
