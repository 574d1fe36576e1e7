// What a cast and a link preview show: the Mini App embed (both dialects), Open Graph and X tags.
import type { CastcardConfig } from "../config/index";
import { CARD_SIZES } from "../design/index";

/** The app's icon: its own, or the one Castcard draws at /icon.png. */
export const iconUrl = (config: CastcardConfig) => config.app.iconUrl ?? `${config.appUrl}/icon.png`;
/** The app's splash image: its own, or the one Castcard draws at /splash.png. */
export const splashImageUrl = (config: CastcardConfig) => config.app.splashImageUrl ?? `${config.appUrl}/splash.png`;

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
        splashImageUrl: splashImageUrl(config),
        splashBackgroundColor: config.app.color,
      },
    },
  } as const;
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
