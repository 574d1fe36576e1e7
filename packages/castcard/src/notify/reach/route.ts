// /api/reach: GET answers a sharer's shares and what each brought (signed in with Quick Auth when
// SHARE_SECRET is set, else `?fid=`); POST is the app saying a notification opened it.
import { sql } from "kysely";
import type { VerifyAuthorization } from "../../farcaster/auth/index";
import { readJsonBody } from "../../http/body";
import { json, text } from "../../http/respond";
import type { CardUrls } from "../../url/index";
import { parseNotificationId } from "../outbox/texts";
import { num, type NotifyDb } from "../store/schema";
import { recordOpen } from "../store/stats";

/** The most shares one answer lists, newest first. */
export const REACH_SHARES = 50;

export interface Reach {
  totals: { shares: number; casts: number; launches: number; viewers: number };
  shares: Array<{
    share: string;
    design: string;
    /** The card's signed image URL (1200×800); null when the share kept no card or it no longer reads. */
    imageUrl: string | null;
    castHash: string | null;
    launches: number;
    viewers: number;
    at: number;
  }>;
}

/** What reach needs of the card URL module: reading a stored card back and minting its image URL. */
export type ReachCards = Pick<CardUrls, "stored" | "imageUrlAt">;

/**
 * The image URL of a share's stored card, or null: none kept, its design removed, or the card
 * drawn in another design than the share's now (the default design changed), or no origin to mint with.
 */
function imageOf(cards: ReachCards | null, stored: string | null, design: string): string | null {
  if (!cards || !stored) return null;
  try {
    const card = cards.stored(stored);
    return card && card.design.id === design ? cards.imageUrlAt(card, "embed") : null;
  } catch {
    return null;
  }
}

// The analytics tables this reads (see analytics/db/schema.ts).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyDb = import("kysely").Kysely<any>;

/** A fid's shares and reach; viewers are distinct people other than the sharer. */
export async function readReach(notify: NotifyDb, fid: number, cards: ReachCards | null = null): Promise<Reach> {
  const db = notify.db as unknown as AnyDb;
  const mine = db.selectFrom("castcard_shares").select("id").where("fid", "=", fid);
  const one = (query: { executeTakeFirst(): Promise<{ n?: unknown } | undefined> }) => query.executeTakeFirst().then((r) => num(r?.n));
  const [shares, castCount, launchCount, viewerCount, rows] = await Promise.all([
    one(db.selectFrom("castcard_shares").select((eb) => eb.fn.countAll().as("n")).where("fid", "=", fid)),
    one(db.selectFrom("castcard_casts").select((eb) => eb.fn.countAll().as("n")).where("share_id", "in", mine)),
    one(db.selectFrom("castcard_share_daily").select((eb) => eb.fn.sum("launches").as("n")).where("share_id", "in", mine)),
    one(
      db
        .selectFrom("castcard_viewers")
        .select(sql`count(distinct viewer_fid)`.as("n"))
        .where("scope", "in", db.selectFrom("castcard_shares").select(sql<string>`'s:' || id`.as("scope")).where("fid", "=", fid))
        .where("viewer_fid", "!=", fid),
    ),
    db.selectFrom("castcard_shares").select(["id", "design", "at", "card"]).where("fid", "=", fid).orderBy("at", "desc").orderBy("id").limit(REACH_SHARES).execute(),
  ]);
  const ids: string[] = rows.map((r: { id: string }) => r.id);
  const [casts, launches, viewers] = ids.length
    ? await Promise.all([
        db.selectFrom("castcard_casts").select(["share_id", "hash", "at"]).where("share_id", "in", ids).execute(),
        db.selectFrom("castcard_share_daily").select(["share_id", (eb) => eb.fn.sum("launches").as("n")]).where("share_id", "in", ids).groupBy("share_id").execute(),
        db
          .selectFrom("castcard_viewers")
          .select(["scope", (eb) => eb.fn.countAll().as("n")])
          .where("scope", "in", ids.map((id) => `s:${id}`))
          .where("viewer_fid", "!=", fid)
          .groupBy("scope")
          .execute(),
      ])
    : [[], [], []];
  const latest = new Map<string, { hash: string; at: number }>();
  for (const c of casts as Array<{ share_id: string; hash: string; at: unknown }>) {
    const seen = latest.get(c.share_id);
    if (!seen || num(c.at) > seen.at) latest.set(c.share_id, { hash: c.hash, at: num(c.at) });
  }
  const launchesOf = new Map((launches as Array<{ share_id: string; n: unknown }>).map((r) => [r.share_id, num(r.n)]));
  const viewersOf = new Map((viewers as Array<{ scope: string; n: unknown }>).map((r) => [r.scope.slice(2), num(r.n)]));
  return {
    totals: { shares, casts: castCount, launches: launchCount, viewers: viewerCount },
    shares: rows.map((r: { id: string; design: string; at: unknown; card: string | null }) => ({
      share: r.id,
      design: r.design,
      imageUrl: imageOf(cards, r.card, r.design),
      castHash: latest.get(r.id)?.hash ?? null,
      launches: launchesOf.get(r.id) ?? 0,
      viewers: viewersOf.get(r.id) ?? 0,
      at: num(r.at),
    })),
  };
}

export interface ReachRouteOptions {
  db: () => NotifyDb | null;
  /** Quick Auth when sign-in is on (SHARE_SECRET); null: the fid comes from `?fid=`. */
  verify: VerifyAuthorization | null;
  /** Mints each share's image URL from its stored card; without it every `imageUrl` is null. */
  cards?: ReachCards | null;
  now?: () => number;
}

const unavailable = () => text(503, "Service unavailable: the store cannot be read right now; try again shortly", { "retry-after": "5" });

export function createReachRoute(options: ReachRouteOptions): (request: Request) => Promise<Response> {
  const now = options.now ?? Date.now;
  return async (request) => {
    if (request.method === "POST") {
      const body = await readJsonBody(request, 1024);
      if (!body.ok) return text(body.status, body.message);
      const id = (body.value as { notificationId?: unknown } | null)?.notificationId;
      if (typeof id !== "string" || !parseNotificationId(id)) return text(400, "Bad request: notificationId: expected one of this app's notification ids");
      const store = options.db();
      if (!store) return unavailable();
      try {
        await recordOpen(store, now());
      } catch {
        return unavailable();
      }
      return new Response(null, { status: 204, headers: { "cache-control": "no-store" } });
    }
    if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed", { allow: "GET, HEAD, POST" });
    let fid: number;
    if (options.verify) {
      const auth = await options.verify(request.headers.get("authorization"));
      if (!auth.ok) return text(auth.status, auth.status === 401 ? "Unauthorized: sign in (a Quick Auth token) to see your reach" : "Service unavailable: sign-in cannot be checked right now");
      fid = auth.fid;
    } else {
      const raw = new URL(request.url).searchParams.get("fid") ?? "";
      if (!/^[1-9][0-9]{0,15}$/.test(raw) || !Number.isSafeInteger(Number(raw))) return text(400, "Bad request: fid: expected a positive whole number");
      fid = Number(raw);
    }
    const store = options.db();
    if (!store) return unavailable();
    try {
      return json(200, await readReach(store, fid, options.cards ?? null));
    } catch {
      return unavailable();
    }
  };
}
