import { Avatar } from "./avatar";
import { Line, Name } from "./text";
import { AVATAR_SIZE, CARD_HEIGHT, CARD_WIDTH, type CardProps, type CardTemplate } from "./types";

const avatarFrame = {
  width: AVATAR_SIZE,
  height: AVATAR_SIZE,
  borderRadius: "50%",
  border: "8px solid #FFFFFF",
} as const;

/** The seed's card: purple gradient, avatar circle, @name and a subtitle, all centred. */
export function Card({ name, avatar, brand, subtitle }: CardProps) {
  return (
    <div
      style={{
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
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
      <Name name={name} style={{ marginTop: 48, maxWidth: seed.name.maxWidth, fontWeight: 700 }} />
      <Line value={subtitle} size={36} style={{ marginTop: 16, fontWeight: 400, opacity: 0.85, maxWidth: CARD_WIDTH - 160 }} />
      <Line value={brand} size={28} style={{ position: "absolute", bottom: 40, right: 56, fontWeight: 700, opacity: 0.7, maxWidth: 480 }} />
    </div>
  );
}

export const seed: CardTemplate = {
  id: "seed",
  label: "Seed (default)",
  name: { maxWidth: CARD_WIDTH - 160, maxFontSize: 76, minFontSize: 44, fontWeight: 700 },
  avatarSize: AVATAR_SIZE - 2 * 8,
  render: Card,
};
