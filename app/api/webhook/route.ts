import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The Farcaster client's signed events: the app added or removed, notifications on or off.
export const { POST } = castcard.webhook;
