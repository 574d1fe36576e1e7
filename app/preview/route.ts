import { galleryHtml, notFound, previewEnabled } from "./gallery";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Off in production unless PREVIEW=1: a 404, as if the page did not exist.
export const GET = () =>
  previewEnabled()
    ? new Response(galleryHtml(), { headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store" } })
    : notFound();
