import type { InitialsAvatar } from "../avatar/initials";

export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 800;
export const AVATAR_SIZE = 240;
/** The key under which the avatar's bytes are handed to the renderer. */
export const AVATAR_SRC = "castcard:avatar";

export interface CardProps {
  username: string;
  /** True: the avatar bytes are passed to the renderer under AVATAR_SRC. */
  avatar: { kind: "image" } | ({ kind: "initials" } & InitialsAvatar);
  brand: string;
  subtitle: string;
}

const avatarFrame = {
  width: AVATAR_SIZE,
  height: AVATAR_SIZE,
  borderRadius: "50%",
  border: "8px solid #FFFFFF",
} as const;

/** The share card: 1200×800, the seed's purple gradient, avatar circle, @name and a subtitle. */
export function Card({ username, avatar, brand, subtitle }: CardProps) {
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
      {avatar.kind === "image" ? (
        <img src={AVATAR_SRC} style={{ ...avatarFrame, objectFit: "cover" }} />
      ) : (
        <div
          style={{
            ...avatarFrame,
            display: "flex",
            alignItems: "center",
            justifyContent: "center",
            backgroundColor: avatar.color,
            fontSize: 112,
            fontWeight: 700,
          }}
        >
          {avatar.initials}
        </div>
      )}
      <div
        style={{
          marginTop: 48,
          maxWidth: CARD_WIDTH - 160,
          fontSize: 76,
          fontWeight: 700,
          lineHeight: 1.2,
          whiteSpace: "nowrap",
          overflow: "hidden",
          textOverflow: "ellipsis",
        }}
      >
        {`@${username}`}
      </div>
      <div style={{ marginTop: 16, fontSize: 36, fontWeight: 400, opacity: 0.85 }}>{subtitle}</div>
      <div style={{ position: "absolute", bottom: 40, right: 56, fontSize: 28, fontWeight: 700, opacity: 0.7 }}>
        {brand}
      </div>
    </div>
  );
}
