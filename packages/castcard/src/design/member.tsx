import { z } from "zod";
import { Avatar } from "./avatar";
import { accentPalette } from "./color";
import { defineCard } from "./define";
import { digitsSize, Line, Name } from "./text";
import { CARD_WIDTH, type CardProps } from "./types";

const PAD = 80;
const AVATAR = 200;
// At the 1200×630 Open Graph size: less padding, a smaller avatar and number.
const OG_PAD = 60;
const OG_AVATAR = 140;
const textWidth = (pad: number, side: number) => CARD_WIDTH - 2 * pad - side - 40;
const numbers = new Intl.NumberFormat("en-US");

/** "Farcaster user #1,234": the fid is the account's registration number, so small means early. */
function Member({ name, handle, avatar, avatarBox, brand, fid, size, accent }: CardProps) {
  const og = size.id === "og";
  const pad = og ? OG_PAD : PAD;
  const width = textWidth(pad, avatarBox.side);
  const number = `#${numbers.format(fid ?? 0)}`;
  const p = accent ? accentPalette(accent) : null;
  const ink = p?.ink ?? "#FFFFFF";
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        flexDirection: "column",
        justifyContent: "space-between",
        padding: pad,
        backgroundColor: p?.base ?? "#7C65C1",
        backgroundImage: p ? `linear-gradient(120deg, ${p.base} 0%, ${p.deep} 100%)` : "linear-gradient(120deg, #855DCD 0%, #6A3CC4 100%)",
        fontFamily: "Inter",
        color: ink,
      }}
    >
      <div style={{ display: "flex", flexDirection: "column" }}>
        <div style={{ display: "block", fontSize: og ? 34 : 40, fontWeight: 700, opacity: 0.85 }}>Farcaster user</div>
        <div style={{ display: "block", fontSize: digitsSize(number, CARD_WIDTH - 2 * pad, og ? 150 : 200), fontWeight: 700, lineHeight: 1.1 }}>{number}</div>
      </div>
      <div style={{ display: "flex", alignItems: "center" }}>
        <Avatar avatar={avatar} box={avatarBox} borderColor={ink} initialsSize={og ? 68 : 96} />
        <div style={{ display: "flex", flexDirection: "column", marginLeft: 40, width }}>
          <Name name={name} style={{ width }} />
          {handle && <Line value={handle} size={og ? 30 : 36} style={{ width, opacity: 0.85 }} />}
          <Line value={brand} size={28} style={{ marginTop: 12, fontWeight: 700, opacity: 0.7, maxWidth: 480 }} />
        </div>
      </div>
    </div>
  );
}

export const member = defineCard({
  id: "member",
  label: "Member (the Farcaster ID)",
  fields: z.object({}),
  requires: ["fid"],
  name: { maxWidth: textWidth(PAD, AVATAR), maxFontSize: 64, minFontSize: 36, fontWeight: 700 },
  avatar: { side: AVATAR, border: 8 },
  og: { name: { maxWidth: textWidth(OG_PAD, OG_AVATAR), maxFontSize: 56 }, avatar: { side: OG_AVATAR, border: 6 } },
  samples: [
    { id: "first", label: "fid 1", query: { fid: "1" } },
    { id: "typical", label: "fid 1,234", query: { fid: "1234" } },
    { id: "largest", label: "Largest fid", query: { fid: "999999999999999" } },
  ],
  render: Member,
});
