import sharp from "sharp";
import { avatarRequestSize } from "../../packages/castcard/src/og/avatar/index";
import { normaliseAvatar } from "../../packages/castcard/src/og/avatar/image/index";
import { layoutAt, type CardSizeId, type Design } from "../../packages/castcard/src/design/index";
import { sampleAvatarSvg, sampleQuery, type SampleUser } from "../../packages/castcard/src/testing";
import { createCardUrls } from "../../packages/castcard/src/url/index";
import type { CardRenderer } from "../../packages/castcard/src/og/render/index";

export const BRAND = "Castcard";
export const SUBTITLE = "made a Castcard";

const avatars = new Map<string, Promise<Buffer>>();
/**
 * The sample's stand-in picture, normalised by the avatar fetcher's own code for a design's
 * avatar size: served as a PNG, then made into the square the design draws.
 */
export function sampleAvatarPng(seed: string, size: number): Promise<Buffer> {
  const key = `${size} ${seed}`;
  let png = avatars.get(key);
  if (!png) {
    png = sharp(Buffer.from(sampleAvatarSvg(seed)))
      .png()
      .toBuffer()
      .then((served) => normaliseAvatar(served, "image/png", { maxSide: 4096, maxPixels: 4096 * 4096, outputSize: avatarRequestSize(size) }));
    avatars.set(key, png);
  }
  return png;
}

/** Renders a sample as the handler would: broken and missing avatars both end in initials. */
export async function renderSample(renderer: CardRenderer, template: Design, sample: SampleUser, size: CardSizeId = "embed"): Promise<Buffer> {
  const picture = sample.avatar === "picture" ? await sampleAvatarPng(sample.id, layoutAt(template, size).avatarSize) : null;
  // The design's sample data goes through the card URL parser, as a request's would.
  const query = new URLSearchParams({ username: sample.username, template: template.id, size, ...sampleQuery(template, sample) });
  if (sample.displayName) query.set("displayName", sample.displayName);
  const parsed = createCardUrls({ designs: { get: (id) => (id === template.id ? template : undefined), list: () => [template], defaultId: template.id } }).parse(query);
  if (!parsed.ok) throw new Error(`sample ${sample.id} for ${template.id}: ${parsed.message}`);
  const { user, data } = parsed.card;
  return renderer.renderCard(template, { ...user, data, size: parsed.card.size, hasAvatar: picture !== null, brand: BRAND, subtitle: SUBTITLE }, picture);
}

export interface Pixels {
  data: Buffer;
  width: number;
  height: number;
}

/** RGB pixels, optionally of a region and scaled, for comparisons. */
export async function pixels(png: Uint8Array | string, options: { region?: { left: number; top: number; width: number; height: number }; width?: number } = {}): Promise<Pixels> {
  let image = sharp(png).removeAlpha();
  if (options.region) image = image.extract(options.region);
  if (options.width) image = image.resize({ width: options.width, kernel: "lanczos3" });
  const { data, info } = await image.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/** How many pixels differ by more than `threshold` in any channel. */
export function differingPixels(a: Pixels, b: Pixels, threshold = 32): number {
  if (a.width !== b.width || a.height !== b.height) throw new Error(`size ${a.width}×${a.height} vs ${b.width}×${b.height}`);
  let count = 0;
  for (let i = 0; i < a.data.length; i += 3) {
    if (
      Math.abs(a.data[i]! - b.data[i]!) > threshold ||
      Math.abs(a.data[i + 1]! - b.data[i + 1]!) > threshold ||
      Math.abs(a.data[i + 2]! - b.data[i + 2]!) > threshold
    ) {
      count++;
    }
  }
  return count;
}

/** Pixels with a clear hue (HSV saturation over a quarter, not dark): never grey, black or white. */
export function colourfulPixels(p: Pixels): number {
  let count = 0;
  for (let i = 0; i < p.data.length; i += 3) {
    const r = p.data[i]!;
    const g = p.data[i + 1]!;
    const b = p.data[i + 2]!;
    const max = Math.max(r, g, b);
    const min = Math.min(r, g, b);
    if (max > 100 && (max - min) / max > 0.25) count++;
  }
  return count;
}
