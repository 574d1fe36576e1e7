import type { Metadata } from "next";
import { castcard } from "@/castcard";
import { miniAppEmbed, sampleShareUrls } from "@/og/share/index";
import { MiniApp } from "./components/MiniApp";

export const dynamic = "force-dynamic";

export async function generateMetadata(): Promise<Metadata> {
  const { config } = castcard();
  const embed = JSON.stringify(miniAppEmbed(config, sampleShareUrls(config).imageUrl));
  return {
    title: config.app.name,
    description: "Make a share image with your own profile picture and name, and cast it.",
    other: { "fc:miniapp": embed, "fc:frame": embed },
  };
}

export default function Home() {
  const { config } = castcard();
  return (
    <MiniApp
      appName={config.app.name}
      samplePreviewUrl={sampleShareUrls(config).imageUrl}
      auth={{ required: config.auth.required, origin: config.auth.origin }}
    />
  );
}
