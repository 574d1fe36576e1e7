import type { Metadata } from "next";
import { castcard } from "@/castcard";
import { cardParams, parseCardParams } from "@/og/params/index";
import { miniAppEmbed, mintShareUrls } from "@/og/share/index";

export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<Record<string, string | string[] | undefined>> };

async function resolve(props: Props) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(await props.searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) search.append(key, v);
  }
  const { config } = castcard();
  const parsed = parseCardParams(search);
  const params = parsed.ok ? parsed.params : cardParams({});
  return { config, params, urls: mintShareUrls(config, params) };
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const { config, params, urls } = await resolve(props);
  const embed = JSON.stringify(miniAppEmbed(config, urls.imageUrl));
  const title = `@${params.username} on ${config.app.name}`;
  return {
    title,
    openGraph: { title, images: [{ url: urls.imageUrl, width: 1200, height: 800 }] },
    twitter: { card: "summary_large_image", images: [urls.imageUrl] },
    other: { "fc:miniapp": embed, "fc:frame": embed },
  };
}

export default async function SharePage(props: Props) {
  const { config, params, urls } = await resolve(props);
  return (
    <main>
      <h1>@{params.username}&apos;s {config.app.name}</h1>
      {/* eslint-disable-next-line @next/next/no-img-element */}
      <img className="preview" src={urls.imageUrl} width={1200} height={800} alt={`@${params.username}'s card`} />
      <p>
        <a href={config.appUrl}>Open {config.app.name} to make your own</a> — it runs inside Farcaster clients such as
        Warpcast.
      </p>
    </main>
  );
}
