// POST /api/webhook on both stores: events signed by the official signer, a hub stand-in answering
// onChainSignersByFid with ABI-encoded metadata, and every forged, tampered or malformed variant.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createVerifyAppKeyWithHub, parseWebhookEvent } from "@farcaster/miniapp-node";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../packages/castcard/src/analytics/index";
import { createSignerLookup, requestFidOf } from "../../packages/castcard/src/notify/hub/signers";
import type { NotifyDb, NotifyTables } from "../../packages/castcard/src/notify/store/schema";
import { tokensOf } from "../../packages/castcard/src/notify/store/tokens";
import { createWebhookRoute } from "../../packages/castcard/src/notify/webhook/route";
import { makeAppKey, signEvent } from "../support/app-keys";
import { signedKeyRequestMetadata, startHubServer, type HubServer } from "../support/hub-server";
import { startTestPostgres, type TestPostgres } from "../support/postgres";

const USER = 501;
const WARPCAST = 9152;
const OTHER_CLIENT = 777;
const keyA = makeAppKey(); // USER's key in the first client
const keyB = makeAppKey(); // USER's key in the second client
const stranger = makeAppKey(); // a key of another fid
const unknown = makeAppKey(); // a key no hub knows

let hub: HubServer;
let postgres: TestPostgres;
const dirs: string[] = [];

beforeAll(async () => {
  [hub, postgres] = await Promise.all([
    startHubServer(
      {},
      {
        signers: {
          [USER]: [
            { key: keyA.key, appFid: WARPCAST },
            { key: keyB.key, appFid: OTHER_CLIENT },
          ],
          [USER + 1]: [{ key: stranger.key, appFid: WARPCAST }],
        },
      },
    ),
    startTestPostgres(),
  ]);
}, 120_000);
afterAll(async () => {
  await Promise.all([hub?.close(), postgres?.stop()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown, raw = false) =>
  new Request("https://castcard.example.com/api/webhook", {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: raw ? (body as string) : JSON.stringify(body),
  });
const details = (n: number) => ({ url: `https://notify.client-${n}.example/v1/frame-notifications`, token: `token-${n}` });

describe("the signer lookup", () => {
  it("reads requestFid from the ABI encoding, and nothing from bytes that are not one", () => {
    expect(requestFidOf(Buffer.from(signedKeyRequestMetadata(WARPCAST), "base64"))).toBe(WARPCAST);
    expect(requestFidOf(Buffer.alloc(40))).toBeNull();
    expect(requestFidOf(Buffer.from(signedKeyRequestMetadata(WARPCAST), "base64").subarray(0, 200))).toBeNull();
  });

  it("agrees with the official library on appFid for the same hub answer", async () => {
    const body = signEvent(USER, keyB, { event: "notifications_disabled" });
    const official = await parseWebhookEvent(body, createVerifyAppKeyWithHub(hub.url));
    const ours = await createSignerLookup({ url: hub.url })(USER, keyB.key);
    expect(official).toMatchObject({ fid: USER, appFid: OTHER_CLIENT, event: { event: "notifications_disabled" } });
    expect(ours).toEqual({ ok: true, appFid: official.appFid });
  });
});

describe.each(["sqlite", "postgres"] as const)("POST /api/webhook on %s", (kind) => {
  let store: Store;
  let notifyDb: NotifyDb;
  let route: (request: Request) => Promise<Response>;
  let up = true;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-webhook-"));
    dirs.push(dir);
    store = openStore(kind === "sqlite" ? { kind, file: join(dir, "castcard.sqlite") } : { kind, url: await postgres.createDatabase() });
    await store.migrate();
    notifyDb = { kind, db: store.db as unknown as Kysely<NotifyTables> };
    route = createWebhookRoute({ db: () => (up ? notifyDb : null), lookup: createSignerLookup({ url: hub.url, timeoutMs: 400 }) });
  });
  afterAll(() => store?.close());

  it("keeps one token per (fid, client app), and removing one client's leaves the other's", async () => {
    expect((await route(post(signEvent(USER, keyA, { event: "miniapp_added", notificationDetails: details(1) })))).status).toBe(200);
    expect((await route(post(signEvent(USER, keyB, { event: "notifications_enabled", notificationDetails: details(2) })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([
      { appFid: OTHER_CLIENT, ...details(2) },
      { appFid: WARPCAST, ...details(1) },
    ]);
    expect((await route(post(signEvent(USER, keyA, { event: "notifications_disabled" })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([{ appFid: OTHER_CLIENT, ...details(2) }]);
    // A new token from the same client replaces that client's only.
    expect((await route(post(signEvent(USER, keyB, { event: "notifications_enabled", notificationDetails: details(3) })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([{ appFid: OTHER_CLIENT, ...details(3) }]);
    expect((await route(post(signEvent(USER, keyB, { event: "miniapp_removed" })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([]);
  });

  it("accepts the older frame_* names, and miniapp_added without details keeps nothing", async () => {
    expect((await route(post(signEvent(USER, keyA, { event: "miniapp_added" })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([]);
    expect((await route(post(signEvent(USER, keyA, { event: "frame_added", notificationDetails: details(4) })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([{ appFid: WARPCAST, ...details(4) }]);
    expect((await route(post(signEvent(USER, keyA, { event: "frame_removed" })))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([]);
  });

  it("answers 401 to forged, tampered, wrong-key and wrong-fid events, and stores nothing", async () => {
    const good = signEvent(USER, keyA, { event: "notifications_enabled", notificationDetails: details(5) });
    const forged = { ...good, signature: Buffer.alloc(64, 7).toString("base64url") };
    const tampered = { ...good, payload: Buffer.from(JSON.stringify({ event: "notifications_enabled", notificationDetails: details(6) })).toString("base64url") };
    const wrongKey = signEvent(USER, unknown, { event: "notifications_enabled", notificationDetails: details(5) });
    const otherFidsKey = signEvent(USER, stranger, { event: "notifications_enabled", notificationDetails: details(5) });
    // The header claims USER+1, signed with USER's key: a valid signature, but not that fid's key.
    const wrongFid = signEvent(USER + 1, keyA, { event: "notifications_enabled", notificationDetails: details(5) });
    for (const body of [forged, tampered, wrongKey, otherFidsKey, wrongFid]) {
      const res = await route(post(body));
      expect(res.status).toBe(401);
      expect(await res.text()).toMatch(/^Unauthorized: /);
    }
    expect(await tokensOf(notifyDb, USER)).toEqual([]);
    expect(await tokensOf(notifyDb, USER + 1)).toEqual([]);
  });

  it("answers 400 naming what is malformed, and 413 past 8 kB", async () => {
    const good = signEvent(USER, keyA, { event: "miniapp_added" });
    const cases: Array<[unknown, RegExp, boolean?]> = [
      ["not json", /body must be JSON/, true],
      [[1, 2], /\{ header, payload, signature \}/],
      [{ header: good.header, payload: good.payload }, /signature is missing/],
      [{ ...good, signature: "!!" }, /signature: signature must be base64url/],
      [{ ...good, signature: good.signature.slice(0, 40) }, /signature must be 64 bytes/],
      [{ ...good, header: Buffer.from('{"fid":1,"type":"custody","key":"0x00"}').toString("base64url") }, /header must be/],
      [{ ...good, header: "bm90IGpzb24" }, /header is not base64url JSON/],
      [signEvent(USER, keyA, { event: "miniapp_exploded" }), /unknown event "miniapp_exploded"/],
      [signEvent(USER, keyA, { event: "notifications_enabled" }), /needs notificationDetails/],
      [signEvent(USER, keyA, { event: "notifications_enabled", notificationDetails: { url: "ftp://x", token: "t" } }), /notificationDetails.url/],
    ];
    for (const [body, message, raw] of cases) {
      const res = await route(post(body, raw));
      expect(res.status, String(message)).toBe(400);
      expect(await res.text()).toMatch(message);
    }
    const huge = signEvent(USER, keyA, { event: "miniapp_added", padding: "x".repeat(9000) });
    expect((await route(post(huge))).status).toBe(413);
    expect((await route(new Request("https://castcard.example.com/api/webhook"))).status).toBe(405);
  });

  it("answers 429 past a fid's budget of signed events, before asking the hub", async () => {
    const limited = createWebhookRoute({ db: () => notifyDb, lookup: createSignerLookup({ url: hub.url }), limit: { burst: 2, windowMs: 60_000, maxKeys: 10 } });
    const body = signEvent(USER, keyA, { event: "notifications_disabled" });
    const asked = hub.requests.length;
    expect((await limited(post(body))).status).toBe(200);
    expect((await limited(post(body))).status).toBe(200);
    const third = await limited(post(body));
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(hub.requests.length - asked).toBeLessThanOrEqual(1);
  });

  it("answers 503 with Retry-After when the hub cannot answer in time or the store is down", async () => {
    const body = signEvent(USER, keyA, { event: "notifications_enabled", notificationDetails: details(7) });
    for (const mode of [{ kind: "hang" }, { kind: "error" }, { kind: "garbage" }] as const) {
      hub.setMode(mode);
      // A fresh lookup each time: a cached answer would hide the hub's state.
      const lookup = createSignerLookup({ url: hub.url, timeoutMs: 400 });
      const res = await createWebhookRoute({ db: () => notifyDb, lookup })(post(body));
      expect(res.status, mode.kind).toBe(503);
      expect(res.headers.get("retry-after")).toBe("30");
    }
    hub.setMode({ kind: "up" });
    up = false;
    expect((await route(post(body))).status).toBe(503);
    up = true;
    expect(await tokensOf(notifyDb, USER)).toEqual([]);
    expect((await route(post(body))).status).toBe(200);
    expect(await tokensOf(notifyDb, USER)).toEqual([{ appFid: WARPCAST, ...details(7) }]);
  });
});
