// The app's icon (1024×1024) and splash image (200×200), drawn from its name and colour with the
// card renderer, for apps that bring none of their own.
import { createElement } from "react";
import sharp from "sharp";
import { AppMark, markLetter } from "../design/mark";
import { text } from "../http/respond";
import { etagOf, ifNoneMatchHits } from "./cache/index";
import type { OgLogger } from "./pipeline";
import type { CardRenderer } from "./render/index";

/** The sizes the Mini App spec asks for. */
export const MARK_SIDES = { icon: 1024, splash: 200 } as const;
export type MarkKind = keyof typeof MARK_SIDES;

/** A PNG of the app's mark, without an alpha channel (the spec's icons have none). */
export async function renderAppMark(renderer: CardRenderer, app: { name: string; color: string }, kind: MarkKind): Promise<Buffer> {
  const side = MARK_SIDES[kind];
  const png = await renderer.renderImage({ letter: markLetter(app.name) }, (rich) => createElement(AppMark, { letter: rich.letter!, color: app.color, side }), { width: side, height: side });
  return sharp(png).removeAlpha().png({ compressionLevel: 9 }).toBuffer();
}

/**
 * GET /icon.png or /splash.png: the mark, drawn once per process on first request (a failure is
 * retried next time), revalidated by ETag. 404 when the app names its own (`own`).
 */
export function createMarkRoute(
  renderer: CardRenderer,
  app: { name: string; color: string },
  kind: MarkKind,
  options: { own: string | null; log?: OgLogger },
): (request: Request) => Promise<Response> {
  let pending: Promise<{ png: Buffer; etag: string }> | null = null;
  return async (request) => {
    if (options.own) return text(404, "Not found");
    if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed", { allow: "GET, HEAD" });
    if (!pending) {
      const drawing = renderAppMark(renderer, app, kind).then((png) => ({ png, etag: etagOf(png) }));
      drawing.catch(() => {
        if (pending === drawing) pending = null;
      });
      pending = drawing;
    }
    let mark;
    try {
      mark = await pending;
    } catch (error) {
      options.log?.({ event: "mark-failed", kind, error: error instanceof Error ? error.message : String(error) });
      return text(500, "Could not render the image");
    }
    const headers = { "content-type": "image/png", "cache-control": "public, max-age=3600", etag: mark.etag };
    if (ifNoneMatchHits(request.headers.get("if-none-match"), mark.etag)) return new Response(null, { status: 304, headers });
    return new Response(request.method === "HEAD" ? null : new Uint8Array(mark.png), { headers: { ...headers, "content-length": String(mark.png.byteLength) } });
  };
}
