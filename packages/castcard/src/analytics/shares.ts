import { LRUCache } from "lru-cache";
import { canonicalQuery, MAX_CARD_URL_LENGTH, type Card } from "../url/index";
import { SHARE_ID } from "./ids";
import type { Log, StoreLifecycle } from "./lifecycle";

/** How long a mint waits for its share to be recorded before answering without it. */
export const RECORD_SHARE_BUDGET_MS = 1000;

/** A share as the mint knows it. */
export interface ShareInput {
  id: string;
  fid: number;
  design: string;
  /** The card shared: kept with the share (its canonical query), so the sharer's reach can show it. */
  card?: Card | null;
}

/** What a share keeps of its card: the canonical query at the embed size (what its id derives from), bounded. */
export function storedCard(card: Card | null | undefined): string | null {
  if (!card) return null;
  const canonical = canonicalQuery({ ...card, size: "embed" });
  return canonical.length <= MAX_CARD_URL_LENGTH ? canonical : null;
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

class NotAvailable extends Error {}

/** The shares minted and looked up: remembered once known, since a share never changes. */
export function createShares(life: StoreLifecycle, log: Log, now: () => number): Shares {
  // Shares never change once recorded: remember them, so events and repeated mints skip the database.
  const known = new LRUCache<string, { fid: number; design: string }>({ max: 100_000 });
  // A slow store (a lock held, a long checkpoint) is not down: its writes finish, and their
  // outcome says whether it is. A mint it made wait past its budget is logged once until one fits.
  let slow = false;
  // A store opened again (its SQLite file deleted or replaced) may not hold the shares seen before.
  let generation = life.generation();
  const current = () => {
    if (generation !== life.generation()) known.clear();
    generation = life.generation();
    return known;
  };

  const find = async (id: string) => {
    const hit = current().get(id);
    if (hit) return hit;
    try {
      const found = await life.store().share(id);
      if (found) known.set(id, found);
      return found;
    } catch (error) {
      life.failed("lookup", error);
      throw error;
    }
  };

  const write = (share: ShareInput, started: number) =>
    life.ready
      .then(() => {
        if (!life.available()) throw new NotAvailable();
        return life.writer.share({ id: share.id, fid: share.fid, design: share.design, card: storedCard(share.card), at: now() });
      })
      .then(
        () => {
          life.succeeded();
          known.set(share.id, { fid: share.fid, design: share.design });
          return performance.now() - started;
        },
        (error: unknown) => {
          if (!(error instanceof NotAvailable)) life.failed("share", error);
          return null;
        },
      );

  const record = async (share: ShareInput, budgetMs = RECORD_SHARE_BUDGET_MS): Promise<boolean> => {
    if (life.state() === "unavailable" || !SHARE_ID.test(share.id)) return false;
    if (current().has(share.id)) return true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<"late">((resolveDeadline) => {
      timer = setTimeout(() => resolveDeadline("late"), Math.max(0, budgetMs));
    });
    const outcome = await Promise.race([write(share, performance.now()), deadline]);
    clearTimeout(timer);
    if (outcome === "late" && !slow && life.available()) {
      slow = true;
      log({ event: "analytics-slow", what: "share", budgetMs });
    } else if (typeof outcome === "number") slow = false;
    return typeof outcome === "number";
  };

  return { find, record };
}
