import { z } from "zod";
import { Avatar } from "./avatar";
import { accentPalette } from "./color";
import { defineCard } from "./define";
import { Line, Name } from "./text";
import { CARD_WIDTH, type CardProps } from "./types";

const PAD = 80;
const AVATAR = 220;
// At the 1200×630 Open Graph size: less padding, a smaller avatar and a smaller largest name.
const OG_PAD = 60;
const OG_AVATAR = 150;

/** Light poster: the name big across the top, a rule, avatar and brand along the bottom. */
function Poster({ name, handle, avatar, avatarBox, brand, subtitle, size, accent }: CardProps) {
  const og = size.id === "og";
  const pad = og ? OG_PAD : PAD;
  const p = accent ? accentPalette(accent) : null;
  const muted = p?.onLight ?? "#8A5A1F";
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        padding: pad,
        backgroundColor: "#FFF6E5",
        fontFamily: "Inter",
        color: "#15130F",
      }}
    >
      <div style={{ display: "flex", flexDirection: "column" }}>
        <Line value={subtitle} size={36} style={{ width: CARD_WIDTH - 2 * pad, color: muted, fontWeight: 700 }} />
        <Name name={name} style={{ width: CARD_WIDTH - 2 * pad, marginTop: 12 }} />
        {handle && <Line value={handle} size={44} style={{ width: CARD_WIDTH - 2 * pad, color: muted }} />}
        <div style={{ width: CARD_WIDTH - 2 * pad, height: 10, backgroundColor: "#15130F", marginTop: 24 }} />
      </div>
      <div style={{ display: "flex", alignItems: "flex-end", justifyContent: "space-between" }}>
        <div style={{ display: "flex", padding: "14px 28px", borderRadius: 999, backgroundColor: p?.base ?? "#FF6B2C", color: p?.ink ?? "#FFFFFF", fontWeight: 700 }}>
          <Line value={brand} size={32} style={{ maxWidth: 600 }} />
        </div>
        <Avatar avatar={avatar} box={avatarBox} borderColor="#15130F" initialsSize={og ? 72 : 100} initialsColor="#FFFFFF" />
      </div>
    </div>
  );
}

export const poster = defineCard({
  id: "poster",
  label: "Poster (light, big name)",
  fields: z.object({}),
  name: { maxWidth: CARD_WIDTH - 2 * PAD, maxFontSize: 132, minFontSize: 52, fontWeight: 700 },
  avatar: { side: AVATAR, border: 8 },
  og: { name: { maxWidth: CARD_WIDTH - 2 * OG_PAD, maxFontSize: 100, minFontSize: 44 }, avatar: { side: OG_AVATAR, border: 6 } },
  render: Poster,
});
