import { createCardUrls } from "../../packages/castcard/src/url/index";

export interface MintQueryInput {
  username?: string;
  displayName?: string;
  image?: string;
  fid?: number;
  template?: string;
  data?: Record<string, string | number>;
}

/** The query of a card URL minted with these secrets (signed when there are any), as a server would mint it. */
export function mintQuery(secrets: readonly string[], input: MintQueryInput): string {
  const urls = createCardUrls({ secrets, appUrl: "https://castcard.example" });
  const { imageUrl } = urls.mint({
    design: input.template,
    user: { username: input.username, displayName: input.displayName, pfpUrl: input.image, fid: input.fid },
    data: input.data,
  });
  return new URL(imageUrl).search.slice(1);
}
