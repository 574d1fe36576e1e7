// GET /api/reach shows each share with its card, on both stores, as createCastcard wires it: a
// share minted through POST /api/share keeps its card, and the reach answer carries the card's
// signed image URL, which the og route draws; shares without a card that still reads answer null.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../packages/castcard/src/analytics/index";
import { MIGRATIONS } from "../../packages/castcard/src/analytics/db/migrations";
import { loadConfig } from "../../packages/castcard/src/config/index";
import { createCastcard, type Castcard } from "../../packages/castcard/src/fronts/castcard";
import { startHubServer, type HubServer } from "../support/hub-server";
import { pngSize } from "../support/png";
import { startTestPostgres, type TestPostgres } from "../support/postgres";
import { startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";

const APP = "https://castcard.example.com";
const DOMAIN = "castcard.example.com";
const SHARER = 7;

let postgres: TestPostgres;
let hub: HubServer;
let auth: QuickAuthServer;
const dirs: string[] = [];

beforeAll(async () => {
  [postgres, hub, auth] = await Promise.all([startTestPostgres(), startHubServer({ [SHARER]: { username: "alice", displayName: "Alice" } }), startQuickAuthServer()]);
}, 120_000);
afterAll(async () => {
  await Promise.all([postgres?.stop(), hub?.close(), auth?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

interface ReachShare {
  share: string;
  design: string;
  imageUrl: string | null;
}

describe.each(["sqlite", "postgres"] as const)("each share's card in GET /api/reach on %s", (kind) => {
  let c: Castcard;

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-reach-cards-"));
    dirs.push(dir);
    const { config } = loadConfig({
      APP_URL: APP,
      DATA_DIR: dir,
      ...(kind === "postgres" ? { DATABASE_URL: await postgres.createDatabase() } : {}),
      SHARE_SECRET: "reach-cards-test-secret",
      QUICK_AUTH_ORIGIN: auth.url,
      HUB_URL: hub.url,
    });
    c = createCastcard(config, { log: () => undefined });
    await c.ready;
    await c.analytics!.ready;
    expect(c.notifications).not.toBeNull();
  }, 60_000);
  afterAll(async () => {
    await c?.close();
  });

  const bearer = async () => ({ authorization: `Bearer ${await auth.token({ fid: SHARER, domain: DOMAIN })}` });
  const reach = async () => {
    const res = await c.fetch(new Request(`${APP}/api/reach`, { headers: await bearer() }));
    expect(res.status).toBe(200);
    return ((await res.json()) as { shares: ReachShare[] }).shares;
  };
  const write = (id: string, card?: string, design = "seed") => c.analytics!.store()!.write([{ id: id.padEnd(22, "0"), fid: SHARER, design, at: Date.now() - 60_000, card }], []);

  it("answers a minted share's signed image URL, which the og route draws as the same card", async () => {
    const res = await c.share(new Request(`${APP}/api/share`, { method: "POST", headers: { "content-type": "application/json", ...(await bearer()) }, body: JSON.stringify({ design: "poster" }) }));
    expect(res.status).toBe(200);
    const minted = (await res.json()) as { imageUrl: string; shareId: string };
    expect(minted.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);

    const share = (await reach()).find((s) => s.share === minted.shareId);
    expect(share).toMatchObject({ design: "poster" });
    // The same card, signed the same way, at the cast embed's size.
    expect(share!.imageUrl).toBe(minted.imageUrl);
    // What the share keeps: the card's canonical query, the signed one without its signature.
    const row = await c.analytics!.store()!.db.selectFrom("castcard_shares").select("card").where("id", "=", minted.shareId).executeTakeFirst();
    expect(row?.card).toBe(new URL(minted.imageUrl).search.slice(1).replace(/&sig=[^&]+$/, ""));
    const url = new URL(share!.imageUrl!);
    expect(url.origin).toBe(APP);
    expect(url.searchParams.get("template")).toBe("poster");
    expect(url.searchParams.get("username")).toBe("alice");
    expect(url.searchParams.get("sig")).toBeTruthy();

    const image = await c.fetch(new Request(share!.imageUrl!));
    expect(image.status).toBe(200);
    expect(image.headers.get("content-type")).toBe("image/png");
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
  });

  it("answers null for a share recorded without its card", async () => {
    await write("oldrow");
    expect((await reach()).find((s) => s.share === "oldrow".padEnd(22, "0"))).toMatchObject({ design: "seed", imageUrl: null });
  });

  it("answers null, not an error, for a stored card whose design no longer exists", async () => {
    await write("gonedesign", "template=retired&username=alice&fid=7");
    await write("unreadable", "template=NOT%20A%20DESIGN");
    const shares = await reach();
    expect(shares.find((s) => s.share === "gonedesign".padEnd(22, "0"))?.imageUrl).toBeNull();
    expect(shares.find((s) => s.share === "unreadable".padEnd(22, "0"))?.imageUrl).toBeNull();
    // The minted share still answers its card beside them.
    expect(shares.filter((s) => s.imageUrl !== null)).toHaveLength(1);
  });

  it("answers a card that does not name its design only while the default is still the share's design", async () => {
    const { defaultId } = c.urls.designs;
    const other = c.urls.designs.list().find((d) => d.id !== defaultId)!.id;
    await write("stilldefault", "username=bob", defaultId);
    await write("defaultmoved", "username=bob", other);
    const shares = await reach();
    const url = shares.find((s) => s.share === "stilldefault".padEnd(22, "0"))?.imageUrl;
    expect(url).toMatch(/^https:\/\/castcard\.example\.com\/api\/og\?/);
    expect([new URL(url!).searchParams.get("username"), new URL(url!).searchParams.get("template")]).toEqual(["bob", null]);
    expect((await c.fetch(new Request(url!))).status).toBe(200);
    expect(shares.find((s) => s.share === "defaultmoved".padEnd(22, "0"))?.imageUrl).toBeNull();
  });
});

describe.each(["sqlite", "postgres"] as const)("the share-card migration on %s", (kind) => {
  it("adds the column to a store that already has shares, which keep null", async () => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-share-card-"));
    dirs.push(dir);
    const store = openStore(kind === "sqlite" ? { kind, file: join(dir, "castcard.sqlite") } : { kind, url: await postgres.createDatabase() });
    try {
      // The store as an earlier version left it: every migration before this one, and a share.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const db = store.db as unknown as Kysely<any>;
      await db.schema.createTable("castcard_migrations").addColumn("name", "text", (col) => col.primaryKey()).addColumn("at", "bigint", (col) => col.notNull()).execute();
      for (const migration of MIGRATIONS.filter((m) => m.name !== "0002-share-card")) {
        await migration.up(db, kind);
        await db.insertInto("castcard_migrations").values({ name: migration.name, at: 1 }).execute();
      }
      const id = "before".padEnd(22, "0");
      await db.insertInto("castcard_shares").values({ id, fid: SHARER, design: "seed", at: 86_400_000, day: 1 }).execute();

      expect(await store.migrate()).toEqual(["0002-share-card"]);
      expect(await store.db.selectFrom("castcard_shares").select(["id", "design", "card"]).execute()).toEqual([{ id, design: "seed", card: null }]);
      expect(await store.migrate()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});
