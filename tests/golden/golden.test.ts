import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { TEMPLATES } from "../../src/og/card/index";
import { SAMPLE_USERS } from "../../src/og/card/samples";
import { loadDefaultFonts } from "../../src/og/fonts/index";
import { createCardRenderer } from "../../src/og/render/index";
import { differingPixels, pixels, renderSample } from "./support";

// Goldens are kept at a quarter of the card's size, in 256 colours: small enough to commit, still
// showing every glyph, emoji and layout shift. Refresh them with UPDATE_GOLDENS=1 after a design change.
const DIR = join(import.meta.dirname, "images");
const WIDTH = 300;
/** Share of pixels allowed to differ (by more than the channel threshold): rounding, not content. */
const TOLERANCE = 0.003;
const update = process.env.UPDATE_GOLDENS === "1";

const renderer = createCardRenderer(loadDefaultFonts());

describe.each(TEMPLATES.map((t) => [t.id, t] as const))("golden cards: %s", (id, template) => {
  it.each(SAMPLE_USERS.map((s) => [s.id, s] as const))("%s matches its golden image", async (_, sample) => {
    const png = await renderSample(renderer, template, sample);
    const small = await sharp(png).resize({ width: WIDTH, kernel: "lanczos3" }).png({ palette: true, colours: 256, dither: 0, compressionLevel: 9 }).toBuffer();
    const file = join(DIR, `${id}-${sample.id}.png`);
    if (update) {
      mkdirSync(DIR, { recursive: true });
      writeFileSync(file, small);
    }
    expect(existsSync(file), `missing golden ${file}: run with UPDATE_GOLDENS=1`).toBe(true);
    const actual = await pixels(png, { width: WIDTH });
    const golden = await pixels(file);
    const differing = differingPixels(actual, golden, 40);
    expect(differing / (actual.width * actual.height)).toBeLessThanOrEqual(TOLERANCE);
  });
});
