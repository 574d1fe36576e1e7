import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The share page is plain HTML from the core, so the standalone service serves the same page and
// a bad or unsigned link can be answered with a real status code.
export const { GET } = castcard.sharePage;
