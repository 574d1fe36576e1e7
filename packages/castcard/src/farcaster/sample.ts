// The sample card: what is shown where there is no user yet (outside a client, the home page's embed, the manifest).
import type { Design } from "../design/index";
import type { CardUrls, ShareUrls } from "../url/index";
import type { SampleImages } from "./manifest";

/** The card shown where there is no user yet: outside a Farcaster client, and in the home page's embed. */
export const SAMPLE_USERNAME = "castcard";
export function sampleShareUrls(urls: CardUrls): ShareUrls & SampleImages {
  const minted = urls.mint({ user: { username: SAMPLE_USERNAME } });
  return { ...minted, ogImageUrl: urls.mint({ user: { username: SAMPLE_USERNAME }, size: "og" }).imageUrl };
}

/** The sample user's card in a design, as a preview before the user's own can be minted. */
export function sampleCardUrl(urls: CardUrls, design: Design): string {
  const fid = design.requires?.includes("fid") ? SAMPLE_FID : null;
  return urls.mint({ design: design.id, user: { username: SAMPLE_USERNAME, fid } }).imageUrl;
}
/** The fid sample cards carry where a design draws one: the first account. */
export const SAMPLE_FID = 1;
