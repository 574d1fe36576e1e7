import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The share analytics as JSON, behind STATS_TOKEN.
export const { GET, HEAD } = castcard.stats;
