import type { CSSProperties } from "react";
import { Line } from "./text";
import { AVATAR_SRC, type CardProps } from "./types";

/**
 * The avatar in a design's frame: the fetched picture, or the initials on the user's colour.
 * Every design draws both cases, so they stay in one place.
 */
export function Avatar({
  avatar,
  frame,
  initialsSize,
  initialsColor,
}: {
  avatar: CardProps["avatar"];
  frame: CSSProperties;
  initialsSize: number;
  initialsColor?: string;
}) {
  if (avatar.kind === "image") return <img src={AVATAR_SRC} style={{ ...frame, objectFit: "cover" }} />;
  return (
    <div
      style={{
        ...frame,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        backgroundColor: avatar.color,
        fontWeight: 700,
        ...(initialsColor ? { color: initialsColor } : {}),
      }}
    >
      <Line value={avatar.initials} size={initialsSize} />
    </div>
  );
}
