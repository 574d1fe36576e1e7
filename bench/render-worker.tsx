// One renderer per process, so first-render time and RSS belong to that renderer alone. Long on
// purpose: both renderers' plans (ours and the peer's) in one worker, so they run the same cases.
// Usage: node --expose-gc --import tsx bench/render-worker.tsx <castcard|vercel> '<json plan>'
import { cloneElement, isValidElement, type ReactElement, type ReactNode } from "react";
import { AVATAR_SRC, layoutAt, DESIGNS, type CardProps, type Design } from "../packages/castcard/src/design/index";
import { plainCardProps } from "../packages/castcard/src/testing";
import { loadDefaultFonts } from "../packages/castcard/src/og/fonts/index";
import { percentile, pool } from "./lib";
import { distinctPhoto, photoPool } from "./photo";
import type { AvatarFetcher as AvatarFetcherType } from "../packages/castcard/src/og/avatar/index";

export interface RenderPlan {
  /** Renders with distinct names in total before "RSS after" is read (the first one included). */
  total: number;
  sequential: number;
  concurrent: number;
  /** Timed first cards with a new photo avatar (new user, new picture each). */
  photo: number;
  /** Timed renders per design and avatar kind. */
  perDesign: number;
  /** Distinct photo cards through the whole handler for the memory check (0: skip). */
  memory: number;
  /** Photo cards through the handler before the memory check starts. */
  memoryWarmup: number;
}

export interface Timing {
  p50: number;
  p99: number;
}

export interface RenderResult {
  importMs: number;
  firstMs: number;
  pngBytes: number;
  p50: number;
  p99: number;
  perSecond1: number;
  perSecond4: number;
  rssFirst: number;
  rssAfterTotal: number;
  /** A new user with a new 400×400 JPEG photo: Castcard fetches it from a local server too. */
  photo: Timing & { perSecond4: number; pngBytes: number };
  /** p50 per design, initials and photo (the photo decoded and normalised in-process, no fetch). */
  designs: Record<string, { initials: number; photo: number }>;
  /** Castcard only: the full card path against bare takumi on the same element tree. */
  overhead: { initials: { ours: Timing; bare: Timing }; photo: { ours: Timing; bare: Timing } } | null;
  /** Castcard only: the same first photo card through the avatar path as it was before (emulated). */
  before: Timing | null;
  /** Castcard only: RSS around `memory` distinct photo cards through the handler, after warm-up. */
  memory: { before: number; after: number; cards: number; warmedUpAfter: number; perSecond: number; non200: number } | null;
}

const which = process.argv[2];
const plan = JSON.parse(process.argv[3] ?? "{}") as RenderPlan;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});
const rss = () => {
  gc();
  return process.memoryUsage.rss();
};
const fonts = loadDefaultFonts();
const BRAND = "Castcard";
const SUBTITLE = "made a Castcard";
const seedTemplate = DESIGNS.find((t) => t.id === "seed")!;
const photos = await photoPool(32);
const timing = (samples: number[]): Timing => {
  samples.sort((a, b) => a - b);
  return { p50: percentile(samples, 50), p99: percentile(samples, 99) };
};
async function timed(count: number, task: (i: number) => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await task(i);
    samples.push(performance.now() - t);
  }
  return samples;
}

/** The same design for other renderers: function components called, the avatar's src replaced. */
function expand(node: ReactNode, avatarSrc: string): ReactNode {
  if (Array.isArray(node)) return node.map((n) => expand(n, avatarSrc));
  if (!isValidElement(node)) return node;
  const element = node as ReactElement<{ children?: ReactNode; src?: string }>;
  if (typeof element.type === "function") return expand((element.type as (p: unknown) => ReactNode)(element.props), avatarSrc);
  if (element.type === "img" && element.props.src === AVATAR_SRC) return cloneElement(element, { src: avatarSrc });
  return element.props.children === undefined ? element : cloneElement(element, {}, expand(element.props.children, avatarSrc));
}

const props = (username: string, template: Design, photo: boolean): CardProps => {
  const p = plainCardProps({ username, brand: BRAND, subtitle: SUBTITLE }, template);
  return photo ? { ...p, avatar: { kind: "image" } } : p;
};

interface Side {
  /** The initials card, plain props: the element both renderers draw. */
  initials: (username: string) => Promise<Buffer>;
  /** A new user with a new photo, as a first card costs: whatever this renderer must do with the bytes. */
  photo: (username: string, key: string) => Promise<Buffer>;
  /** Any design, initials or a photo handed over as bytes. */
  design: (template: Design, username: string, jpeg: Buffer | null) => Promise<Buffer>;
}

async function castcardSide(): Promise<() => Promise<Side & { extras: () => Promise<Partial<RenderResult>> }>> {
  // Only the renderer is imported while "import" is timed; the avatar path and the handler after.
  const { createCardRenderer } = await import("../packages/castcard/src/og/render/index");
  return async () => {
    const renderer = createCardRenderer(fonts);
    const rest = async () => {
      const { createAvatarFetcher, AVATAR_LIMITS } = await import("../packages/castcard/src/og/avatar/index");
      const { normaliseAvatar } = await import("../packages/castcard/src/og/avatar/image/index");
      const { guardedFetch } = await import("../packages/castcard/src/og/avatar/guarded-fetch/index");
      const { createOgHandler } = await import("../packages/castcard/src/og/index");
      const { startPhotoServer } = await import("./photo");
      const { Renderer } = await import("@takumi-rs/core");
      const { fromJsx } = await import("@takumi-rs/helpers/jsx");
      const { default: sharp } = await import("sharp");
      const server = await startPhotoServer(photos);
      return { createAvatarFetcher, AVATAR_LIMITS, normaliseAvatar, guardedFetch, createOgHandler, Renderer, fromJsx, sharp, server };
    };
    let loaded: ReturnType<typeof rest> | undefined;
    const lazy = () => (loaded ??= rest());
    let fetcher: AvatarFetcherType | undefined;
    const input = (username: string, hasAvatar: boolean) => ({ username, hasAvatar, brand: BRAND, subtitle: SUBTITLE });
    const normalise = async (jpeg: Buffer, size: number) => {
      const { normaliseAvatar, AVATAR_LIMITS } = await lazy();
      return normaliseAvatar(jpeg, "image/jpeg", { maxSide: AVATAR_LIMITS.maxSide, maxPixels: AVATAR_LIMITS.maxPixels, outputSize: size });
    };

    const extras = async (): Promise<Partial<RenderResult>> => {
      const { AVATAR_LIMITS, guardedFetch, createOgHandler, Renderer, fromJsx, sharp, server } = await lazy();
      // Our overhead: the full card path against bare takumi drawing the tree that path builds.
      const bare = new Renderer();
      for (const f of fonts) await bare.registerFont({ name: f.name, weight: f.weight, data: f.data });
      const overhead = {} as NonNullable<RenderResult["overhead"]>;
      for (const kind of ["initials", "photo"] as const) {
        const avatar = kind === "photo" ? await normalise(distinctPhoto(photos, "overhead"), layoutAt(seedTemplate, "embed").avatarSize) : null;
        const names = Array.from({ length: plan.sequential }, (_, i) => `${kind}${i}x${process.pid}`);
        const trees = await Promise.all(
          names.map(async (name) => {
            const prepared = await renderer.prepare(seedTemplate, input(`bare${name}`, avatar !== null));
            const { node, css } = await fromJsx(seedTemplate.render(prepared.props));
            return { node, css, images: [...prepared.images, ...(avatar ? [{ src: AVATAR_SRC, data: avatar, cache: "none" as const }] : [])], fontFamilies: prepared.fontFamilies };
          }),
        );
        const ours: number[] = [];
        const bareSamples: number[] = [];
        // Interleaved, so drift in machine load hits both sides alike.
        for (let i = 0; i < names.length; i++) {
          let t = performance.now();
          await renderer.renderCard(seedTemplate, input(names[i]!, avatar !== null), avatar);
          ours.push(performance.now() - t);
          const tree = trees[i]!;
          t = performance.now();
          await bare.render(tree.node, { width: 1200, height: 800, format: "png", css: tree.css, images: tree.images, fontFamilies: tree.fontFamilies });
          bareSamples.push(performance.now() - t);
        }
        overhead[kind] = { ours: timing(ours), bare: timing(bareSamples) };
      }

      // The photo path as it was: 480 px, deflated PNG, decoded and scaled again by the renderer.
      const options = { allowPrivate: true, hosts: null, timeoutMs: 3000, maxBytes: AVATAR_LIMITS.maxBytes, maxRedirects: 3, contentTypes: new Set(["image/jpeg"]) };
      const before = await timed(plan.photo, async (i) => {
        const fetched = await guardedFetch(`${server.url}/p/before${i}x${process.pid}`, options);
        await sharp(fetched.body, { limitInputPixels: false, pages: 1 }).metadata();
        const png = await sharp(fetched.body, { limitInputPixels: AVATAR_LIMITS.maxPixels, pages: 1, page: 0, failOn: "error", sequentialRead: true })
          .rotate()
          .resize(480, 480, { fit: "cover" })
          .png({ compressionLevel: 6 })
          .toBuffer();
        return renderer.renderCard(seedTemplate, input(`before${i}`, true), png);
      });

      let memory: RenderResult["memory"] = null;
      if (plan.memory > 0) {
        const og = createOgHandler({ fonts, avatar: { allowPrivate: true, hosts: null } });
        await og.ready;
        let non200 = 0;
        const card = async (i: number, tag: string) => {
          const image = encodeURIComponent(`${server.url}/p/${tag}${i}x${process.pid}`);
          const res = await og(new Request(`http://bench.invalid/api/og?username=${tag}${i}&image=${image}`));
          await res.arrayBuffer();
          if (res.status !== 200 || res.headers.get("x-castcard-avatar") !== "image") non200++;
        };
        await pool(plan.memoryWarmup, 4, (i) => card(i, "warm"));
        const before = rss();
        const ms = await pool(plan.memory, 4, (i) => card(i, "mem"));
        memory = { before, after: rss(), cards: plan.memory, warmedUpAfter: plan.memoryWarmup, perSecond: plan.memory / (ms / 1000), non200 };
      }
      await server.close();
      return { overhead, before: timing(before), memory };
    };

    return {
      initials: (username) => renderer.render(seedTemplate.render(props(username, seedTemplate, false)), null),
      photo: async (username, key) => {
        const { createAvatarFetcher, server } = await lazy();
        fetcher ??= createAvatarFetcher({ allowPrivate: true, hosts: null });
        const result = await fetcher(`${server.url}/p/${key}`, layoutAt(seedTemplate, "embed").avatarSize);
        if (!result.ok) throw new Error(`avatar: ${result.reason}`);
        return renderer.renderCard(seedTemplate, input(username, true), result.png);
      },
      design: async (template, username, jpeg) => {
        // The same sample data (and fid) the other renderer's plain props carry.
        const { data, fid } = plainCardProps({ username, brand: BRAND, subtitle: SUBTITLE }, template);
        return renderer.renderCard(template, { ...input(username, jpeg !== null), data, fid }, jpeg ? await normalise(jpeg, layoutAt(template, "embed").avatarSize) : null);
      },
      extras,
    };
  };
}

async function vercelSide(): Promise<() => Promise<Side & { extras: () => Promise<Partial<RenderResult>> }>> {
  const { ImageResponse } = await import("@vercel/og");
  const options = {
    width: 1200,
    height: 800,
    fonts: fonts.map((f) => ({ name: f.name, data: Buffer.from(f.data), weight: f.weight as 400 | 700, style: "normal" as const })),
  };
  const draw = async (element: ReactNode) => Buffer.from(await new ImageResponse(element as ReactElement, options).arrayBuffer());
  const dataUrl = (jpeg: Buffer) => `data:image/jpeg;base64,${jpeg.toString("base64")}`;
  return async () => ({
    initials: (username) => draw(seedTemplate.render(props(username, seedTemplate, false))),
    // Handed the photo's bytes in-process: no fetch, which only favours this side.
    photo: (username, key) => draw(expand(seedTemplate.render(props(username, seedTemplate, true)), dataUrl(distinctPhoto(photos, key)))),
    design: (template, username, jpeg) => draw(jpeg ? expand(template.render(props(username, template, true)), dataUrl(jpeg)) : template.render(props(username, template, false))),
    extras: async () => ({ overhead: null, before: null, memory: null }),
  });
}

let started = performance.now();
const setup = which === "vercel" ? await vercelSide() : await castcardSide();
const importMs = performance.now() - started;

// First render: renderer construction and font registration included, as a fresh server pays them.
started = performance.now();
const side = await setup();
const first = await side.initials("alice");
const firstMs = performance.now() - started;
const rssFirst = rss();
let made = 1;
const name = () => `user${made++}x${process.pid}`;

const samples = await timed(plan.sequential, () => side.initials(name()));
const perSecond1 = plan.sequential / (samples.reduce((a, b) => a + b, 0) / 1000);
const initials = timing(samples);

const concurrentMs = await pool(plan.concurrent, 4, () => side.initials(name()));
const perSecond4 = plan.concurrent / (concurrentMs / 1000);

await pool(Math.max(0, plan.total - made), 4, () => side.initials(name()));
const rssAfterTotal = rss();

// A new user with a new photo each time (one untimed first: it loads the avatar path's modules).
await side.photo(`photowarm${process.pid}`, `photowarm${process.pid}`);
let photoBytes = 0;
const photoSamples = await timed(plan.photo, async (i) => {
  photoBytes = (await side.photo(`photo${i}x${process.pid}`, `photo${i}x${process.pid}`)).byteLength;
});
const photoConcurrentMs = await pool(plan.photo, 4, (i) => side.photo(`photoc${i}x${process.pid}`, `photoc${i}x${process.pid}`));

const designs: RenderResult["designs"] = {};
for (const template of DESIGNS) {
  const ini = await timed(plan.perDesign, (i) => side.design(template, `${template.id}i${i}`, null));
  const pho = await timed(plan.perDesign, (i) => side.design(template, `${template.id}p${i}`, distinctPhoto(photos, `${template.id}${i}`)));
  designs[template.id] = { initials: timing(ini).p50, photo: timing(pho).p50 };
}

const extras = await side.extras();

const result: RenderResult = {
  importMs,
  firstMs,
  pngBytes: first.byteLength,
  p50: initials.p50,
  p99: initials.p99,
  perSecond1,
  perSecond4,
  rssFirst,
  rssAfterTotal,
  photo: { ...timing(photoSamples), perSecond4: plan.photo / (photoConcurrentMs / 1000), pngBytes: photoBytes },
  designs,
  overhead: extras.overhead ?? null,
  before: extras.before ?? null,
  memory: extras.memory ?? null,
};
console.log(`RESULT ${JSON.stringify(result)}`);
