import { z } from "zod";
import type { CastcardConfig } from "../config/index";
import type { CardUrls, ShareUrls } from "../card-url/index";
import { CARD_SIZES, type CardTemplate, type FieldValue } from "../card/index";

export type { ShareUrls } from "../card-url/index";

/** The card shown where there is no user yet: outside a Farcaster client, and in the home page's embed. */
export const SAMPLE_USERNAME = "castcard";
export function sampleShareUrls(urls: CardUrls): ShareUrls & SampleImages {
  const minted = urls.mint({ user: { username: SAMPLE_USERNAME } });
  return { ...minted, ogImageUrl: urls.mint({ user: { username: SAMPLE_USERNAME }, size: "og" }).imageUrl };
}

/** The sample user's card in a design, as a preview before the user's own can be minted. */
export function sampleCardUrl(urls: CardUrls, design: CardTemplate): string {
  const fid = design.requires?.includes("fid") ? SAMPLE_FID : null;
  return urls.mint({ design: design.id, user: { username: SAMPLE_USERNAME, fid } }).imageUrl;
}
/** The fid sample cards carry where a design draws one: the first account. */
export const SAMPLE_FID = 1;

/** Body of POST /api/share, as the Mini App sends it from the SDK context. */
export const shareRequestSchema = z.object({
  fid: z.number().int().positive(),
  username: z.string().max(4096).nullish(),
  displayName: z.string().max(4096).nullish(),
  pfpUrl: z.string().max(4096).nullish(),
  /** Design id; the default design when absent. */
  template: z.string().max(64).nullish(),
});
export type ShareRequest = z.infer<typeof shareRequestSchema>;

/** The user a share is for, as far as the server knows them. */
export interface ShareUser {
  fid: number;
  username: string | null;
  displayName: string | null;
  pfpUrl: string | null;
}

/**
 * Fills a design's data for a card minted through POST /api/share. The request body never carries
 * data fields: what a card says about the user is the server's word, so a client cannot claim a
 * score. Return the fields' values, or null when the design cannot be minted from the share button
 * (its data exists only on your server: mint those cards there with `urls.mint`).
 *
 * Pass your own as `createCastcard(config, { cardData })`; this one knows the built-in designs:
 * designs without fields need nothing (`member` draws the fid the card carries), and `score` is
 * only ever minted by an app's own server.
 */
export type CardDataSource = (
  design: CardTemplate,
  user: ShareUser,
) => Record<string, FieldValue | undefined> | null | Promise<Record<string, FieldValue | undefined> | null>;

export const defaultCardData: CardDataSource = (design) => (Object.keys(design.fields.shape).length === 0 ? {} : null);

/**
 * The cast embed for a card: the user's image and a button that launches the app. Parsers in the
 * wild disagree, so a page carries it twice: `fc:miniapp` in the current dialect (`version: "1"`,
 * `launch_miniapp`) and `fc:frame` in the legacy one older parsers demand (`"next"`, `launch_frame`).
 */
export function miniAppEmbed(config: CastcardConfig, imageUrl: string, dialect: "current" | "legacy" = "current", launchUrl: string = config.appUrl) {
  return {
    version: dialect === "current" ? "1" : "next",
    imageUrl,
    button: {
      title: config.app.buttonTitle,
      action: {
        type: dialect === "current" ? "launch_miniapp" : "launch_frame",
        name: config.app.name,
        // `APP_URL/?share=<id>` for a recorded share (its query string reaches the app), else the app.
        url: launchUrl,
        splashImageUrl: `${config.appUrl}/splash.png`,
        splashBackgroundColor: config.app.splashBackgroundColor,
      },
    },
  } as const;
}

/** The image URLs of the sample card: the 3:2 embed and the 1.91:1 Open Graph card. */
export interface SampleImages {
  imageUrl: string;
  ogImageUrl: string;
}

/** The Mini App manifest served at /.well-known/farcaster.json. */
export function manifest(config: CastcardConfig, sample: SampleImages) {
  const miniapp = {
    version: "1",
    name: config.app.name,
    iconUrl: `${config.appUrl}/icon.png`,
    homeUrl: config.appUrl,
    imageUrl: sample.imageUrl,
    buttonTitle: config.app.buttonTitle,
    splashImageUrl: `${config.appUrl}/splash.png`,
    splashBackgroundColor: config.app.splashBackgroundColor,
    subtitle: "Your share card",
    description: config.app.description,
    tagline: config.app.tagline,
    primaryCategory: "social",
    tags: ["share", "profile", "card"],
    heroImageUrl: sample.ogImageUrl,
    ogImageUrl: sample.ogImageUrl,
    ogTitle: config.app.name,
    ogDescription: config.app.ogDescription,
  };
  return {
    ...(config.accountAssociation ? { accountAssociation: config.accountAssociation } : {}),
    miniapp,
    frame: miniapp,
  };
}

/** What a page shows outside Farcaster: Open Graph and X cards, with the 1200×630 image. */
export interface PageCard {
  title: string;
  description: string;
  /** The page's own URL. */
  url: string;
  /** The 1200×630 card. */
  ogImageUrl: string;
}

/** The meta tags of a page that carries a card: both embed dialects, Open Graph and X. */
export function cardMetaTags(
  config: CastcardConfig,
  embedImageUrl: string,
  page: PageCard,
  launchUrl?: string,
): Array<{ key: "name" | "property"; id: string; content: string }> {
  const og = CARD_SIZES.og;
  return [
    { key: "name", id: "fc:miniapp", content: JSON.stringify(miniAppEmbed(config, embedImageUrl, "current", launchUrl)) },
    { key: "name", id: "fc:frame", content: JSON.stringify(miniAppEmbed(config, embedImageUrl, "legacy", launchUrl)) },
    { key: "property", id: "og:title", content: page.title },
    { key: "property", id: "og:description", content: page.description },
    { key: "property", id: "og:url", content: page.url },
    { key: "property", id: "og:type", content: "website" },
    { key: "property", id: "og:image", content: page.ogImageUrl },
    { key: "property", id: "og:image:type", content: "image/png" },
    { key: "property", id: "og:image:width", content: String(og.width) },
    { key: "property", id: "og:image:height", content: String(og.height) },
    { key: "property", id: "og:image:alt", content: page.title },
    { key: "name", id: "twitter:card", content: "summary_large_image" },
    { key: "name", id: "twitter:title", content: page.title },
    { key: "name", id: "twitter:description", content: page.description },
    { key: "name", id: "twitter:image", content: page.ogImageUrl },
  ];
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The share page a cast embeds: its card in both embed dialects, for Open Graph and X, and for a person. */
export function sharePageHtml(
  config: CastcardConfig,
  who: { username: string; displayName: string | null },
  urls: ShareUrls & { ogImageUrl: string; /** Where the embed's button opens the app; default APP_URL. */ launchUrl?: string },
): string {
  const title = `${who.displayName ? `${who.displayName} (@${who.username})` : `@${who.username}`} on ${config.app.name}`;
  const meta = cardMetaTags(config, urls.imageUrl, { title, description: config.app.description, url: urls.shareUrl, ogImageUrl: urls.ogImageUrl }, urls.launchUrl)
    .map((m) => `<meta ${m.key}="${m.id}" content="${escapeHtml(m.content)}">`)
    .join("\n");
  const image = escapeHtml(urls.imageUrl);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${meta}
</head><body style="margin:0;font-family:system-ui,sans-serif;background:#2D1B69;color:#fff;display:flex;flex-direction:column;align-items:center;gap:16px;padding:24px">
<img src="${image}" width="600" height="400" alt="${escapeHtml(title)}" style="max-width:100%;height:auto;border-radius:12px">
<a href="${escapeHtml(config.appUrl)}" style="color:#fff">Open ${escapeHtml(config.app.name)} to make your own</a>
</body></html>`;
}
