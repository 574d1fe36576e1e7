import { describe, expect, it } from "vitest";
import { safeParseMiniAppEmbed } from "@farcaster/miniapp-core";

// The embed schema wants an https host; the app reads its configuration once, on first use.
process.env.APP_URL = "https://castcard.example.com";
const { generateMetadata } = await import("./page");

describe("home page", () => {
  it("carries its own fc:miniapp and fc:frame embeds, valid under the Mini App schema", async () => {
    const metadata = await generateMetadata();
    const other = metadata.other as Record<string, string>;
    for (const name of ["fc:miniapp", "fc:frame"]) {
      const embed = JSON.parse(other[name]!);
      expect(safeParseMiniAppEmbed(embed).success).toBe(true);
      expect(embed.imageUrl).toMatch(/^https:\/\/castcard\.example\.com\/api\/og\?/);
      expect(embed.button.action.type).toBe("launch_miniapp");
    }
  });
});
