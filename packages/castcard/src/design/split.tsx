import { z } from "zod";
import { Avatar } from "./avatar";
import { accentPalette } from "./color";
import { defineCard } from "./define";
import { Line, Name } from "./text";
import { CARD_WIDTH, type CardProps } from "./types";

const PAD = 80;
const AVATAR = 320;
const GAP = 64;
const COLUMN = CARD_WIDTH - 2 * PAD - AVATAR - GAP;
// At the 1200×630 Open Graph size the avatar shrinks and the text column widens.
const OG_AVATAR = 260;
const OG_COLUMN = CARD_WIDTH - 2 * PAD - OG_AVATAR - GAP;

/** Dark card, avatar left and text right; a right-to-left name sits at the right of its column. */
function Split({ name, handle, avatar, avatarBox, brand, subtitle, size, accent }: CardProps) {
  const og = size.id === "og";
  const column = og ? OG_COLUMN : COLUMN;
  const p = accent ? accentPalette(accent) : null;
  const highlight = p?.onDark ?? "#7CF2C8";
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        alignItems: "center",
        padding: `0 ${PAD}px`,
        backgroundColor: "#0E1120",
        backgroundImage: "radial-gradient(circle at 85% 15%, #23305C 0%, #0E1120 60%)",
        fontFamily: "Inter",
        color: "#F4F6FF",
      }}
    >
      <Avatar avatar={avatar} box={avatarBox} radius={48} borderColor={highlight} initialsSize={og ? 120 : 140} />
      <div style={{ display: "flex", flexDirection: "column", width: column, marginLeft: GAP }}>
        <Line value={brand} size={30} style={{ width: column, fontWeight: 700, color: highlight, letterSpacing: 2 }} />
        <div style={{ width: 96, height: 6, borderRadius: 3, backgroundColor: highlight, margin: "24px 0 28px" }} />
        <Name name={name} style={{ width: column }} />
        {handle && <Line value={handle} size={38} style={{ width: column, color: highlight }} />}
        <Line value={subtitle} size={34} style={{ width: column, marginTop: 20, color: "#AEB6D8" }} />
      </div>
      <div style={{ position: "absolute", left: 0, right: 0, bottom: 0, height: 14, backgroundImage: p ? `linear-gradient(90deg, ${p.onDark}, ${p.bright}, ${p.base})` : "linear-gradient(90deg, #7CF2C8, #5B8CFF, #B57CFF)" }} />
    </div>
  );
}

export const split = defineCard({
  id: "split",
  label: "Split (dark, avatar left)",
  fields: z.object({}),
  name: { maxWidth: COLUMN, maxFontSize: 72, minFontSize: 40, fontWeight: 700 },
  avatar: { side: AVATAR, border: 6 },
  og: { name: { maxWidth: OG_COLUMN }, avatar: { side: OG_AVATAR } },
  render: Split,
});
