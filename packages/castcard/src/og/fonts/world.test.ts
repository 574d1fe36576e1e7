import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createWorldFonts, parseUnicodeRange } from "./world";

const fonts = createWorldFonts();

describe("world fonts", () => {
  it("needs nothing beyond Inter for Latin, Greek and Cyrillic", () => {
    expect(fonts.plan("alice.eth Ωμέγα Наташа")).toEqual({ slices: [], families: [], uncovered: [] });
  });

  it("picks only the slices a name needs, and each slice file exists", () => {
    const plan = fonts.plan("王小明");
    expect(plan.families).toEqual(["Noto Sans SC"]);
    expect(plan.slices.length).toBeGreaterThan(0);
    expect(plan.slices.length).toBeLessThanOrEqual(3);
    for (const slice of plan.slices) expect(existsSync(slice.path), slice.path).toBe(true);
  });

  it("finds the font for each script of a mixed name", () => {
    const plan = fonts.plan("dev王محمדניאלअर्जुनสมชาย");
    expect(plan.families).toEqual(["Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai", "Noto Sans SC"]);
    for (const slice of plan.slices) expect(existsSync(slice.path), slice.path).toBe(true);
  });

  it("draws shared Han characters in Japanese beside kana and in Korean beside hangul", () => {
    expect(fonts.plan("東京さくら").families[0]).toBe("Noto Sans JP");
    expect(fonts.plan("金민준").families[0]).toBe("Noto Sans KR");
    expect(fonts.plan("東京").families[0]).toBe("Noto Sans SC");
  });

  it("reports what no font has (mathematical letters), for the renderer to fold", () => {
    expect(fonts.plan("𝓐𝓵").uncovered).toEqual([0x1d4d0, 0x1d4f5]);
  });

  it("parses CSS unicode-range lists", () => {
    expect(parseUnicodeRange("U+0600-06FF,U+200C, U+FB50-FDFF")).toEqual([
      [0x600, 0x6ff],
      [0x200c, 0x200c],
      [0xfb50, 0xfdff],
    ]);
  });
});
