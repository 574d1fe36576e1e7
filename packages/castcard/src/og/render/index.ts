import { readFile } from "node:fs/promises";
import { Renderer, type ImageSource } from "@takumi-rs/core";
import { fromJsx } from "@takumi-rs/helpers/jsx";
import type { ReactElement } from "react";
import { initialsAvatar } from "../../design/initials";
import { AVATAR_SRC, cardSize, layoutAt, type CardData, type CardProps, type CardSize, type CardSizeId, type Design, type RichText } from "../../design/index";
import { createTwemoji, type EmojiSet, type TextSegment } from "../emoji/index";
import { createWorldFonts, type FontFile, type FontSlice, type WorldFonts } from "../fonts/index";
import { fitName } from "./fit";
import { foldUndrawable, richText } from "./prepare";

export interface CardRendererOptions {
  /** Fonts for every script beyond the defaults, registered slice by slice on first need. False: none. */
  worldFonts?: WorldFonts | false;
  /** Colour emoji drawn as images. False: emoji are left to the fonts (and mostly missing). */
  emoji?: EmojiSet | false;
}

/** What a card says, before any layout. */
export interface CardInput {
  username: string;
  /** Shown prominently, with "@username" smaller beneath, when given. */
  displayName?: string | null;
  fid?: number | null;
  /** The design's parsed fields. */
  data?: CardData;
  /** True: the avatar bytes are passed to render and drawn under AVATAR_SRC. */
  hasAvatar: boolean;
  brand: string;
  subtitle: string;
  /** The app's colour (`#RRGGBB`) for the design's accent; null or absent: the design's own colours. */
  accent?: string | null;
  /** Which size to lay out and draw at; default `embed` (1200×800). */
  size?: CardSizeId;
}

/** Texts made ready to draw: fonts registered for them, emoji split out and their pictures loaded. */
interface ReadyTexts {
  rich: Record<string, RichText>;
  images: ImageSource[];
  fontFamilies: string[];
}

/** A card laid out and ready to draw: the design's props and what the renderer needs for them. */
export interface PreparedCard {
  props: CardProps;
  images: ImageSource[];
  fontFamilies: string[];
}

export interface CardRenderer {
  /** Resolves once the default fonts are registered; render() waits for it too. */
  ready: Promise<void>;
  /** Fonts registered on demand, emoji loaded: lays the card out, then calls the design. */
  prepare(design: Design, input: CardInput): Promise<PreparedCard>;
  /** Lays out and renders one card to PNG. Rejects (never crashes the process) when rendering fails. */
  renderCard(design: Design, input: CardInput, avatarPng: Uint8Array | null): Promise<Buffer>;
  /** Renders any element with the default fonts (and, optionally, extra images and font families). */
  render(element: ReactElement, avatarPng: Uint8Array | null, extra?: { images?: ImageSource[]; fontFamilies?: string[] }): Promise<Buffer>;
  /**
   * Renders an element of any size that draws `texts` (keyed as you like), with fonts and emoji
   * made ready for them first, as for a card: the app's icon and splash image.
   */
  renderImage(texts: Record<string, string>, build: (rich: Record<string, RichText>) => ReactElement, size: { width: number; height: number }): Promise<Buffer>;
  /** Width of an element laid out with no width limit, as the name fitting measures it. */
  measure(element: ReactElement, extra?: { images?: ImageSource[]; fontFamilies?: string[] }): Promise<number>;
  /** How many script font slices are registered so far. */
  stats(): { fontSlices: number };
}

export function createCardRenderer(fonts: FontFile[], options: CardRendererOptions = {}): CardRenderer {
  const renderer = new Renderer();
  const world = options.worldFonts === false ? null : (options.worldFonts ?? createWorldFonts());
  const emoji = options.emoji === false ? null : (options.emoji ?? createTwemoji());
  // The Renderer constructor ignores fonts; they must be registered one by one.
  const ready = Promise.all(fonts.map((f) => renderer.registerFont({ name: f.name, weight: f.weight, data: f.data }))).then(
    () => undefined,
  );
  const defaultFamilies = [...new Set(fonts.map((f) => f.name))];

  // One registration per slice per process, shared by concurrent requests; a failed read is retried later.
  const slices = new Map<string, Promise<void>>();
  const register = (slice: FontSlice) => {
    let pending = slices.get(slice.id);
    if (!pending) {
      pending = readFile(slice.path)
        .then((data) => renderer.registerFont({ name: slice.family, data, weight: slice.weight, unicodeRange: slice.unicodeRange }))
        .then(() => undefined);
      pending.catch(() => slices.delete(slice.id));
      slices.set(slice.id, pending);
    }
    return pending;
  };

  const draw = async (element: ReactElement, images: ImageSource[], fontFamilies: string[], size: Pick<CardSize, "width" | "height"> = cardSize("embed")) => {
    await ready;
    const { node, css } = await fromJsx(element);
    return renderer.render(node, { width: size.width, height: size.height, format: "png", css, images, fontFamilies });
  };

  const measure = async (element: ReactElement, extra: { images?: ImageSource[]; fontFamilies?: string[] } = {}) => {
    await ready;
    const { node, css } = await fromJsx(element);
    return (await renderer.measure(node, { css, images: extra.images ?? [], fontFamilies: extra.fontFamilies ?? defaultFamilies })).width;
  };

  const readyTexts = async (given: Record<string, string>): Promise<ReadyTexts> => {
    let texts = given;
    let families: string[] = [];
    if (world) {
      const plan = world.plan(Object.values(texts).join("\n"));
      if (plan.uncovered.length) {
        const uncovered = new Set(plan.uncovered);
        texts = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, foldUndrawable(v, uncovered)]));
      }
      await Promise.all(plan.slices.map(register));
      families = plan.families;
    }
    const rich = Object.fromEntries(Object.entries(texts).map(([k, v]) => [k, richText(v, emoji)])) as Record<string, RichText>;
    const images = await loadEmoji(Object.values(rich), emoji);
    return { rich, images, fontFamilies: [...defaultFamilies, ...families] };
  };

  const prepare = async (design: Design, input: CardInput): Promise<PreparedCard> => {
    await ready;
    const displayName = input.displayName || null;
    const initials = initialsAvatar(displayName ?? input.username, input.username);
    const size = cardSize(input.size ?? "embed");
    const layout = layoutAt(design, size.id);
    const handle = `${layout.name.prefix ?? "@"}${input.username}`;
    const data = input.data ?? {};
    const dataStrings = Object.entries(data).filter((e): e is [string, string] => typeof e[1] === "string");
    // Every text the card draws from its input, so fonts and emoji are ready for all of it.
    const { rich, images, fontFamilies } = await readyTexts({
      name: displayName ?? handle,
      handle: displayName ? handle : "",
      initials: initials.initials,
      brand: input.brand,
      subtitle: input.subtitle,
      ...Object.fromEntries(dataStrings.map(([k, v]) => [`data:${k}`, v])),
    });
    const name = await fitName(rich.name!, layout.name, (element) => measure(element, { images, fontFamilies }));
    const props: CardProps = {
      username: input.username,
      displayName,
      fid: input.fid ?? null,
      name,
      handle: displayName ? rich.handle! : null,
      avatar: input.hasAvatar ? { kind: "image" } : { kind: "initials", initials: rich.initials!, color: initials.color },
      brand: rich.brand!,
      subtitle: rich.subtitle!,
      accent: input.accent ?? null,
      data,
      dataText: Object.fromEntries(dataStrings.map(([k]) => [k, rich[`data:${k}`]!])),
      size,
      avatarBox: layout.avatarBox,
    };
    return { props, images, fontFamilies };
  };

  return {
    ready,
    prepare,
    async renderCard(design, input, avatarPng) {
      const { props, images, fontFamilies } = await prepare(design, input);
      // Each avatar is drawn once per card: keeping its decoded pixels in takumi's cache only costs memory.
      if (avatarPng) images.push({ src: AVATAR_SRC, data: avatarPng, cache: "none" });
      return draw(design.render(props), images, fontFamilies, props.size);
    },
    async render(element, avatarPng, extra = {}) {
      const images = [...(extra.images ?? [])];
      if (avatarPng) images.push({ src: AVATAR_SRC, data: avatarPng });
      return draw(element, images, extra.fontFamilies ?? defaultFamilies);
    },
    async renderImage(texts, build, size) {
      await ready;
      const { rich, images, fontFamilies } = await readyTexts(texts);
      return draw(build(rich), images, fontFamilies, size);
    },
    measure,
    stats: () => ({ fontSlices: slices.size }),
  };
}

/**
 * Reads the pictures of every emoji in the texts. An emoji whose picture cannot be read turns back
 * into text in place, so the renderer is never handed a source it does not have.
 */
async function loadEmoji(texts: RichText[], emoji: EmojiSet | null): Promise<ImageSource[]> {
  const wanted = new Set<string>();
  for (const t of texts) for (const s of t.segments) if (s.kind === "emoji") wanted.add(s.src);
  if (!emoji || wanted.size === 0) return [];
  const loaded = new Map<string, Uint8Array | null>();
  await Promise.all([...wanted].map(async (src) => loaded.set(src, await emoji.load(src.slice(src.lastIndexOf("/") + 1)))));
  for (const t of texts) {
    t.segments = t.segments.map((s): TextSegment => (s.kind === "emoji" && !loaded.get(s.src) ? { kind: "text", text: s.alt } : s));
  }
  return [...loaded].filter((e): e is [string, Uint8Array] => e[1] !== null).map(([src, data]) => ({ src, data }));
}
