import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Share analytics: what became of a share (cast, cancel) and who it brought in (launch).
export const { POST } = castcard.events;
