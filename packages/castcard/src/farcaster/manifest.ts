// The Mini App manifest served at /.well-known/farcaster.json.
import type { CastcardConfig } from "../config/index";
import { iconUrl, splashImageUrl } from "./embed";

/** The image URLs of the sample card: the 3:2 embed and the 1.91:1 Open Graph card. */
export interface SampleImages {
  imageUrl: string;
  ogImageUrl: string;
}

/** The Mini App manifest served at /.well-known/farcaster.json: every text and picture from the app's definition. */
export function manifest(config: CastcardConfig, sample: SampleImages) {
  const { app } = config;
  const miniapp = {
    version: "1",
    name: app.name,
    iconUrl: iconUrl(config),
    homeUrl: config.appUrl,
    imageUrl: sample.imageUrl,
    buttonTitle: app.buttonTitle,
    splashImageUrl: splashImageUrl(config),
    splashBackgroundColor: app.color,
    subtitle: app.subtitle,
    description: app.description,
    tagline: app.tagline,
    primaryCategory: app.category,
    tags: app.tags,
    heroImageUrl: sample.ogImageUrl,
    ogImageUrl: sample.ogImageUrl,
    ogTitle: app.ogTitle,
    ogDescription: app.ogDescription,
    // Where clients send the signed "added", "removed" and notification events.
    ...(config.notifications.enabled ? { webhookUrl: `${config.appUrl}/api/webhook` } : {}),
  };
  return {
    ...(config.accountAssociation ? { accountAssociation: config.accountAssociation } : {}),
    miniapp,
    frame: miniapp,
  };
}
