import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// A sharer's reach (GET), and a notification that opened the app (POST).
export const { GET, POST } = castcard.reach;
