import { z } from "zod";
import type { CastcardConfig } from "../config/index";
import type { CardUrls, ShareUrls } from "../card-url/index";
import type { CardTemplate, FieldValue } from "../card/index";

export type { ShareUrls } from "../card-url/index";

/** The card shown where there is no user yet: outside a Farcaster client, and in the home page's embed. */
export const SAMPLE_USERNAME = "castcard";
export function sampleShareUrls(urls: CardUrls): ShareUrls {
  return urls.mint({ user: { username: SAMPLE_USERNAME } });
}

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

/** The `fc:miniapp` embed for a card: the user's image and a button that launches the app. */
export function miniAppEmbed(config: CastcardConfig, imageUrl: string) {
  return {
    version: "1",
    imageUrl,
    button: {
      title: config.app.buttonTitle,
      action: {
        type: "launch_miniapp",
        name: config.app.name,
        url: config.appUrl,
        splashImageUrl: `${config.appUrl}/splash.png`,
        splashBackgroundColor: config.app.splashBackgroundColor,
      },
    },
  } as const;
}

/** The Mini App manifest served at /.well-known/farcaster.json. */
export function manifest(config: CastcardConfig, sampleImageUrl: string) {
  const miniapp = {
    version: "1",
    name: config.app.name,
    iconUrl: `${config.appUrl}/icon.png`,
    homeUrl: config.appUrl,
    imageUrl: sampleImageUrl,
    buttonTitle: config.app.buttonTitle,
    splashImageUrl: `${config.appUrl}/splash.png`,
    splashBackgroundColor: config.app.splashBackgroundColor,
    subtitle: "Your share card",
    description: "Make a share image with your own profile picture and name, and cast it.",
    primaryCategory: "social",
    tags: ["share", "profile", "card"],
  };
  return {
    ...(config.accountAssociation ? { accountAssociation: config.accountAssociation } : {}),
    miniapp,
    frame: miniapp,
  };
}

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** A standalone share page (the Next app renders its own from the same embed). */
export function sharePageHtml(config: CastcardConfig, who: { username: string; displayName: string | null }, urls: ShareUrls): string {
  const embed = escapeHtml(JSON.stringify(miniAppEmbed(config, urls.imageUrl)));
  const title = escapeHtml(`${who.displayName ? `${who.displayName} (@${who.username})` : `@${who.username}`} on ${config.app.name}`);
  const image = escapeHtml(urls.imageUrl);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<meta name="fc:miniapp" content="${embed}">
<meta name="fc:frame" content="${embed}">
<meta property="og:title" content="${title}">
<meta property="og:image" content="${image}">
<meta property="og:image:width" content="1200">
<meta property="og:image:height" content="800">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:image" content="${image}">
</head><body style="margin:0;font-family:system-ui,sans-serif;background:#2D1B69;color:#fff;display:flex;flex-direction:column;align-items:center;gap:16px;padding:24px">
<img src="${image}" width="600" height="400" alt="${title}" style="max-width:100%;height:auto;border-radius:12px">
<a href="${escapeHtml(config.appUrl)}" style="color:#fff">Open ${escapeHtml(config.app.name)} to make your own</a>
</body></html>`;
}
