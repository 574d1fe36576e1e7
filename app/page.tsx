import type { Metadata } from "next";
import { castcard } from "@/castcard";
import { miniAppEmbed, sampleShareUrls } from "@/og/share/index";
import { MiniApp } from "./components/MiniApp";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { config, urls } = castcard();
  const embed = JSON.stringify(miniAppEmbed(config, sampleShareUrls(urls).imageUrl));
  return {
    title: config.app.name,
    description: "Make a share image with your own profile picture and name, and cast it.",
    other: { "fc:miniapp": embed, "fc:frame": embed },
  };
}

export default function Home() {
  const { config, urls } = castcard();
  // The share button offers the designs it can mint on its own: those without data of their own.
  const designs = urls.designs
    .list()
    .filter((d) => Object.keys(d.fields.shape).length === 0)
    .map((d) => ({ id: d.id, label: d.label.replace(/ \(.*\)$/, "") }));
  return <MiniApp appName={config.app.name} samplePreviewUrl={sampleShareUrls(urls).imageUrl} designs={designs} />;
}
