import { notFound, previewCard, previewEnabled } from "../gallery";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export const GET = (request: Request) => (previewEnabled() ? previewCard(request) : notFound());
