"use client";

import { sdk } from "@farcaster/miniapp-sdk";
import { useCallback, useEffect, useState } from "react";
import { requestShare, SignInCancelled, type ShareAuth, type ShareUser as User } from "./share-client";

type Phase = { kind: "loading" } | { kind: "standalone" } | { kind: "in-client"; user: User };
type Outcome =
  | { kind: "idle" }
  | { kind: "working"; step: string }
  | { kind: "cast"; hash: string }
  | { kind: "cancelled"; what: "cast" | "sign-in" }
  | { kind: "error"; message: string };

export const CAST_TEXT = "I made my Castcard ✨ Make yours:";

const OPEN: ShareAuth = { required: false, origin: "" };

export function MiniApp({ appName, samplePreviewUrl, auth = OPEN }: { appName: string; samplePreviewUrl: string; auth?: ShareAuth }) {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });

  useEffect(() => {
    let cancelled = false;
    (async () => {
      const inClient = await sdk.isInMiniApp();
      if (!inClient) {
        if (!cancelled) {
          setPhase({ kind: "standalone" });
          setPreviewUrl(samplePreviewUrl);
        }
        return;
      }
      const context = await sdk.context;
      const u = context?.user;
      const user: User = {
        fid: typeof u?.fid === "number" && u.fid > 0 ? u.fid : null,
        username: u?.username ?? null,
        displayName: u?.displayName ?? null,
        pfpUrl: u?.pfpUrl ?? null,
      };
      if (cancelled) return;
      setPhase({ kind: "in-client", user });
      // Hide the host's splash as soon as there is something to show; the preview loads after.
      await sdk.actions.ready();
      try {
        // When minting needs sign-in, the user's card waits for the button: no sign-in prompt on launch.
        setPreviewUrl(user.fid && !auth.required ? (await requestShare(user, auth)).imageUrl : samplePreviewUrl);
      } catch {
        setPreviewUrl(samplePreviewUrl);
      }
    })().catch((error: unknown) => {
      if (!cancelled) setOutcome({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [samplePreviewUrl, auth]);

  const user = phase.kind === "in-client" ? phase.user : null;

  const share = useCallback(async () => {
    if (!user?.fid) return;
    setOutcome({ kind: "working", step: "Preparing your card…" });
    try {
      const { shareUrl, imageUrl } = await requestShare(user, auth, (step) => setOutcome({ kind: "working", step }));
      setPreviewUrl(imageUrl);
      setOutcome({ kind: "working", step: "Opening the cast composer…" });
      const result = await sdk.actions.composeCast({ text: CAST_TEXT, embeds: [shareUrl] });
      setOutcome(result?.cast ? { kind: "cast", hash: result.cast.hash } : { kind: "cancelled", what: "cast" });
    } catch (error) {
      if (error instanceof SignInCancelled) return setOutcome({ kind: "cancelled", what: "sign-in" });
      setOutcome({ kind: "error", message: error instanceof Error ? error.message : "Something went wrong" });
    }
  }, [user, auth]);

  const working = outcome.kind === "working";
  const name = user?.username ?? user?.displayName ?? null;

  return (
    <main>
      <h1>{appName}</h1>
      {phase.kind === "loading" && <p className="hint">Loading…</p>}
      {phase.kind === "standalone" && (
        <div className="notice" data-testid="standalone">
          <p>
            {appName} is a Farcaster Mini App. Open this page in a Farcaster client (for example, share its URL in a cast
            and tap the launch button) to make a card with your own profile picture.
          </p>
          <p className="hint">Here is a sample card:</p>
        </div>
      )}
      {phase.kind === "in-client" && (
        <p data-testid="greeting">
          {name ? `Hi @${name}! ${auth.required ? "Sign in with the button below to make your card." : "Here is your card."}` : "Hi! Here is a sample card."}
        </p>
      )}
      {previewUrl ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img className="preview" data-testid="preview" src={previewUrl} width={1200} height={800} alt="Your card preview" />
      ) : (
        <div className="preview" aria-busy="true" />
      )}
      {phase.kind === "in-client" && (
        <>
          <button className="button" type="button" onClick={share} disabled={!user?.fid || working} data-testid="share">
            {working ? outcome.step : "Generate Custom Image"}
          </button>
          {!user?.fid && (
            <p className="hint" data-testid="no-fid">
              Sharing needs a signed-in Farcaster user, and this client did not provide one.
            </p>
          )}
          <p className="status" role="status" data-testid="status" data-kind={statusKind(outcome)}>
            {statusText(outcome)}
          </p>
        </>
      )}
    </main>
  );
}

function statusKind(outcome: Outcome) {
  return outcome.kind === "cast" ? "success" : outcome.kind === "error" ? "error" : "info";
}

function statusText(outcome: Outcome) {
  switch (outcome.kind) {
    case "cast":
      return `Cast published: ${outcome.hash}`;
    case "cancelled":
      return `${outcome.what === "cast" ? "Cast" : "Sign-in"} cancelled. You can try again whenever you like.`;
    case "error":
      return `Could not share: ${outcome.message}`;
    default:
      return "";
  }
}
