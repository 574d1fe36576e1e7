// Long on purpose: POST /api/share, the share page, the embeds and the manifest checked together
// against the spec's own schemas, on one Castcard instance.
import { describe, expect, it } from "vitest";
import { domainManifestSchema, domainMiniAppConfigSchema, safeParseFrameEmbed, safeParseMiniAppEmbed } from "@farcaster/miniapp-core";
import { loadConfig } from "../config/index";
import { createCastcard } from "../fronts/castcard";
import { pngSize } from "../../../../tests/support/png";
import { manifest, miniAppEmbed, sampleShareUrls } from "./index";

// The embed schema rejects localhost and IP hosts, so meta is validated on an https name.
const { config } = loadConfig({ APP_URL: "https://castcard.example.com" });
const castcard = createCastcard(config);

const postShare = (body: unknown) =>
  castcard.fetch(
    new Request("https://castcard.example.com/api/share", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The content of a `<meta property=…>` or `<meta name=…>` tag, HTML-unescaped; null when absent. */
function metaProperty(html: string, id: string): string | null {
  const match = html.match(new RegExp(`<meta (?:property|name)="${id}" content="([^"]*)">`));
  return match ? unescapeHtml(match[1]!) : null;
}

/** The JSON of a `<meta name=… content=…>` tag in an HTML page, HTML-unescaped. */
function metaJson(html: string, name: string): unknown {
  const match = html.match(new RegExp(`<meta name="${name}" content="([^"]*)">`));
  if (!match) throw new Error(`no ${name} meta`);
  const unescaped = match[1]!.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  return JSON.parse(unescaped);
}

describe("POST /api/share", () => {
  it("returns absolute, correctly encoded URLs on APP_URL", async () => {
    const res = await postShare({ fid: 3, username: "a&b c?", pfpUrl: "https://i.example.com/p.png?x=1&y=2" });
    expect(res.status).toBe(200);
    const { imageUrl, shareUrl } = (await res.json()) as { imageUrl: string; shareUrl: string };
    const image = new URL(imageUrl);
    const share = new URL(shareUrl);
    expect(image.origin).toBe("https://castcard.example.com");
    expect(image.pathname).toBe("/api/og");
    expect(share.origin).toBe("https://castcard.example.com");
    expect(share.pathname).toBe("/share");
    // Every value survives the round trip exactly: nothing leaks into other parameters.
    expect(image.searchParams.get("username")).toBe("a&b c?");
    expect(image.searchParams.get("image")).toBe("https://i.example.com/p.png?x=1&y=2");
    expect(share.search).toBe(image.search);
  });

  it("mints a card whose image URL renders a 1200×800 PNG", async () => {
    const { imageUrl } = (await (await postShare({ fid: 9, username: "carol", pfpUrl: null })).json()) as { imageUrl: string };
    const res = await castcard.fetch(new Request(imageUrl));
    expect(res.status).toBe(200);
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
  });

  it("drops an unusable pfpUrl instead of failing, and names a user without a username by fid", async () => {
    const { imageUrl } = (await (await postShare({ fid: 42, pfpUrl: "javascript:alert(1)" })).json()) as { imageUrl: string };
    const url = new URL(imageUrl);
    expect(url.searchParams.get("image")).toBeNull();
    expect(url.searchParams.get("username")).toBe("fid42");
  });

  it.each([
    ["not JSON", "{"],
    ["no fid", { username: "x" }],
    ["a negative fid", { fid: -1 }],
    ["a string fid", { fid: "3" }],
  ])("answers a short 400 for %s", async (_label, body) => {
    const res = await postShare(body);
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(100);
  });
});

describe("POST /api/share: designs and display names", () => {
  const mint = async (body: Record<string, unknown>) => {
    const res = await postShare({ fid: 1234, username: "alice", ...body });
    return { res, text: res.ok ? "" : await res.text(), urls: res.ok ? ((await res.json()) as { imageUrl: string; shareUrl: string }) : null };
  };

  it("mints a member card carrying template, fid and display name, within 1024 characters", async () => {
    const { res, urls } = await mint({ template: "member", displayName: "Alice 🌸" });
    expect(res.status).toBe(200);
    for (const url of [urls!.imageUrl, urls!.shareUrl]) {
      expect(url.length).toBeLessThanOrEqual(1024);
      const search = new URL(url).searchParams;
      expect(search.get("template")).toBe("member");
      expect(search.get("fid")).toBe("1234");
      expect(search.get("displayName")).toBe("Alice 🌸");
    }
    const card = await castcard.fetch(new Request(urls!.imageUrl));
    expect(card.status).toBe(200);
  });

  it("never puts a client-sent score on a card", async () => {
    const seed = await mint({ score: 999999, label: "hacked" });
    expect(seed.res.status).toBe(200);
    expect(new URL(seed.urls!.imageUrl).searchParams.has("score")).toBe(false);
    expect(new URL(seed.urls!.imageUrl).searchParams.has("label")).toBe(false);
    // The score design's data is the app server's word: the share button cannot mint it at all.
    const score = await mint({ template: "score", score: 999999 });
    expect(score.res.status).toBe(400);
    expect(score.text).toMatch(/^template: score cards are minted by the app's server/);
  });

  it("refuses an unknown design with a short 400", async () => {
    const { res, text } = await mint({ template: "nope" });
    expect(res.status).toBe(400);
    expect(text).toBe("template: unknown design");
  });

  it("fills a design's data through the app's own cardData, never from the body", async () => {
    const app = createCastcard(config, { cardData: (design, user) => (design.id === "score" ? { score: user.fid * 10, label: "points" } : {}) });
    const res = await app.fetch(
      new Request("https://castcard.example.com/api/share", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ fid: 42, username: "bob", template: "score", score: 1 }),
      }),
    );
    expect(res.status).toBe(200);
    const { imageUrl } = (await res.json()) as { imageUrl: string };
    expect(new URL(imageUrl).searchParams.get("score")).toBe("420");
  });
});

describe("share page and embeds", () => {
  it("carries fc:miniapp in the current dialect and fc:frame in the legacy one, both valid, pointing at the user's 3:2 card", async () => {
    const { shareUrl, imageUrl } = castcard.urls.mint({ user: { username: "dora", pfpUrl: "https://i.example.com/d.png" } });
    const res = await castcard.fetch(new Request(shareUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    const current = metaJson(html, "fc:miniapp") as { version: string; imageUrl: string; button: { action: { type: string; url: string } } };
    const legacy = metaJson(html, "fc:frame") as typeof current;
    expect([current.version, current.button.action.type]).toEqual(["1", "launch_miniapp"]);
    expect([legacy.version, legacy.button.action.type]).toEqual(["next", "launch_frame"]);
    for (const embed of [current, legacy]) {
      expect(safeParseMiniAppEmbed(embed).success).toBe(true);
      expect(safeParseFrameEmbed(embed).success).toBe(true);
      expect(embed.imageUrl).toBe(imageUrl);
      // The launch button opens the app with this card's share id (analytics is on by default).
      expect(embed.button.action.url).toMatch(/^https:\/\/castcard\.example\.com\/\?share=[A-Za-z0-9_-]{22}$/);
    }
    // A person opening the link sees the card and a way into the app.
    expect(html).toContain(`<img src="${imageUrl.replace(/&/g, "&amp;")}"`);
    expect(html).toContain('href="https://castcard.example.com"');
  });

  it("declares a 1200×630 Open Graph and X card that really is 1200×630, and its page URL", async () => {
    const { shareUrl } = castcard.urls.mint({ design: "member", user: { fid: 12, username: "dora", displayName: "Dora" } });
    const html = await (await castcard.fetch(new Request(shareUrl))).text();
    const og = metaProperty(html, "og:image")!;
    expect(new URL(og).searchParams.get("size")).toBe("og");
    expect(new URL(og).searchParams.get("template")).toBe("member");
    expect(metaProperty(html, "twitter:image")).toBe(og);
    expect(metaProperty(html, "twitter:card")).toBe("summary_large_image");
    expect(metaProperty(html, "og:image:type")).toBe("image/png");
    expect(metaProperty(html, "og:url")).toBe(shareUrl);
    expect(metaProperty(html, "og:title")).toBe("Dora (@dora) on Castcard");
    expect(metaProperty(html, "og:description")!.length).toBeGreaterThan(10);
    const declared = { width: Number(metaProperty(html, "og:image:width")), height: Number(metaProperty(html, "og:image:height")) };
    expect(declared).toEqual({ width: 1200, height: 630 });
    const png = await castcard.fetch(new Request(og));
    expect(png.status).toBe(200);
    expect(pngSize(new Uint8Array(await png.arrayBuffer()))).toEqual(declared);
  });

  it("keeps the cast embed at 3:2 even when the share link itself names size=og", async () => {
    const query = new URL(castcard.urls.mint({ user: { username: "eve" }, size: "og" }).imageUrl).search;
    const html = await (await castcard.fetch(new Request(`https://castcard.example.com/share${query}`))).text();
    const embed = metaJson(html, "fc:miniapp") as { imageUrl: string };
    expect(new URL(embed.imageUrl).searchParams.get("size")).toBeNull();
    expect(new URL(metaProperty(html, "og:image")!).searchParams.get("size")).toBe("og");
  });

  it("escapes a hostile name everywhere in the page", async () => {
    const { shareUrl } = castcard.urls.mint({ user: { username: `"><script>alert(1)</script>`, displayName: `</title><script>x()</script>` } });
    const html = await (await castcard.fetch(new Request(shareUrl))).text();
    expect(html).not.toContain("<script>");
  });

  it("launches the app with the shareId POST /api/share answered, whatever size the link names; another card is another share", async () => {
    const minted = (await (await postShare({ fid: 31, username: "frank" })).json()) as { shareUrl: string; shareId: string };
    expect(minted.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const og = `https://castcard.example.com/share${new URL(minted.shareUrl).search}&size=og`;
    for (const url of [minted.shareUrl, og]) {
      const html = await (await castcard.fetch(new Request(url))).text();
      for (const name of ["fc:miniapp", "fc:frame"]) {
        const embed = metaJson(html, name) as { button: { action: { url: string } } };
        expect(embed.button.action.url).toBe(`https://castcard.example.com/?share=${minted.shareId}`);
        expect(embed.button.action.url.length).toBeLessThanOrEqual(1024);
      }
    }
    const again = (await (await postShare({ fid: 31, username: "frank" })).json()) as { shareId: string };
    expect(again.shareId).toBe(minted.shareId);
    const other = (await (await postShare({ fid: 31, username: "frank", template: "split" })).json()) as { shareId: string };
    expect(other.shareId).not.toBe(minted.shareId);
    // A preview mint (the Mini App before the button is pressed) answers the card but records no share.
    const preview = (await (await postShare({ fid: 32, username: "gina", preview: true })).json()) as { imageUrl: string; shareId: string | null };
    expect(preview.imageUrl).toMatch(/^https:\/\//);
    expect(preview.shareId).toBeNull();
  });

  it("builds embeds the schema accepts", () => {
    const embed = miniAppEmbed(config, "https://castcard.example.com/api/og?username=x&v=1");
    expect(safeParseMiniAppEmbed(embed).success).toBe(true);
  });
});

describe("manifest", () => {
  it("passes the Mini App config schema, with miniapp and frame identical", async () => {
    const body = (await (await castcard.fetch(new Request("https://castcard.example.com/.well-known/farcaster.json"))).json()) as {
      miniapp: unknown;
      frame: unknown;
      accountAssociation?: unknown;
    };
    expect(domainMiniAppConfigSchema.safeParse(body.miniapp).success).toBe(true);
    expect(body.frame).toEqual(body.miniapp);
    expect(body.accountAssociation).toBeUndefined();
  });

  it("has hero and Open Graph images that are 1200×630 cards, and og text within the spec's limits", async () => {
    const { miniapp } = (await (await castcard.fetch(new Request("https://castcard.example.com/.well-known/farcaster.json"))).json()) as {
      miniapp: { heroImageUrl: string; ogImageUrl: string; ogTitle: string; ogDescription: string; tagline: string };
    };
    for (const url of [miniapp.heroImageUrl, miniapp.ogImageUrl]) {
      const res = await castcard.fetch(new Request(url));
      expect(res.status).toBe(200);
      expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 630 });
    }
    expect(miniapp.ogTitle.length).toBeLessThanOrEqual(30);
    expect(miniapp.tagline.length).toBeLessThanOrEqual(30);
    expect(miniapp.ogDescription.length).toBeLessThanOrEqual(100);
    // The schema checks these fields' characters too (no emoji, no @ # & …): the config test above passes it.
  });

  it("includes accountAssociation from configuration and then passes the full manifest schema", () => {
    const signed = loadConfig({
      APP_URL: "https://castcard.example.com",
      ACCOUNT_ASSOCIATION_HEADER: "eyJmaWQiOjF9",
      ACCOUNT_ASSOCIATION_PAYLOAD: "eyJkb21haW4iOiJjYXN0Y2FyZC5leGFtcGxlLmNvbSJ9",
      ACCOUNT_ASSOCIATION_SIGNATURE: "MHgxMjM",
    }).config;
    const result = domainManifestSchema.safeParse(manifest(signed, sampleShareUrls(castcard.urls, signed.app.sampleUser)));
    expect(result.success).toBe(true);
  });
});
