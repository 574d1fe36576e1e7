import type { Metadata } from "next";
import { castcard } from "@/castcard";
import { CARD_SIZES, cardMetaTags, sampleCardUrl, sampleShareUrls } from "castcard";
import { MiniApp } from "./components/MiniApp";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { config, urls } = castcard.instance();
  const sample = sampleShareUrls(urls);
  const page = { title: config.app.name, description: config.app.description, url: `${config.appUrl}/`, ogImageUrl: sample.ogImageUrl };
  // Both embed dialects come from the core, as on every share page; Next writes the Open Graph and
  // X tags from the same values (as `property=` tags, which its `other` cannot).
  const fc = cardMetaTags(config, sample.imageUrl, page).filter((m) => m.id.startsWith("fc:"));
  const image = { url: sample.ogImageUrl, width: CARD_SIZES.og.width, height: CARD_SIZES.og.height, type: "image/png", alt: page.title };
  return {
    title: page.title,
    description: page.description,
    openGraph: { title: page.title, description: page.description, url: page.url, type: "website", images: [image] },
    twitter: { card: "summary_large_image", title: page.title, description: page.description, images: [sample.ogImageUrl] },
    other: Object.fromEntries(fc.map((m) => [m.id, m.content])),
  };
}

export default function Home() {
  const { config, urls, buttonDesigns } = castcard.instance();
  const sample = sampleShareUrls(urls);
  // The share button offers the designs POST /api/share mints: the instance's one answer.
  const designs = buttonDesigns.map((d) => ({ id: d.id, label: d.label.replace(/ \(.*\)$/, ""), samplePreviewUrl: sampleCardUrl(urls, d) }));
  return (
    <MiniApp
      appName={config.app.name}
      samplePreviewUrl={sample.imageUrl}
      sampleShareUrl={sample.shareUrl}
      designs={designs}
      auth={{ required: config.auth.required, origin: config.auth.origin }}
    />
  );
}
