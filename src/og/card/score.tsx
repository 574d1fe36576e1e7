import { z } from "zod";
import { Avatar } from "./avatar";
import { defineCard } from "./define";
import { field } from "./fields";
import { Line, Name } from "./text";
import { CARD_HEIGHT, CARD_WIDTH, type CardProps } from "./types";

const PAD = 72;
const AVATAR = 168;
const NAME_WIDTH = CARD_WIDTH - 2 * PAD - AVATAR - 36;
const numbers = new Intl.NumberFormat("en-US");

const fields = z.object({
  score: field.int({ digits: 13 }),
  label: field.text({ max: 24 }).optional(),
  rank: field.int({ digits: 9, min: 1 }).optional(),
});

/** A font size at which `text` (digits and separators) fills at most `width`: Inter Bold digits are ~0.6 em. */
const digitsSize = (text: string, width: number, max: number) => Math.min(max, Math.floor(width / (text.length * 0.62)));

/** "@alice scored 4,200 points": a result card for games and quizzes. */
function Score({ name, handle, avatar, brand, data, dataText }: CardProps<z.output<typeof fields>>) {
  const score = numbers.format(data.score);
  const frame = { width: AVATAR, height: AVATAR, borderRadius: "50%", border: "6px solid #FFD166" } as const;
  return (
    <div
      style={{
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        display: "flex",
        flexDirection: "column",
        padding: PAD,
        backgroundImage: "linear-gradient(160deg, #0B3D3A 0%, #0F2A4A 100%)",
        fontFamily: "Inter",
        color: "#FFFFFF",
      }}
    >
      <div style={{ display: "flex", alignItems: "center" }}>
        <Avatar avatar={avatar} frame={frame} initialsSize={80} />
        <div style={{ display: "flex", flexDirection: "column", width: NAME_WIDTH, marginLeft: 36 }}>
          <Name name={name} style={{ width: NAME_WIDTH, fontWeight: 700 }} />
          {handle && <Line value={handle} size={36} style={{ width: NAME_WIDTH, opacity: 0.8 }} />}
        </div>
      </div>
      <div style={{ display: "flex", flexDirection: "column", justifyContent: "center", flexGrow: 1, paddingBottom: 56 }}>
        <div style={{ display: "block", fontSize: 40, color: "#FFD166", fontWeight: 700 }}>scored</div>
        <div style={{ display: "block", fontSize: digitsSize(score, CARD_WIDTH - 2 * PAD, 200), fontWeight: 700, lineHeight: 1.1 }}>{score}</div>
        {dataText.label && <Line value={dataText.label} size={44} style={{ width: CARD_WIDTH - 2 * PAD, opacity: 0.9 }} />}
      </div>
      <div style={{ position: "absolute", left: PAD, right: PAD, bottom: 44, display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <div style={{ display: "block", fontSize: 36, fontWeight: 700, color: "#FFD166" }}>{data.rank ? `Rank #${numbers.format(data.rank)}` : ""}</div>
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
  avatarSize: AVATAR,
  samples: [
    { id: "zero", label: "0", query: { score: "0" } },
    { id: "largest", label: "Largest score, rank and label", query: { score: "9999999999999", label: "points in the tournament", rank: "999999999" } },
    { id: "negative", label: "Most negative", query: { score: "-9999999999999", label: "points" } },
    { id: "rtl-label", label: "Right-to-left label", query: { score: "4200", label: "نقطة في اللعبة", rank: "3" } },
  ],
  render: Score,
});
