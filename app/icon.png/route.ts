import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The manifest's iconUrl: drawn from the app's name and colour (1024×1024, no alpha).
export const { GET, HEAD } = castcard.icon;
