import { z } from "zod";
import { Avatar } from "./avatar";
import { accentPalette } from "./color";
import { defineCard } from "./define";
import { field } from "./fields";
import { digitsSize, Line, Name } from "./text";
import { CARD_WIDTH, type CardProps } from "./types";

const PAD = 72;
const AVATAR = 168;
const NAME_WIDTH = CARD_WIDTH - 2 * PAD - AVATAR - 36;
// At the 1200×630 Open Graph size: tighter padding, a smaller avatar, a smaller largest score.
const OG_PAD = 56;
const OG_AVATAR = 120;
const OG_NAME_WIDTH = CARD_WIDTH - 2 * OG_PAD - OG_AVATAR - 36;
const numbers = new Intl.NumberFormat("en-US");

const fields = z.object({
  score: field.int({ digits: 13 }),
  label: field.text({ max: 24 }).optional(),
  rank: field.int({ digits: 9, min: 1 }).optional(),
});

/** "@alice scored 4,200 points": a result card for games and quizzes. */
function Score({ name, handle, avatar, avatarBox, brand, data, dataText, size, accent }: CardProps<z.output<typeof fields>>) {
  const og = size.id === "og";
  const [pad, nameWidth] = og ? [OG_PAD, OG_NAME_WIDTH] : [PAD, NAME_WIDTH];
  const score = numbers.format(data.score);
  const highlight = accent ? accentPalette(accent).onDark : "#FFD166";
  return (
    <div
      style={{
        width: size.width,
        height: size.height,
        display: "flex",
        flexDirection: "column",
        padding: pad,
        backgroundImage: "linear-gradient(160deg, #0B3D3A 0%, #0F2A4A 100%)",
        fontFamily: "Inter",
        color: "#FFFFFF",
      }}
    >
      <div style={{ display: "flex", alignItems: "center" }}>
        <Avatar avatar={avatar} box={avatarBox} borderColor={highlight} initialsSize={og ? 60 : 80} />
        <div style={{ display: "flex", flexDirection: "column", width: nameWidth, marginLeft: 36 }}>
          <Name name={name} style={{ width: nameWidth }} />
          {handle && <Line value={handle} size={og ? 30 : 36} style={{ width: nameWidth, opacity: 0.8 }} />}
        </div>
      </div>
      <div style={{ display: "flex", flexDirection: "column", justifyContent: "center", flexGrow: 1, paddingBottom: og ? 40 : 56 }}>
        <div style={{ display: "block", fontSize: og ? 32 : 40, color: highlight, fontWeight: 700 }}>scored</div>
        <div style={{ display: "block", fontSize: digitsSize(score, CARD_WIDTH - 2 * pad, og ? 150 : 200), fontWeight: 700, lineHeight: 1.1 }}>{score}</div>
        {dataText.label && <Line value={dataText.label} size={og ? 36 : 44} style={{ width: CARD_WIDTH - 2 * pad, opacity: 0.9 }} />}
      </div>
      <div style={{ position: "absolute", left: pad, right: pad, bottom: og ? 32 : 44, display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <div style={{ display: "block", fontSize: 36, fontWeight: 700, color: highlight }}>{data.rank ? `Rank #${numbers.format(data.rank)}` : ""}</div>
        <Line value={brand} size={28} style={{ fontWeight: 700, opacity: 0.7, maxWidth: 480 }} />
      </div>
    </div>
  );
}

export const score = defineCard({
  id: "score",
  label: "Score (a result: score, label, rank)",
  fields,
  name: { maxWidth: NAME_WIDTH, maxFontSize: 64, minFontSize: 36, fontWeight: 700 },
  avatar: { side: AVATAR, border: 6 },
  og: { name: { maxWidth: OG_NAME_WIDTH, maxFontSize: 56 }, avatar: { side: OG_AVATAR } },
  samples: [
    { id: "zero", label: "0", query: { score: "0" } },
    { id: "largest", label: "Largest score, rank and label", query: { score: "9999999999999", label: "points in the tournament", rank: "999999999" } },
    { id: "negative", label: "Most negative", query: { score: "-9999999999999", label: "points" } },
    { id: "rtl-label", label: "Right-to-left label", query: { score: "4200", label: "نقطة في اللعبة", rank: "3" } },
  ],
  render: Score,
});
