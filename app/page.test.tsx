import { describe, expect, it } from "vitest";
import { safeParseMiniAppEmbed } from "@farcaster/miniapp-core";

// The embed schema wants an https host; the app reads its configuration once, on first use.
process.env.APP_URL = "https://castcard.example.com";
const { generateMetadata } = await import("./page");

describe("home page", () => {
  it("carries fc:miniapp in the current dialect and fc:frame in the legacy one, both valid under the Mini App schema", async () => {
    const metadata = await generateMetadata();
    const other = metadata.other as Record<string, string>;
    const dialects = { "fc:miniapp": ["1", "launch_miniapp"], "fc:frame": ["next", "launch_frame"] };
    for (const [name, [version, type]] of Object.entries(dialects)) {
      const embed = JSON.parse(other[name]!);
      expect(safeParseMiniAppEmbed(embed).success).toBe(true);
      expect(embed.imageUrl).toMatch(/^https:\/\/castcard\.example\.com\/api\/og\?/);
      expect([embed.version, embed.button.action.type]).toEqual([version, type]);
    }
  });

  it("has an Open Graph and X card: the sample card at 1200×630", async () => {
    const metadata = await generateMetadata();
    const images = metadata.openGraph?.images as Array<{ url: string; width: number; height: number; type: string }>;
    expect(images).toHaveLength(1);
    expect(images[0]).toMatchObject({ width: 1200, height: 630, type: "image/png" });
    const url = new URL(images[0]!.url);
    expect(url.searchParams.get("size")).toBe("og");
    expect(url.searchParams.get("username")).toBe("castcard");
    expect(metadata.twitter).toMatchObject({ card: "summary_large_image", images: [images[0]!.url] });
  });
});
