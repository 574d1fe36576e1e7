import { Avatar } from "./avatar";
import { Line, Name } from "./text";
import { CARD_HEIGHT, CARD_WIDTH, type CardProps, type CardTemplate } from "./types";

const PAD = 80;
const AVATAR = 320;
const GAP = 64;
const COLUMN = CARD_WIDTH - 2 * PAD - AVATAR - GAP;

/** Dark card, avatar left and text right; a right-to-left name sits at the right of its column. */
function Split({ name, avatar, brand, subtitle }: CardProps) {
  const frame = { width: AVATAR, height: AVATAR, borderRadius: 48, border: "6px solid #7CF2C8" } as const;
  return (
    <div
      style={{
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        display: "flex",
        alignItems: "center",
        padding: `0 ${PAD}px`,
        backgroundColor: "#0E1120",
        backgroundImage: "radial-gradient(circle at 85% 15%, #23305C 0%, #0E1120 60%)",
        fontFamily: "Inter",
        color: "#F4F6FF",
      }}
    >
      <Avatar avatar={avatar} frame={frame} initialsSize={140} />
      <div style={{ display: "flex", flexDirection: "column", width: COLUMN, marginLeft: GAP }}>
        <Line value={brand} size={30} style={{ width: COLUMN, fontWeight: 700, color: "#7CF2C8", letterSpacing: 2 }} />
        <div style={{ width: 96, height: 6, borderRadius: 3, backgroundColor: "#7CF2C8", margin: "24px 0 28px" }} />
        <Name name={name} style={{ width: COLUMN, fontWeight: 700 }} />
        <Line value={subtitle} size={34} style={{ width: COLUMN, marginTop: 20, color: "#AEB6D8" }} />
      </div>
      <div style={{ position: "absolute", left: 0, right: 0, bottom: 0, height: 14, backgroundImage: "linear-gradient(90deg, #7CF2C8, #5B8CFF, #B57CFF)" }} />
    </div>
  );
}

export const split: CardTemplate = {
  id: "split",
  label: "Split (dark, avatar left)",
  name: { maxWidth: COLUMN, maxFontSize: 72, minFontSize: 40, fontWeight: 700 },
  avatarSize: AVATAR - 2 * 6,
  render: Split,
};
