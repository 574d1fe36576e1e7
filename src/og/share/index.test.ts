import { describe, expect, it } from "vitest";
import { domainManifestSchema, domainMiniAppConfigSchema, safeParseFrameEmbed, safeParseMiniAppEmbed } from "@farcaster/miniapp-core";
import { loadConfig } from "../config/index";
import { createCastcard } from "../app/index";
import { pngSize } from "../../../tests/support/png";
import { manifest, miniAppEmbed, mintShareUrls } from "./index";
import { cardParams } from "../params/index";

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

describe("share page and embeds", () => {
  it("carries fc:miniapp and fc:frame meta that pass the Mini App schemas, pointing at the user's card", async () => {
    const { shareUrl, imageUrl } = mintShareUrls(config, cardParams({ username: "dora", image: "https://i.example.com/d.png" }));
    const res = await castcard.fetch(new Request(shareUrl));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await res.text();
    for (const name of ["fc:miniapp", "fc:frame"]) {
      const embed = metaJson(html, name) as { imageUrl: string; button: { action: { url: string } } };
      expect(safeParseMiniAppEmbed(embed).success).toBe(true);
      expect(safeParseFrameEmbed(embed).success).toBe(true);
      expect(embed.imageUrl).toBe(imageUrl);
      expect(embed.button.action.url).toBe("https://castcard.example.com");
    }
    expect(html).toContain(`<meta property="og:image" content="${imageUrl.replace(/&/g, "&amp;")}">`);
    // A person opening the link sees the card and a way into the app.
    expect(html).toContain(`<img src="${imageUrl.replace(/&/g, "&amp;")}"`);
    expect(html).toContain('href="https://castcard.example.com"');
  });

  it("escapes a hostile name everywhere in the page", async () => {
    const { shareUrl } = mintShareUrls(config, cardParams({ username: `"><script>alert(1)</script>` }));
    const html = await (await castcard.fetch(new Request(shareUrl))).text();
    expect(html).not.toContain("<script>");
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

  it("includes accountAssociation from configuration and then passes the full manifest schema", () => {
    const signed = loadConfig({
      APP_URL: "https://castcard.example.com",
      ACCOUNT_ASSOCIATION_HEADER: "eyJmaWQiOjF9",
      ACCOUNT_ASSOCIATION_PAYLOAD: "eyJkb21haW4iOiJjYXN0Y2FyZC5leGFtcGxlLmNvbSJ9",
      ACCOUNT_ASSOCIATION_SIGNATURE: "MHgxMjM",
    }).config;
    const result = domainManifestSchema.safeParse(manifest(signed));
    expect(result.success).toBe(true);
  });
});
