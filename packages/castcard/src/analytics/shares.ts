import { LRUCache } from "lru-cache";
import { SHARE_ID } from "./ids";
import type { StoreLifecycle } from "./lifecycle";

/** How long a mint waits for its share to be recorded before answering without it. */
export const RECORD_SHARE_BUDGET_MS = 1000;

/** A share as the mint knows it. */
export interface ShareInput {
  id: string;
  fid: number;
  design: string;
}

export interface Shares {
  /** The share's minter and design; null when unknown; throws when the store cannot be asked. */
  find(id: string): Promise<{ fid: number; design: string } | null>;
  /**
   * Records a minted share; resolves true once committed, false when it could not be within
   * `budgetMs`: never rejects, never waits longer.
   */
  record(share: ShareInput, budgetMs?: number): Promise<boolean>;
}

/** The shares minted and looked up: remembered once known, since a share never changes. */
export function createShares(life: StoreLifecycle, now: () => number): Shares {
  // Shares never change once recorded: remember them, so events and repeated mints skip the database.
  const known = new LRUCache<string, { fid: number; design: string }>({ max: 100_000 });

  const find = async (id: string) => {
    const hit = known.get(id);
    if (hit) return hit;
    try {
      const found = await life.store!.share(id);
      life.succeeded();
      if (found) known.set(id, found);
      return found;
    } catch (error) {
      life.failed("lookup", error);
      throw error;
    }
  };

  const record = async (share: ShareInput, budgetMs = RECORD_SHARE_BUDGET_MS): Promise<boolean> => {
    if (life.state() === "unavailable" || !life.writer || !SHARE_ID.test(share.id)) return false;
    if (known.has(share.id)) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<void>((resolveDeadline) => {
      timer = setTimeout(resolveDeadline, Math.max(0, budgetMs));
    });
    const write = life.ready
      .then(() => {
        if (!life.available()) throw new Error("the analytics store is not available");
        return life.writer!.share({ ...share, at: now() });
      })
      .then(
        () => {
          life.succeeded();
          known.set(share.id, { fid: share.fid, design: share.design });
          return true;
        },
        (error: unknown) => {
          life.failed("share", error);
          return false;
        },
      );
    const outcome = await Promise.race([write, deadline.then(() => "late" as const)]);
    clearTimeout(timer);
    if (outcome === "late") life.failed("share", new Error(`not recorded within ${budgetMs} ms`));
    return outcome === true;
  };

  return { find, record };
}
