"use client";

import { sdk } from "@farcaster/miniapp-sdk";
import { useCallback, useEffect, useRef, useState } from "react";
import { FIRST_DESIGN_ATTRIBUTE, launch, preview } from "../launch/launch";
import { castOutcome, launchEvent, reportEvent, requestShare, SignInCancelled, type ShareAuth, type ShareUser as User } from "./share-client";

type Phase = { kind: "loading" } | { kind: "standalone" } | { kind: "in-client"; user: User };
type Outcome =
  | { kind: "idle" }
  | { kind: "working"; step: string }
  | { kind: "cast"; hash: string }
  | { kind: "cancelled"; what: "cast" | "sign-in" }
  | { kind: "error"; message: string };

/** The cast text when the page gives none: the default app's (`app.castText`). */
export const CAST_TEXT = "I made my Castcard ✨ Make yours:";

/** A design the user can pick: its `template` id, a label, and its sample card (shown until the user's own can be minted). */
export type DesignChoice = { id: string; label: string; samplePreviewUrl: string };

const OPEN: ShareAuth = { required: false, origin: "" };

// One launch report per page load, even if React runs the start-up effect twice.
let launchReported = false;

export function MiniApp({
  appName,
  castText = CAST_TEXT,
  samplePreviewUrl,
  sampleShareUrl,
  designs,
  auth = OPEN,
}: {
  appName: string;
  /** What the composed cast says above the card (`app.castText`). */
  castText?: string;
  samplePreviewUrl: string;
  /** The sample card's share page: what "Copy link" copies outside a client, to post anywhere. */
  sampleShareUrl: string;
  designs: DesignChoice[];
  /** Whether minting needs a Quick Auth sign-in (SHARE_SECRET is set), and the auth server to use. */
  auth?: ShareAuth;
}) {
  const [phase, setPhase] = useState<Phase>({ kind: "loading" });
  const [design, setDesign] = useState<string>(designs[0]?.id ?? "seed");
  const [previewUrl, setPreviewUrl] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>({ kind: "idle" });
  // The start-up effect runs once; it reads the current sign-in settings through this.
  const authRef = useRef(auth);
  authRef.current = auth;

  // The launch (in a client or not, the user, `ready()`, the first mint) began as the page arrived,
  // before React (app/launch); here the page shows what it found.
  useEffect(() => {
    let cancelled = false;
    (async () => {
      const launched = await launch();
      if (cancelled) return;
      if (launched.kind === "standalone") {
        setPhase({ kind: "standalone" });
        setPreviewUrl(samplePreviewUrl);
        return;
      }
      setPhase({ kind: "in-client", user: launched.user });
      // Opened from a share's embed (`?share=`): say so, in the background.
      const opened = launchReported ? null : launchEvent(window.location.search, launched.context);
      if (opened) {
        launchReported = true;
        void reportEvent(opened, authRef.current);
      }
      await launched.ready;
    })().catch((error: unknown) => {
      if (!cancelled) setOutcome({ kind: "error", message: error instanceof Error ? error.message : String(error) });
    });
    return () => {
      cancelled = true;
    };
  }, [samplePreviewUrl]);

  const user = phase.kind === "in-client" ? phase.user : null;

  const [signedIn, setSignedIn] = useState(false);
  const sampleOf = useCallback((id: string) => designs.find((d) => d.id === id)?.samplePreviewUrl ?? samplePreviewUrl, [designs, samplePreviewUrl]);

  // The live preview: the user's card in the picked design, minted as the share will be. When
  // minting needs sign-in, the sample card in that design stands in until the user has signed in
  // (with the button: never a sign-in prompt on launch); after that the SDK's token is reused.
  useEffect(() => {
    if (!user) return;
    if (!user.fid || (auth.required && !signedIn)) {
      setPreviewUrl(sampleOf(design));
      return;
    }
    let stale = false;
    // The launch has usually minted the first design already: this picks up its answer.
    preview(user, auth, design)
      .then((imageUrl) => !stale && setPreviewUrl(imageUrl))
      .catch(() => !stale && setPreviewUrl(sampleOf(design)));
    return () => {
      stale = true;
    };
  }, [user, design, auth, signedIn, sampleOf]);

  const share = useCallback(async () => {
    if (!user?.fid) return;
    setOutcome({ kind: "working", step: "Preparing your card…" });
    try {
      const { shareUrl, imageUrl, shareId } = await requestShare(user, auth, design, (step) => setOutcome({ kind: "working", step }));
      if (auth.required) setSignedIn(true);
      setPreviewUrl(imageUrl);
      setOutcome({ kind: "working", step: "Opening the cast composer…" });
      const result = await sdk.actions.composeCast({ text: castText, embeds: [shareUrl] });
      setOutcome(result?.cast ? { kind: "cast", hash: result.cast.hash } : { kind: "cancelled", what: "cast" });
      // What became of the share, in the background: reporting never holds or breaks the flow.
      const outcome = castOutcome(shareId, result);
      if (outcome) void reportEvent(outcome, auth);
    } catch (error) {
      if (error instanceof SignInCancelled) return setOutcome({ kind: "cancelled", what: "sign-in" });
      setOutcome({ kind: "error", message: error instanceof Error ? error.message : "Something went wrong" });
    }
  }, [user, design, auth, castText]);

  const working = outcome.kind === "working";
  const name = user?.displayName ?? (user?.username ? `@${user.username}` : null);

  return (
    // The first card's design and sign-in rule, for the launch to mint before React has hydrated.
    <main {...{ [FIRST_DESIGN_ATTRIBUTE]: designs[0]?.id ?? "seed" }} data-sign-in={auth.required ? "required" : undefined}>
      <h1>{appName}</h1>
      {phase.kind === "loading" && (
        <p className="hint" aria-busy="true">
          Preparing your card…
        </p>
      )}
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
          {name
            ? `Hi ${name}! ${auth.required && !signedIn ? "Sign in with the button below to make your card." : "Here is your card."}`
            : "Hi! Here is a sample card."}
        </p>
      )}
      {previewUrl ? (
        // eslint-disable-next-line @next/next/no-img-element
        <img className="preview" data-testid="preview" src={previewUrl} width={1200} height={800} fetchPriority="high" alt="Your card preview" {...{ elementtiming: "card" }} />
      ) : (
        // The card's size from the first paint, so nothing below it moves when it arrives.
        <div className="preview" aria-busy="true" />
      )}
      {phase.kind === "standalone" && <CopyLink url={sampleShareUrl} />}
      {phase.kind === "in-client" && (
        <>
          {user?.fid && designs.length > 1 && (
            <fieldset className="designs" data-testid="designs" disabled={working}>
              <legend>Design</legend>
              {designs.map((d) => (
                <label key={d.id} className={d.id === design ? "design picked" : "design"}>
                  <input type="radio" name="design" value={d.id} checked={d.id === design} onChange={() => setDesign(d.id)} data-testid={`design-${d.id}`} />
                  {d.label}
                </label>
              ))}
            </fieldset>
          )}
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

/** Copies a link, saying whether it worked; where the clipboard is refused, the link is shown to copy by hand. */
function CopyLink({ url }: { url: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(url);
      setState("copied");
    } catch {
      setState("failed");
    }
  };
  return (
    <div className="copy">
      <button className="button secondary" type="button" onClick={copy} data-testid="copy-link">
        {state === "copied" ? "Link copied" : "Copy link"}
      </button>
      <p className="hint" role="status" data-testid="copy-status">
        {state === "copied"
          ? "Paste it in a cast, a post or a chat: it shows this card."
          : state === "failed"
            ? "Could not reach the clipboard; copy this link instead:"
            : "Post this card anywhere: copy the link to its share page."}
      </p>
      {state === "failed" && <code data-testid="copy-fallback">{url}</code>}
    </div>
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
