// The Mini App manifest served at /.well-known/farcaster.json.
import type { CastcardConfig } from "../config/index";

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
