import type { CSSProperties } from "react";
import { Line } from "./text";
import { AVATAR_SRC, type AvatarBox, type CardProps } from "./types";

export interface AvatarProps {
  /** `props.avatar`: the user's picture, or their initials on their colour. */
  avatar: CardProps["avatar"];
  /** `props.avatarBox`: the frame's outer side and border width at the size being drawn. */
  box: AvatarBox;
  /** Corner radius; default "50%", a circle. */
  radius?: number | string;
  /** The border's colour, when the box has a border; default white. */
  borderColor?: string;
  /** The initials' font size; default 46% of the side. */
  initialsSize?: number;
  /** The initials' colour; default the card's text colour. */
  initialsColor?: string;
  /** More style for the frame: margins, position, a shadow. */
  style?: CSSProperties;
}

/**
 * The user's avatar, framed as the design declared it (`avatar: { side, border }`): their picture,
 * fetched, checked and sized to the box by castcard, or their initials on their own colour when
 * there is none. Every design draws both cases with this one component.
 *
 * ```tsx
 * <Avatar avatar={props.avatar} box={props.avatarBox} borderColor="#FFD166" />
 * ```
 */
export function Avatar({ avatar, box, radius = "50%", borderColor = "#FFFFFF", initialsSize, initialsColor, style }: AvatarProps) {
  const { side } = box;
  const border = box.border ?? 0;
  const frame: CSSProperties = { width: side, height: side, borderRadius: radius, ...(border > 0 ? { border: `${border}px solid ${borderColor}` } : {}), ...style };
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
      <Line value={avatar.initials} size={initialsSize ?? Math.round(side * 0.46)} />
    </div>
  );
}
