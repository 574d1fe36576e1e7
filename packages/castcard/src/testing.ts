// castcard/testing: what tests, galleries and benchmarks of designs use, and an app does not: the
// fixed sample users every design is checked against (names in many scripts, missing and broken
// pictures), their data and stand-in pictures, and plain props for other renderers.
import { seed } from "./design/seed";
import { initialsAvatar } from "./design/initials";
import { cardSize, layoutAt, type CardData, type CardProps, type Design, type RichText } from "./design/index";

/** Kinds of avatar a sample user has: a working picture, none at all, or one that fails to load. */
export type SampleAvatar = "picture" | "none" | "broken";

export interface SampleUser {
  id: string;
  label: string;
  username: string;
  displayName?: string;
  avatar: SampleAvatar;
}

/** The fixed users every design is checked against, in the gallery and in the golden tests. */
export const SAMPLE_USERS: readonly SampleUser[] = [
  { id: "latin", label: "Latin", username: "alice.eth", avatar: "picture" },
  { id: "chinese", label: "Chinese", username: "王小明", avatar: "picture" },
  { id: "japanese", label: "Japanese", username: "さくら_東京", avatar: "picture" },
  { id: "korean", label: "Korean", username: "김민준", avatar: "picture" },
  { id: "arabic", label: "Arabic (RTL)", username: "محمد_علي", avatar: "picture" },
  { id: "hebrew", label: "Hebrew (RTL)", username: "דניאל", avatar: "picture" },
  { id: "devanagari", label: "Devanagari", username: "अर्जुन", avatar: "picture" },
  { id: "thai", label: "Thai", username: "สมชาย", avatar: "picture" },
  { id: "mixed", label: "Mixed scripts", username: "dev王小明محمد", avatar: "picture" },
  { id: "emoji", label: "Emoji only", username: "🚀🌕✨", avatar: "none" },
  { id: "zwj", label: "ZWJ family, skin tone", username: "👨‍👩‍👧‍👦🧑🏽‍💻smiths", avatar: "picture" },
  { id: "flags", label: "Flags", username: "🇯🇵🇧🇷🇺🇦🏳️‍🌈", avatar: "picture" },
  { id: "long", label: "64 graphemes", username: "the_quick_brown_fox_jumps_over_the_lazy_dog_and_keeps_on_running", avatar: "picture" },
  { id: "no-avatar", label: "No avatar", username: "noavatar", avatar: "none" },
  { id: "broken-avatar", label: "Broken avatar", username: "broken.pic", avatar: "broken" },
  { id: "display-name", label: "Display name with emoji", username: "alice", displayName: "Alice Smith 🌸", avatar: "picture" },
  { id: "display-name-rtl", label: "RTL display name", username: "mohammed", displayName: "محمد علي 🌙", avatar: "none" },
  { id: "display-name-long", label: "32-character display name", username: "longname", displayName: "Bartholomew Fitzgerald-Worthing", avatar: "picture" },
];

/**
 * The data a design's card shows for a sample user in the gallery and goldens: the design's own
 * samples, taken in turn, so every sample meets several kinds of name. Empty for designs without data.
 */
export function sampleQuery(design: Design, user: SampleUser): Record<string, string> {
  const samples = design.samples ?? [];
  if (samples.length === 0) return {};
  return samples[SAMPLE_USERS.indexOf(user) % samples.length]!.query;
}

/** The URL the gallery gives the broken-avatar sample: nothing answers there. */
export const BROKEN_AVATAR_URL = "https://avatar.invalid/broken.png";

/**
 * A stand-in profile picture, drawn the same on every machine: a soft gradient with a head and
 * shoulders, coloured per sample so neighbouring cards differ.
 */
export function sampleAvatarSvg(seed: string): string {
  let hash = 0;
  for (const c of seed) hash = (Math.imul(hash, 31) + c.codePointAt(0)!) >>> 0;
  const hue = hash % 360;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue},70%,62%)"/><stop offset="1" stop-color="hsl(${(hue + 50) % 360},65%,38%)"/></linearGradient></defs>
<rect width="480" height="480" fill="url(#g)"/>
<circle cx="240" cy="190" r="92" fill="hsl(${hue},35%,92%)"/>
<ellipse cx="240" cy="470" rx="170" ry="150" fill="hsl(${hue},35%,92%)"/>
</svg>`;
}

/**
 * Props for a card in plain text at the largest name size, with no emoji split out and no
 * fitting: for other renderers fed the same element (the benchmark's @vercel/og side). A design
 * with data gets its first sample's (and the sample's fid).
 */
export function plainCardProps(input: { username: string; brand: string; subtitle: string; accent?: string | null }, design: Design = seed): CardProps {
  const plain = (text: string): RichText => ({ segments: [{ kind: "text", text }], direction: "ltr" });
  const { initials, color } = initialsAvatar(input.username);
  const { fid, ...query } = design.samples?.[0]?.query ?? {};
  const parsed = design.fields.safeParse(query);
  const data = (parsed.success ? parsed.data : {}) as CardData;
  const texts = Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string");
  return {
    username: input.username,
    displayName: null,
    fid: fid ? Number(fid) : null,
    name: { ...plain(`${design.name.prefix ?? "@"}${input.username}`), fontSize: design.name.maxFontSize, fontWeight: design.name.fontWeight, truncated: false },
    handle: null,
    avatar: { kind: "initials", initials: plain(initials), color },
    brand: plain(input.brand),
    subtitle: plain(input.subtitle),
    accent: input.accent ?? null,
    data,
    dataText: Object.fromEntries(texts.map(([k, v]) => [k, plain(v)])),
    size: cardSize("embed"),
    avatarBox: layoutAt(design, "embed").avatarBox,
  };
}
