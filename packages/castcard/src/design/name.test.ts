import { describe, expect, it } from "vitest";
import { graphemes, NAME_LIMITS, sanitizeName } from "./name";

describe("sanitizeName", () => {
  it("normalises to NFC", () => {
    expect(sanitizeName("e\u0301lise")).toBe("\u00e9lise");
  });

  it.each([
    ["right-to-left override", "@alice\u202Ehte dnes", "@alicehte dnes"],
    ["isolates and marks", "\u2066bob\u2069\u200E\u200F\u061C", "bob"],
    ["every bidi control", "a\u202A\u202B\u202C\u202D\u202Eb", "ab"],
    ["C0 and C1 controls", "a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg", "abcdefg"],
    ["newlines and tabs", "a\nb\tc\r\nd", "abcd"],
  ])("removes %s", (_label, input, expected) => {
    expect(sanitizeName(input)).toBe(expected);
  });

  it("returns an empty string when nothing printable is left", () => {
    expect(sanitizeName("\u202E\u0000\u2066")).toBe("");
  });

  it("caps at 64 graphemes, ending with an ellipsis", () => {
    const out = sanitizeName("ä".repeat(100));
    expect(graphemes(out)).toHaveLength(NAME_LIMITS.maxGraphemes);
    expect(out).toBe("ä".repeat(63) + "…");
    // Wide graphemes hit the 256-unit cut first: 32 family emoji of 8 units each.
    expect(graphemes(sanitizeName("👩‍👩‍👧".repeat(40)))).toHaveLength(32);
  });

  it("cuts stacks of combining marks to 8 code points per grapheme", () => {
    const zalgo = "Z" + "\u0336\u0301\u0315\u0322\u0357".repeat(20) + "a";
    const [first, second] = graphemes(sanitizeName(zalgo));
    expect(Array.from(first!)).toHaveLength(NAME_LIMITS.maxCodePointsPerGrapheme);
    expect(second).toBe("a");
  });

  it("drops a surrogate half left by the 256-unit cut", () => {
    const out = sanitizeName("a".repeat(255) + "😀");
    expect(out).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("looks at no more than 256 UTF-16 units of a 100 kB name", () => {
    const huge = "\u0301".repeat(50_000) + "b".repeat(50_000);
    const started = performance.now();
    const out = sanitizeName(huge);
    expect(performance.now() - started).toBeLessThan(1000); // proves no hang, not speed
    expect(out).not.toContain("b");
    expect(sanitizeName("a".repeat(100_000))).toBe("a".repeat(63) + "…");
  });
});
