import { z } from "zod";
import { accentPalette } from "./color";
import { Avatar } from "./avatar";
import { defineCard } from "./define";
import { Line, Name } from "./text";
import { CARD_WIDTH, type CardProps } from "./types";

/**
 * The seed's card: a gradient (purple, or the app's colour), avatar circle, the name (and
 * @username under a display name) and a subtitle, all centred.
 */
export function SeedCard({ name, handle, avatar, avatarBox, brand, subtitle, size, accent }: CardProps) {
  const p = accent ? accentPalette(accent) : null;
  const ink = p?.ink ?? "#FFFFFF";
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        flexDirection: "column",
        alignItems: "center",
        justifyContent: "center",
        backgroundImage: p ? `linear-gradient(135deg, ${p.deep} 0%, ${p.base} 60%, ${p.bright} 100%)` : "linear-gradient(135deg, #2D1B69 0%, #5B2FC9 60%, #8A5CF6 100%)",
        fontFamily: "Inter",
        color: ink,
        padding: "0 80px",
      }}
    >
      <Avatar avatar={avatar} box={avatarBox} borderColor={ink} initialsSize={112} />
      <Name name={name} style={{ marginTop: size.id === "og" ? 24 : handle ? 36 : 48, maxWidth: seed.name.maxWidth }} />
      {handle && <Line value={handle} size={40} style={{ fontWeight: 400, opacity: 0.85, maxWidth: CARD_WIDTH - 160 }} />}
      <Line value={subtitle} size={36} style={{ marginTop: handle ? 20 : 16, fontWeight: 400, opacity: 0.85, maxWidth: CARD_WIDTH - 160 }} />
      <Line value={brand} size={28} style={{ position: "absolute", bottom: 40, right: 56, fontWeight: 700, opacity: 0.7, maxWidth: 480 }} />
    </div>
  );
}

export const seed = defineCard({
  id: "seed",
  label: "Seed (default)",
  fields: z.object({}),
  name: { maxWidth: CARD_WIDTH - 160, maxFontSize: 76, minFontSize: 44, fontWeight: 700 },
  avatar: { side: 240, border: 8 },
  // At the 1200×630 Open Graph size, where the card is 170 px shorter.
  og: { avatar: { side: 196 } },
  render: SeedCard,
});
