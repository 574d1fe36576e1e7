import { Avatar } from "./avatar";
import { Line, Name } from "./text";
import { CARD_HEIGHT, CARD_WIDTH, type CardProps, type CardTemplate } from "./types";

const PAD = 80;
const AVATAR = 220;

/** Light poster: the name big across the top, a rule, avatar and brand along the bottom. */
function Poster({ name, avatar, brand, subtitle }: CardProps) {
  const frame = { width: AVATAR, height: AVATAR, borderRadius: "50%", border: "8px solid #15130F" } as const;
  return (
    <div
      style={{
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        padding: PAD,
        backgroundColor: "#FFF6E5",
        fontFamily: "Inter",
        color: "#15130F",
      }}
    >
      <div style={{ display: "flex", flexDirection: "column" }}>
        <Line value={subtitle} size={36} style={{ width: CARD_WIDTH - 2 * PAD, color: "#8A5A1F", fontWeight: 700 }} />
        <Name name={name} style={{ width: CARD_WIDTH - 2 * PAD, marginTop: 12, fontWeight: 700 }} />
        <div style={{ width: CARD_WIDTH - 2 * PAD, height: 10, backgroundColor: "#15130F", marginTop: 24 }} />
      </div>
      <div style={{ display: "flex", alignItems: "flex-end", justifyContent: "space-between" }}>
        <div style={{ display: "flex", padding: "14px 28px", borderRadius: 999, backgroundColor: "#FF6B2C", color: "#FFFFFF", fontWeight: 700 }}>
          <Line value={brand} size={32} style={{ maxWidth: 600 }} />
        </div>
        <Avatar avatar={avatar} frame={frame} initialsSize={100} initialsColor="#FFFFFF" />
      </div>
    </div>
  );
}

export const poster: CardTemplate = {
  id: "poster",
  label: "Poster (light, big name)",
  name: { maxWidth: CARD_WIDTH - 2 * PAD, maxFontSize: 132, minFontSize: 52, fontWeight: 700 },
  avatarSize: AVATAR - 2 * 8,
  render: Poster,
};
