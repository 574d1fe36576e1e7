// The app's icon (1024×1024) and splash image (200×200), drawn from its name and colour with the
// card renderer, for apps that bring none of their own.
import { createElement } from "react";
import sharp from "sharp";
import { AppMark, markLetter } from "../design/mark";
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
