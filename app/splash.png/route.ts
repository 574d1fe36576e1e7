import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The manifest's splashImageUrl: drawn from the app's name and colour (200×200).
export const { GET, HEAD } = castcard.splash;
