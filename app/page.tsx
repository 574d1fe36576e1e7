import { castcard } from "@/castcard";
import { MiniApp } from "./components/MiniApp";
import { LAUNCH_SCRIPT } from "./launch/script.generated";

export const dynamic = "force-dynamic";

// The app's name and description, both embed dialects and the sample card as the Open Graph and X
// image: the same values every share page carries, from the one instance.
export const generateMetadata = castcard.metadata;

export default function Home() {
  const { config, sample, sampleCardUrl, buttonDesigns } = castcard.instance();
  // The share button offers the designs POST /api/share mints: the instance's one answer.
  const designs = buttonDesigns.map((d) => ({ id: d.id, label: d.label.replace(/ \(.*\)$/, ""), samplePreviewUrl: sampleCardUrl(d) }));
  return (
    <>
      <MiniApp
        appName={config.app.name}
        castText={config.app.castText}
        samplePreviewUrl={sample.imageUrl}
        sampleShareUrl={sample.shareUrl}
        designs={designs}
        auth={{ required: config.auth.required, origin: config.auth.origin }}
      />
      {/* Right after the page's markup: learns the user, starts their card and calls ready() while React is still on its way. */}
      <script dangerouslySetInnerHTML={{ __html: LAUNCH_SCRIPT }} />
    </>
  );
}
