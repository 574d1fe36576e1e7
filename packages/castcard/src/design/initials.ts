import { graphemes } from "./name";

/** What the card draws when there is no usable profile picture. */
export interface InitialsAvatar {
  initials: string;
  /** Background colour, derived from the username so each user keeps theirs. */
  color: string;
}

/** Initials from `name` (the display name, or the username); the colour always from the username. */
export function initialsAvatar(name: string, username = name): InitialsAvatar {
  const letters = graphemes(name.replace(/^@+/, "")).filter((g) => /[\p{L}\p{N}\p{Extended_Pictographic}]/u.test(g));
  const initials = (letters[0] ?? "?").toLocaleUpperCase();
  // FNV-1a: cheap, stable across processes and platforms.
  let hash = 0x811c9dc5;
  for (const unit of username) {
    hash ^= unit.codePointAt(0)!;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return { initials, color: `hsl(${hash % 360}, 55%, 45%)` };
}
