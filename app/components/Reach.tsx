"use client";

// What a card brought: after a cast, the offer to be told when people open it (adding the app),
// and the sharer's reach, shown when a notification opened the app. Loaded after the first screen.
import { sdk } from "@farcaster/miniapp-sdk";
import { useEffect, useState } from "react";
import type { ShareAuth } from "./share-client";

interface ReachAnswer {
  totals: { shares: number; casts: number; launches: number; viewers: number };
  shares: Array<{ share: string; design: string; imageUrl: string | null; castHash: string | null; launches: number; viewers: number; at: number }>;
}

export interface ReachProps {
  fid: number | null;
  auth: ShareAuth;
  /** The user has just cast their card. */
  cast: boolean;
  /** `context.client.added`: the app is already in the user's client. */
  added: boolean;
  /** `context.location`, when a notification opened the app. */
  notificationId: string | null;
}

// Each share's card as a 3:2 thumbnail beside its figures: fits a 424-px-wide frame (392 px inside
// the page's padding) with room for the text. Width and height are set so nothing moves as it loads.
const THUMB = { width: 132, height: 88 };

const people = (n: number) => `${n} ${n === 1 ? "person" : "people"}`;

/** GET /api/reach for the user: with their Quick Auth token when sign-in is on, else by fid. */
export async function fetchReach(fid: number, auth: ShareAuth): Promise<ReachAnswer> {
  const headers: Record<string, string> = {};
  if (auth.required) headers.authorization = `Bearer ${(await sdk.quickAuth.getToken({ quickAuthServerOrigin: auth.origin })).token}`;
  const res = await fetch(auth.required ? "/api/reach" : `/api/reach?fid=${fid}`, { headers });
  if (!res.ok) throw new Error(`reach: ${res.status}`);
  return (await res.json()) as ReachAnswer;
}

export default function Reach({ fid, auth, cast, added, notificationId }: ReachProps) {
  const [ask, setAsk] = useState<{ kind: "idle" | "working" | "done" | "failed"; text?: string }>({ kind: "idle" });
  const [reach, setReach] = useState<ReachAnswer | null>(null);
  const fromNotification = notificationId !== null;

  useEffect(() => {
    if (!notificationId) return;
    // Opened from a notification: count the open, in the background.
    void fetch("/api/reach", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ notificationId }) }).catch(() => undefined);
  }, [notificationId]);

  useEffect(() => {
    if (!fromNotification || !fid) return;
    let stale = false;
    fetchReach(fid, auth)
      .then((answer) => !stale && setReach(answer))
      .catch(() => undefined);
    return () => {
      stale = true;
    };
  }, [fromNotification, fid, auth]);

  const addApp = async () => {
    setAsk({ kind: "working" });
    try {
      const result = await sdk.actions.addMiniApp();
      setAsk(
        result?.notificationDetails
          ? { kind: "done", text: "Done: you will hear when people open your card." }
          : { kind: "done", text: "Added. Notifications are off for this app in your client, so it cannot tell you." },
      );
    } catch (error) {
      const name = error instanceof Error ? error.name || error.message : String(error);
      const text = /RejectedByUser/.test(name)
        ? "Not added: you said no. Your cast is out either way."
        : /InvalidDomainManifest/.test(name)
          ? "This client cannot add the app from this address."
          : `The app could not be added (${String(error instanceof Error ? error.message : error).slice(0, 80)}).`;
      setAsk({ kind: "failed", text });
    }
  };

  return (
    <section className="reach" data-testid="reach-panel">
      {cast && !added && ask.kind !== "done" && (
        <button className="button secondary" type="button" onClick={addApp} disabled={ask.kind === "working"} data-testid="tell-me">
          Tell me when people open my card
        </button>
      )}
      {ask.text && (
        <p className="hint" role="status" data-testid="tell-me-status" data-kind={ask.kind}>
          {ask.text}
        </p>
      )}
      {reach && (
        <div data-testid="reach">
          <h2>Your cards brought {people(reach.totals.viewers)}</h2>
          <ul>
            {reach.shares.map((s) => (
              <li key={s.share} className="reach-share" data-testid="reach-share">
                {s.imageUrl ? (
                  <img className="reach-card" src={s.imageUrl} width={THUMB.width} height={THUMB.height} loading="lazy" decoding="async" alt={`Your ${s.design} card`} data-testid="reach-card" />
                ) : (
                  <span className="reach-card" aria-hidden="true" />
                )}
                <span>
                  {s.design} card · {people(s.viewers)} · {s.launches} {s.launches === 1 ? "open" : "opens"}
                  {s.castHash ? ` · cast ${s.castHash.slice(0, 10)}…` : ""}
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}
