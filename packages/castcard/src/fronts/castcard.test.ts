import { describe, expect, it } from "vitest";
import { domainMiniAppConfigSchema, safeParseMiniAppEmbed } from "@farcaster/miniapp-core";
import sharp from "sharp";
import { loadConfig, type AppInput, type Env } from "../config/index";
import { pngSize } from "../../../../tests/support/png";
import { createCastcard } from "./castcard";

// An app that sets its name and colour and nothing else shows them everywhere a user looks.
const ORIGIN = "https://acme.example.com";
const build = (env: Env = {}, app?: AppInput) => createCastcard(loadConfig({ APP_URL: ORIGIN, ...env }, { app }).config);
const get = (castcard: ReturnType<typeof build>, path: string, headers: Record<string, string> = {}) => castcard.fetch(new Request(`${ORIGIN}${path}`, { headers }));

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");

/** The text a person or a client shows from an HTML page: its text, attribute values and meta contents, not its URLs. */
function visibleText(html: string): string {
  const attributes = [...html.matchAll(/(?:content|alt|title)="([^"]*)"/g)].map((m) => unescapeHtml(m[1]!));
  const text = html.replace(/<[^>]*>/g, " ");
  return [...attributes, text].join("\n").replace(/https?:\/\/\S+/g, "");
}

describe("an app that sets APP_NAME and APP_COLOR", () => {
  const castcard = build({ APP_NAME: "Acme Quest", APP_COLOR: "#0B6E4F" });

  it("has its own manifest: name, button, texts, colour and sample card, valid under the spec's schema", async () => {
    const body = (await (await get(castcard, "/.well-known/farcaster.json")).json()) as { miniapp: Record<string, unknown> };
    const { miniapp } = body;
    expect(domainMiniAppConfigSchema.safeParse(miniapp).success).toBe(true);
    expect(miniapp).toMatchObject({
      name: "Acme Quest",
      buttonTitle: "Make your Acme Quest card",
      ogTitle: "Acme Quest",
      splashBackgroundColor: "#0B6E4F",
      iconUrl: `${ORIGIN}/icon.png`,
      splashImageUrl: `${ORIGIN}/splash.png`,
    });
    // No user-visible text says Castcard, and neither do the sample cards' URLs.
    expect(JSON.stringify(body)).not.toMatch(/castcard/i);
    expect(new URL(miniapp.heroImageUrl as string).searchParams.get("username")).toBe("acmequest");
  });

  it("has its own share page: title, alt text, link and background, and an embed that launches it by name", async () => {
    const { shareUrl } = castcard.urls.mint({ user: { username: "alice" } });
    const html = await (await castcard.fetch(new Request(shareUrl))).text();
    expect(html).toContain("<title>@alice on Acme Quest</title>");
    expect(html).toContain("Open Acme Quest to make your own");
    expect(html).toContain("background:#0B6E4F");
    expect(visibleText(html)).not.toMatch(/castcard/i);
    const embed = JSON.parse(unescapeHtml(/<meta name="fc:miniapp" content="([^"]*)">/.exec(html)![1]!)) as { button: { title: string; action: { name: string; splashBackgroundColor: string } } };
    expect(safeParseMiniAppEmbed(embed).success).toBe(true);
    expect(embed.button).toMatchObject({ title: "Make your Acme Quest card", action: { name: "Acme Quest", splashBackgroundColor: "#0B6E4F" } });
  });

  it("draws its cards with its brand and colour: a different card (and ETag) from the default app's", async () => {
    const plain = build();
    const [mine, theirs] = await Promise.all([get(castcard, "/api/og?username=alice"), get(plain, "/api/og?username=alice")]);
    expect(mine.headers.get("etag")).not.toBe(theirs.headers.get("etag"));
    const [a, b] = await Promise.all([mine.arrayBuffer(), theirs.arrayBuffer()]);
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false);
    expect(castcard.sample.imageUrl).toContain("username=acmequest");
    expect(castcard.sampleCardUrl(castcard.urls.designs.get("member")!)).toMatch(/username=acmequest.*fid=1/);
  });

  it("serves its icon (1024×1024, no alpha) and splash (200×200) in its colour, cacheable and revalidated by ETag", async () => {
    const icon = await get(castcard, "/icon.png");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toBe("image/png");
    const png = new Uint8Array(await icon.arrayBuffer());
    expect(pngSize(png)).toEqual({ width: 1024, height: 1024 });
    expect(png[25]).toBe(2); // colour type 2: RGB, no alpha channel
    // The middle of the top edge is the app's colour, give or take the gradient.
    const { data } = await sharp(png).extract({ left: 512, top: 40, width: 1, height: 1 }).raw().toBuffer({ resolveWithObject: true });
    expect(Math.abs(data[0]! - 0x0b) + Math.abs(data[1]! - 0x6e) + Math.abs(data[2]! - 0x4f)).toBeLessThan(60);

    const splash = await get(castcard, "/splash.png");
    expect(pngSize(new Uint8Array(await splash.arrayBuffer()))).toEqual({ width: 200, height: 200 });
    const again = await get(castcard, "/icon.png", { "if-none-match": icon.headers.get("etag")! });
    expect(again.status).toBe(304);
    // Another name draws another icon.
    const other = new Uint8Array(await (await get(build({ APP_NAME: "Zebra", APP_COLOR: "#0B6E4F" }), "/icon.png")).arrayBuffer());
    expect(Buffer.from(other).equals(Buffer.from(png))).toBe(false);
    expect((await castcard.fetch(new Request(`${ORIGIN}/icon.png`, { method: "POST" }))).status).toBe(405);
  });
});

describe("an app with its own icon and splash image", () => {
  it("points the manifest and embed at them, and serves none of its own", async () => {
    const castcard = build({}, { iconUrl: "https://cdn.example.com/i.png", splashImageUrl: "https://cdn.example.com/s.png" });
    const { miniapp } = (await (await get(castcard, "/.well-known/farcaster.json")).json()) as { miniapp: Record<string, unknown> };
    expect(miniapp).toMatchObject({ iconUrl: "https://cdn.example.com/i.png", splashImageUrl: "https://cdn.example.com/s.png" });
    expect((await get(castcard, "/icon.png")).status).toBe(404);
    expect((await get(castcard, "/splash.png")).status).toBe(404);
  });
});

describe("the default app", () => {
  it("keeps the manifest it always had, in the spec's schema", async () => {
    const castcard = build();
    const { miniapp } = (await (await get(castcard, "/.well-known/farcaster.json")).json()) as { miniapp: Record<string, unknown> };
    expect(domainMiniAppConfigSchema.safeParse(miniapp).success).toBe(true);
    expect(miniapp).toMatchObject({ name: "Castcard", buttonTitle: "Make your Castcard", splashBackgroundColor: "#2D1B69", subtitle: "Your share card", primaryCategory: "social", tags: ["share", "profile", "card"] });
  });
});
