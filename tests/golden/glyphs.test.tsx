import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCard, Name } from "../../packages/castcard/src/design/index";
import { createTwemoji } from "../../packages/castcard/src/og/emoji/index";
import { loadDefaultFonts } from "../../packages/castcard/src/og/fonts/index";
import { createCardRenderer } from "../../packages/castcard/src/og/render/index";
import { colourfulPixels, differingPixels, pixels } from "./support";

// A design made for this test alone: just the name, large, black on white. That it plugs in like
// the built-ins is part of what is tested.
const nameOnly = defineCard({
  id: "name-only",
  label: "Name only",
  fields: z.object({}),
  avatar: { side: 1 },
  name: { maxWidth: 1100, maxFontSize: 96, minFontSize: 40, fontWeight: 700, prefix: "" },
  render: ({ name }) => (
    <div style={{ width: 1200, height: 800, display: "flex", alignItems: "center", justifyContent: "center", backgroundColor: "#FFFFFF", color: "#000000", fontFamily: "Inter" }}>
      <Name name={name} style={{ fontWeight: 700 }} />
    </div>
  ),
});

const fonts = loadDefaultFonts();
const world = createCardRenderer(fonts);
// What the renderer draws with Inter alone: empty boxes for every other script.
const interOnly = createCardRenderer(fonts, { worldFonts: false, emoji: false });
const draw = (renderer: typeof world, username: string) =>
  renderer.renderCard(nameOnly, { username, hasAvatar: false, brand: "", subtitle: "" }, null).then((png) => pixels(png));

/** Two names per script, the same length; the last column says whether Inter draws the script itself. */
const SCRIPTS: Array<[script: string, a: string, b: string, inter: boolean]> = [
  ["Latin", "alice", "brian", true],
  ["Greek", "αλέξης", "νικόλα", true],
  ["Cyrillic", "наташа", "дмитрий", true],
  ["Simplified Chinese", "王小明", "李华强", false],
  ["Traditional Chinese", "張國榮", "劉德華", false],
  ["Japanese", "さくら", "ひかり", false],
  ["Korean", "김민준", "이서연", false],
  ["Arabic", "محمد", "فاطمة", false],
  ["Hebrew", "דניאל", "מרים", false],
  ["Devanagari", "अर्जुन", "प्रिया", false],
  ["Bengali", "রবীন্দ্র", "সুমিতা", false],
  ["Tamil", "கார்த்திக்", "மீனாட்சி", false],
  ["Telugu", "రాముడు", "సీతమ్మ", false],
  ["Thai", "สมชาย", "มาลี", false],
];

describe("every script draws real glyphs", () => {
  it.each(SCRIPTS)("%s: two different names give different images", async (_, a, b, inter) => {
    const [imageA, imageB] = await Promise.all([draw(world, a), draw(world, b)]);
    // Missing glyphs are identical boxes: two names of equal length would then look alike.
    expect(differingPixels(imageA, imageB)).toBeGreaterThan(1500);
    if (!inter) {
      // And the name is not what Inter alone makes of it (boxes).
      expect(differingPixels(imageA, await draw(interOnly, a))).toBeGreaterThan(1500);
    }
  });

  it("marks below the baseline are drawn, not clipped by the name's box (علي is not على)", async () => {
    // The two differ only by the two dots under the final yeh, which hang below the baseline.
    const [withDots, withoutDots] = await Promise.all([draw(world, "علي"), draw(world, "على")]);
    expect(differingPixels(withDots, withoutDots)).toBeGreaterThan(100);
  });

  it("mixed scripts in one name each get their font", async () => {
    const mixed = await draw(world, "dev王小明محمد");
    const latinOnly = await draw(world, "dev");
    expect(differingPixels(mixed, await draw(interOnly, "dev王小明محمد"))).toBeGreaterThan(1500);
    expect(differingPixels(mixed, latinOnly)).toBeGreaterThan(1500);
  });
});

describe("emoji are drawn in colour", () => {
  it("an emoji name has many colourful pixels; without the emoji set it has none", async () => {
    const withEmoji = await draw(world, "🍊🚀");
    const withoutEmoji = await draw(interOnly, "🍊🚀");
    expect(colourfulPixels(withEmoji)).toBeGreaterThan(3000);
    expect(colourfulPixels(withoutEmoji)).toBeLessThan(50);
  });

  it("ZWJ sequences, skin tones and flags are one picture each, in colour", async () => {
    for (const name of ["👨‍👩‍👧‍👦", "👍🏽", "🇯🇵🇧🇷", "🏳️‍🌈", "🧑🏽‍💻"]) {
      expect(colourfulPixels(await draw(world, name)), name).toBeGreaterThan(1500);
    }
    const family = await draw(world, "👨‍👩‍👧‍👦");
    const people = await draw(world, "👨👩👧👦");
    expect(differingPixels(family, people)).toBeGreaterThan(1500);
  });

  it("an emoji the set lacks falls back to text instead of failing the render", async () => {
    const set = createTwemoji();
    const missing = { keyOf: set.keyOf, load: async () => null };
    const renderer = createCardRenderer(fonts, { emoji: missing });
    const png = await renderer.renderCard(nameOnly, { username: "ok🍊", hasAvatar: false, brand: "", subtitle: "" }, null);
    expect(png.byteLength).toBeGreaterThan(1000);
  });
});
