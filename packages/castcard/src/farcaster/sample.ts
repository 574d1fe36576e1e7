// The sample card: what is shown where there is no user yet (outside a client, the home page's embed, the manifest).
import type { AppDefinition } from "../config/index";
import type { Design } from "../design/index";
import type { CardUrls, ShareUrls } from "../url/index";
import type { SampleImages } from "./manifest";

/** Who sample cards are of: the app's sample user (`app.sampleUser`, by default named after the app). */
export type SampleCardUser = AppDefinition["sampleUser"];

/** The sample user's card, its share page and its 1200×630 image: the home page's embed and the manifest's pictures. */
export function sampleShareUrls(urls: CardUrls, sample: SampleCardUser): ShareUrls & SampleImages {
  const user = { username: sample.username, displayName: sample.displayName };
  const minted = urls.mint({ user });
  return { ...minted, ogImageUrl: urls.mint({ user, size: "og" }).imageUrl };
}

/** The sample user's card in a design, as a preview before the user's own can be minted. */
export function sampleCardUrl(urls: CardUrls, sample: SampleCardUser, design: Design): string {
  const fid = design.requires?.includes("fid") ? SAMPLE_FID : null;
  return urls.mint({ design: design.id, user: { username: sample.username, displayName: sample.displayName, fid } }).imageUrl;
}
/** The fid sample cards carry where a design draws one: the first account. */
export const SAMPLE_FID = 1;
