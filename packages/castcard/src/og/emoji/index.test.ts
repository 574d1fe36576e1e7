import { describe, expect, it } from "vitest";
import { createTwemoji, isEmoji, segmentText } from "./index";

const twemoji = createTwemoji();

describe("emoji", () => {
  it("tells emoji from text-style characters", () => {
    for (const e of ["🚀", "👨‍👩‍👧‍👦", "👍🏽", "🇯🇵", "🏳️‍🌈", "1️⃣", "©️"]) expect(isEmoji(e), e).toBe(true);
    for (const t of ["a", "1", "©", "王", "#"]) expect(isEmoji(t), t).toBe(false);
  });

  it("finds one picture for each ZWJ sequence, skin tone, flag and keycap", () => {
    expect(twemoji.keyOf("👨‍👩‍👧‍👦")).toBe("1f468-200d-1f469-200d-1f467-200d-1f466");
    expect(twemoji.keyOf("👍🏽")).toBe("1f44d-1f3fd");
    expect(twemoji.keyOf("🇯🇵")).toBe("1f1ef-1f1f5");
    expect(twemoji.keyOf("🏳️‍🌈")).toBe("1f3f3-fe0f-200d-1f308");
    expect(twemoji.keyOf("1️⃣")).toBe("31-20e3");
    expect(twemoji.keyOf("❤️")).toBe("2764");
    // Phoenix (Emoji 15.1) is newer than the set: its first part is drawn instead.
    expect(twemoji.keyOf("🐦‍🔥")).toBe("1f426");
  });

  it("splits a name into text runs and single emoji", () => {
    const segments = segmentText("hi👨‍👩‍👧‍👦 there🇯🇵", twemoji);
    expect(segments.map((s) => (s.kind === "text" ? s.text : s.alt))).toEqual(["hi", "👨‍👩‍👧‍👦", " there", "🇯🇵"]);
    expect(segments.filter((s) => s.kind === "emoji")).toHaveLength(2);
  });

  it("reads pictures from the package, and refuses keys that are not file names it has", async () => {
    const svg = await twemoji.load("1f680");
    expect(new TextDecoder().decode(svg!).startsWith("<svg")).toBe(true);
    expect(await twemoji.load("../../package")).toBeNull();
    expect(await twemoji.load("ffffff")).toBeNull();
  });
});
