// Which form of the avatar is cheapest to hand to takumi? Normalises new 400×400 JPEG photos with
// sharp into each candidate form at the size the design draws them, then renders the seed card
// with bare takumi, one new photo per render. Not part of `npm run bench`; run it on its own:
//   npx tsx bench/avatar-formats.ts
import { Renderer, type ImageSource } from "@takumi-rs/core";
import { fromJsx } from "@takumi-rs/helpers/jsx";
import sharp from "sharp";
import { AVATAR_SRC, CARD_HEIGHT, CARD_WIDTH } from "../packages/castcard/src/design/index";
import { SeedCard, seed } from "../packages/castcard/src/design/seed";
import { loadDefaultFonts } from "../packages/castcard/src/og/fonts/index";
import { createCardRenderer } from "../packages/castcard/src/og/render/index";
import { percentile } from "./lib";
import { photoJpeg } from "./photo";

type Node = { type: string; src?: unknown; children?: Node[] };
const fonts = loadDefaultFonts();
const renderer = new Renderer();
for (const f of fonts) await renderer.registerFont({ name: f.name, weight: f.weight, data: f.data });
const prepared = await createCardRenderer(fonts).prepare(seed, { username: "alice", hasAvatar: true, brand: "Castcard", subtitle: "made a Castcard" });
const { node, css } = await fromJsx(SeedCard(prepared.props));

function withSrc(tree: Node, src: unknown): Node {
  if (tree.type === "image" && tree.src === AVATAR_SRC) return { ...tree, src };
  return tree.children ? { ...tree, children: tree.children.map((c) => withSrc(c, src)) } : tree;
}

// The picture box: the <img> laid out inside its border.
const measured = await renderer.measure(node, { width: CARD_WIDTH, height: CARD_HEIGHT, css, images: [{ src: AVATAR_SRC, data: await sharp({ create: { width: 8, height: 8, channels: 3, background: "red" } }).png().toBuffer() }] });
console.log("seed avatar element (border-box):", JSON.stringify(measured.children[0] && { w: measured.children[0].width, h: measured.children[0].height }));

const SIZE = Number(process.env.SIZE ?? 224);
type Candidate = { name: string; make: (jpeg: Buffer) => Promise<{ image?: ImageSource; src?: unknown; bytes: number }> };
const pipeline = (jpeg: Buffer, size: number) => sharp(jpeg, { failOn: "error", sequentialRead: true }).rotate().resize(size, size, { fit: "cover" });
const all: Candidate[] = [
  { name: "PNG 480 (before)", make: async (j) => { const data = await pipeline(j, 480).png({ compressionLevel: 6 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: `PNG ${SIZE} level 6`, make: async (j) => { const data = await pipeline(j, SIZE).png({ compressionLevel: 6 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: `PNG ${SIZE} level 0`, make: async (j) => { const data = await pipeline(j, SIZE).png({ compressionLevel: 0 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: `JPEG ${SIZE} q92`, make: async (j) => { const data = await pipeline(j, SIZE).jpeg({ quality: 92 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: `WebP ${SIZE} lossless`, make: async (j) => { const data = await pipeline(j, SIZE).webp({ lossless: true, effort: 0 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: `WebP ${SIZE} q92`, make: async (j) => { const data = await pipeline(j, SIZE).webp({ quality: 92, effort: 0 }).toBuffer(); return { image: { src: AVATAR_SRC, data }, bytes: data.length }; } },
  { name: "no avatar drawn (baseline)", make: async () => ({ image: undefined, bytes: 0 }) },
  {
    name: `raw RGBA ${SIZE} as ArrayBuffer`,
    make: async (j) => {
      const { data, info } = await pipeline(j, SIZE).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      const copy = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength);
      return { src: { width: info.width, height: info.height, data: copy, premultiplied: true }, bytes: data.length };
    },
  },
  {
    name: `raw RGBA ${SIZE} (inline, premultiplied)`,
    make: async (j) => {
      const { data, info } = await pipeline(j, SIZE).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
      return { src: { width: info.width, height: info.height, data, premultiplied: true }, bytes: data.length };
    },
  },
];

const only = process.env.ONLY?.split(",");
const candidates = all.filter((c) => !only || only.some((o) => c.name.includes(o)));
const N = Number(process.env.N ?? 150);
const photos = await Promise.all(Array.from({ length: N + 10 }, (_, i) => photoJpeg(1000 + i)));
for (const c of candidates) {
  const norm: number[] = [];
  const draw: number[] = [];
  let bytes = 0;
  for (let i = 0; i < photos.length; i++) {
    const t0 = performance.now();
    const made = await c.make(photos[i]!);
    const t1 = performance.now();
    await renderer.render((made.src ? withSrc(node as Node, made.src) : node) as never, {
      width: CARD_WIDTH, height: CARD_HEIGHT, format: "png", css,
      images: [...prepared.images, ...(made.image ? [{ ...made.image, cache: "none" as const }] : [])],
      fontFamilies: prepared.fontFamilies,
    } as never);
    const t2 = performance.now();
    if (i >= 10) { norm.push(t1 - t0); draw.push(t2 - t1); bytes = made.bytes; }
  }
  norm.sort((a, b) => a - b);
  draw.sort((a, b) => a - b);
  console.log(`${c.name.padEnd(40)} normalise p50 ${percentile(norm, 50).toFixed(2)} ms, render p50 ${percentile(draw, 50).toFixed(2)} ms, sum ${(percentile(norm, 50) + percentile(draw, 50)).toFixed(2)} ms, ${(bytes / 1024).toFixed(0)} kB held`);
}
