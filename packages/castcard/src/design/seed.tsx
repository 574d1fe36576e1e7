import { z } from "zod";
import { Avatar } from "./avatar";
import { defineCard } from "./define";
import { Line, Name } from "./text";
import { AVATAR_SIZE, CARD_WIDTH, type CardProps } from "./types";

/** The seed's card: purple gradient, avatar circle, the name (and @username under a display name) and a subtitle, all centred. */
export function SeedCard({ name, handle, avatar, avatarBox, brand, subtitle, size }: CardProps) {
  const { side, border } = avatarBox;
  const avatarFrame = { width: side, height: side, borderRadius: "50%", border: `${border}px solid #FFFFFF` } as const;
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        flexDirection: "column",
        alignItems: "center",
        justifyContent: "center",
        backgroundImage: "linear-gradient(135deg, #2D1B69 0%, #5B2FC9 60%, #8A5CF6 100%)",
        fontFamily: "Inter",
        color: "#FFFFFF",
        padding: "0 80px",
      }}
    >
      <Avatar avatar={avatar} frame={avatarFrame} initialsSize={112} />
      <Name name={name} style={{ marginTop: size.id === "og" ? 24 : handle ? 36 : 48, maxWidth: seed.name.maxWidth, fontWeight: 700 }} />
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
  avatar: { side: AVATAR_SIZE, border: 8 },
  // At the 1200×630 Open Graph size, where the card is 170 px shorter.
  og: { avatar: { side: 196 } },
  render: SeedCard,
});
