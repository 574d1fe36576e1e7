// GET /api/reach with sign-in on: the Quick Auth token's fid, never a fid the caller names.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore, type Store } from "../../packages/castcard/src/analytics/index";
import { createQuickAuthVerifier } from "../../packages/castcard/src/farcaster/auth/index";
import { notifyDbOf } from "../../packages/castcard/src/notify/index";
import { createReachRoute } from "../../packages/castcard/src/notify/reach/route";
import { startQuickAuthServer, type QuickAuthServer } from "../support/quick-auth-server";

const DOMAIN = "castcard.example.com";
let auth: QuickAuthServer;
let store: Store;
let dir: string;

beforeAll(async () => {
  auth = await startQuickAuthServer();
  dir = mkdtempSync(join(tmpdir(), "castcard-reach-"));
  store = openStore({ kind: "sqlite", file: join(dir, "castcard.sqlite") });
  await store.migrate();
  const at = Date.now();
  const share = (id: string, fid: number, t: number) => ({ id: id.padEnd(22, "0"), fid, design: "seed", at: t });
  await store.write([share("older", 7, at - 1000), share("newer", 7, at), share("theirs", 8, at)], []);
  const launch = (id: string, viewerFid: number) => ({ type: "launch" as const, share: id.padEnd(22, "0"), design: "seed", at, viewerFid, castHash: null, castFid: null });
  const cast = { type: "cast" as const, share: "newer".padEnd(22, "0"), design: "seed", at, hash: `0x${"ab".repeat(20)}` };
  // Two people and the sharer themself open "newer"; one of the two also opens "older".
  await store.write([], [launch("newer", 21), launch("newer", 22), launch("newer", 7), launch("older", 21), launch("theirs", 30), cast]);
});
afterAll(async () => {
  await store?.close();
  await auth?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("GET /api/reach", () => {
  const route = () => createReachRoute({ db: () => notifyDbOf(store), verify: createQuickAuthVerifier({ origin: auth.url, domain: DOMAIN }) });
  const get = async (headers: Record<string, string> = {}, query = "") => route()(new Request(`https://${DOMAIN}/api/reach${query}`, { headers }));

  it("answers the signed-in sharer's shares, newest first, with the people each brought", async () => {
    const res = await get({ authorization: `Bearer ${await auth.token({ fid: 7, domain: DOMAIN })}` }, "?fid=8");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      totals: { shares: 2, casts: 1, launches: 4, viewers: 2 },
      shares: [
        { share: "newer".padEnd(22, "0"), design: "seed", imageUrl: null, castHash: `0x${"ab".repeat(20)}`, launches: 3, viewers: 2, at: expect.any(Number) },
        { share: "older".padEnd(22, "0"), design: "seed", imageUrl: null, castHash: null, launches: 1, viewers: 1, at: expect.any(Number) },
      ],
    });
  });

  it("answers 401 without a token or with one for another domain", async () => {
    expect((await get({}, "?fid=7")).status).toBe(401);
    expect((await get({ authorization: `Bearer ${await auth.token({ fid: 7, domain: "elsewhere.example" })}` })).status).toBe(401);
  });
});
