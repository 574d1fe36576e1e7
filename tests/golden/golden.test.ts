import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { CARD_SIZES, DESIGNS } from "../../packages/castcard/src/design/index";
import { SAMPLE_USERS } from "../../packages/castcard/src/testing";
import { loadDefaultFonts } from "../../packages/castcard/src/og/fonts/index";
import { createCardRenderer } from "../../packages/castcard/src/og/render/index";
import { differingPixels, pixels, renderSample } from "./support";

// Goldens are kept at a quarter of the card's size, in 256 colours: small enough to commit, still
// showing every glyph, emoji and layout shift. Refresh them with UPDATE_GOLDENS=1 after a design change.
const DIR = join(import.meta.dirname, "images");
const WIDTH = 300;
/** Share of pixels allowed to differ (by more than the channel threshold): rounding, not content. */
const TOLERANCE = 0.003;
const update = process.env.UPDATE_GOLDENS === "1";

const renderer = createCardRenderer(loadDefaultFonts());

/** The samples each design is also checked at in the 1200×630 Open Graph size: the hard cases. */
const OG_SAMPLES = new Set(["latin", "arabic", "emoji", "long", "no-avatar", "display-name", "display-name-rtl"]);

const cases = DESIGNS.flatMap((template) => [
  ...SAMPLE_USERS.map((sample) => ({ template, sample, size: "embed" as const, file: `${template.id}-${sample.id}.png` })),
  ...SAMPLE_USERS.filter((s) => OG_SAMPLES.has(s.id)).map((sample) => ({ template, sample, size: "og" as const, file: `${template.id}-og-${sample.id}.png` })),
]);

describe.each(DESIGNS.map((t) => [t.id] as const))("golden cards: %s", (id) => {
  it.each(cases.filter((c) => c.template.id === id).map((c) => [c.file, c] as const))("%s matches its golden image", async (_, { template, sample, size, file: name }) => {
    const png = await renderSample(renderer, template, sample, size);
    const expected = CARD_SIZES[size];
    expect(await sharp(png).metadata()).toMatchObject({ width: expected.width, height: expected.height });
    const small = await sharp(png).resize({ width: WIDTH, kernel: "lanczos3" }).png({ palette: true, colours: 256, dither: 0, compressionLevel: 9 }).toBuffer();
    const file = join(DIR, name);
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
