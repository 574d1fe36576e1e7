import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { createWriter } from "../writer";
import { openStore, type EventRecord, type Store } from "./store";

// The SQLite store's worker and the writer in front of it, on real files. Inside a transaction,
// writes that need no answer travel with the next statement that does (or the commit): what is
// committed, the order, and failures must be as if each had been sent alone.
const opened: Store[] = [];
const dirs: string[] = [];
async function store(): Promise<Store> {
  const dir = mkdtempSync(join(tmpdir(), "castcard-sqlite-"));
  dirs.push(dir);
  const s = openStore({ kind: "sqlite", file: join(dir, "castcard.sqlite") });
  opened.push(s);
  await s.migrate();
  return s;
}
afterEach(async () => {
  await Promise.all(opened.splice(0).map((s) => s.close()));
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const share = (i: number) => ({ id: `s${String(i).padStart(21, "0")}`, fid: i, design: "seed", at: Date.UTC(2026, 0, 1) });

describe("the SQLite store's transactions", () => {
  it("lets a read inside a transaction see the writes made before it", async () => {
    const s = await store();
    const seen = await s.db.transaction().execute(async (tx) => {
      await tx.insertInto("castcard_shares").values({ ...share(1), day: 1 }).execute();
      await tx.updateTable("castcard_shares").set({ design: "split" }).where("id", "=", share(1).id).execute();
      return tx.selectFrom("castcard_shares").select(["id", "design"]).execute();
    });
    expect(seen).toEqual([{ id: share(1).id, design: "split" }]);
    expect(await s.share(share(1).id)).toEqual({ fid: 1, design: "split" });
  });

  it("fails the transaction on a failing write that needed no answer, and commits none of it", async () => {
    const s = await store();
    const attempt = s.db.transaction().execute(async (tx) => {
      await tx.insertInto("castcard_shares").values({ ...share(2), day: 1 }).execute();
      // The same primary key again: fails in the worker when the commit carries it there.
      await tx.insertInto("castcard_shares").values({ ...share(2), day: 1 }).execute();
    });
    await expect(attempt).rejects.toThrow(/UNIQUE constraint failed: castcard_shares.id/);
    expect(await s.share(share(2).id)).toBeNull();
    // The connection is usable afterwards: no transaction was left open.
    await s.write([share(3)], []);
    expect(await s.share(share(3).id)).toEqual({ fid: 3, design: "seed" });
  });

  it("rolls back nothing when a transaction fails before anything reached the worker", async () => {
    const s = await store();
    const attempt = s.db.transaction().execute(async (tx) => {
      await tx.insertInto("castcard_shares").values({ ...share(4), day: 1 }).execute();
      throw new Error("changed my mind");
    });
    await expect(attempt).rejects.toThrow("changed my mind");
    expect(await s.share(share(4).id)).toBeNull();
  });
});

describe("the writer", () => {
  it("answers a large batch's callers over several turns of the event loop, every one of them", async () => {
    const s = await store();
    await s.write([share(5)], []);
    const writer = createWriter(s);
    // A turn counter: one step per turn of the event loop while the answers come in.
    let turn = 0;
    let counting = true;
    const tick = () => {
      turn++;
      if (counting) setImmediate(tick);
    };
    const launches: EventRecord[] = Array.from({ length: 200 }, (_, i) => ({ type: "launch", share: share(5).id, design: "seed", at: Date.UTC(2026, 0, 1), viewerFid: 100 + i, castHash: null, castFid: null }));
    const turns: number[] = [];
    const answered = launches.map((l) => writer.event(l).then(() => turns.push(turn)));
    setImmediate(tick);
    await Promise.all(answered);
    counting = false;

    expect(turns).toHaveLength(200);
    const perTurn = new Map<number, number>();
    for (const t of turns) perTurn.set(t, (perTurn.get(t) ?? 0) + 1);
    expect(perTurn.size).toBeGreaterThanOrEqual(Math.ceil(200 / 32));
    expect(Math.max(...perTurn.values())).toBeLessThanOrEqual(32);
    expect((await s.stats(1, Date.UTC(2026, 0, 1))).totals.launches).toBe(200);
  });
});
