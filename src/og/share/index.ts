import { z } from "zod";
import type { CastcardConfig } from "../config/index";
import { cardParams, MAX_IMAGE_URL_LENGTH, type CardParams } from "../params/index";
import { createSigner, signedQuery } from "../sign/index";

export interface ShareUrls {
  /** The card PNG: what the cast's feed shows. */
  imageUrl: string;
  /** The page to embed in the cast: its meta points at imageUrl and adds a launch button. */
  shareUrl: string;
}

/** The only place share URLs are minted. */
export function mintShareUrls(config: CastcardConfig, params: CardParams): ShareUrls {
  const query = signedQuery(createSigner(config.shareSecrets), params);
  return {
    imageUrl: `${config.ogUrl}/api/og?${query}`,
    shareUrl: `${config.appUrl}/share?${query}`,
  };
}

/** The card shown where there is no user yet: outside a Farcaster client, and in the home page's embed. */
export const SAMPLE_USERNAME = "castcard";
export function sampleShareUrls(config: CastcardConfig): ShareUrls {
  return mintShareUrls(config, cardParams({ username: SAMPLE_USERNAME }));
}

/** Body of POST /api/share, as the Mini App sends it from the SDK context. */
export const shareRequestSchema = z.object({
  fid: z.number().int().positive(),
  username: z.string().max(4096).nullish(),
  pfpUrl: z.string().max(4096).nullish(),
});

/** Turns a share request into card parameters; an unusable pfpUrl means the initials avatar. */
export function shareParams(body: z.infer<typeof shareRequestSchema>): CardParams {
  let image: string | null = null;
  if (body.pfpUrl && body.pfpUrl.length <= MAX_IMAGE_URL_LENGTH) {
    try {
      const url = new URL(body.pfpUrl);
      if (url.protocol === "https:" || url.protocol === "http:") image = url.href;
    } catch {
      // not a URL: no avatar
    }
  }
  return cardParams({ username: body.username || `fid${body.fid}`, image });
}

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
export function manifest(config: CastcardConfig) {
  const miniapp = {
    version: "1",
    name: config.app.name,
    iconUrl: `${config.appUrl}/icon.png`,
    homeUrl: config.appUrl,
    imageUrl: sampleShareUrls(config).imageUrl,
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
export function sharePageHtml(config: CastcardConfig, params: CardParams, urls: ShareUrls): string {
  const embed = escapeHtml(JSON.stringify(miniAppEmbed(config, urls.imageUrl)));
  const title = escapeHtml(`@${params.username} on ${config.app.name}`);
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
