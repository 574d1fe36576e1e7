import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The dashboard: the same server-rendered page (HTML and SVG, no script) the image service serves.
export const { GET, HEAD } = castcard.dashboard;
