import { castcard } from "@/castcard";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The same health figures as the standalone service: one load-balancer check for both fronts.
export const { GET } = castcard.health;
