import { describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../../../../tests/support/avatar-server";
import { loadConfig } from "../config/index";
import { createCastcard } from "../fronts/castcard";

// The Mini App's live preview asks for its card's image the moment the mint answers; a share's
// mint renders first (og/cache/index.test.ts), so the scrape after the cast is a cache hit.
describe("POST /api/share for a preview", () => {
  it("answers a preview's mint as its card starts rendering; the page's image request joins that render", async () => {
    // The avatar is held until the mint has answered: the render cannot have finished by then.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const png = await solidPng("#0af");
    const avatars = await startAvatarServer({ "/held.png": (_req, res) => void held.then(() => sendBytes(png, "image/png")(_req, res)) });
    try {
      const { config } = loadConfig({ APP_URL: "https://castcard.example.com", AVATAR_ALLOW_PRIVATE: "1" });
      const app = createCastcard(config);
      const res = await app.share(
        new Request("https://castcard.example.com/api/share", {
          method: "POST",
          body: JSON.stringify({ fid: 7, username: "pia", pfpUrl: `${avatars.url}/held.png`, preview: true }),
        }),
      );
      expect(res.status).toBe(200);
      const { imageUrl } = (await res.json()) as { imageUrl: string };
      expect(app.og.stats()).toMatchObject({ renderCache: { renders: 1, entries: 0 } });
      const image = app.og(new Request(imageUrl));
      release();
      const answered = await image;
      expect(answered.status).toBe(200);
      expect(answered.headers.get("x-castcard-avatar")).toBe("image");
      // One render served both: the mint's and the image request's.
      expect(app.og.stats()).toMatchObject({ renderCache: { renders: 1, entries: 1 } });
    } finally {
      release();
      await avatars.close();
    }
  });

});
