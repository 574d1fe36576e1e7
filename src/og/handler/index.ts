import type { ReactElement } from "react";
import { createAvatarFetcher, type AvatarFetcher, type AvatarPolicy } from "../avatar/index";
import { initialsAvatar } from "../avatar/initials";
import { Card, type CardProps } from "../card/index";
import { loadDefaultFonts, type FontFile } from "../fonts/index";
import { parseCardParams, type CardParams } from "../params/index";
import { createCardRenderer } from "../render/index";

export type CardTemplate = (props: CardProps) => ReactElement;

/** One line per notable event; the reason for a fallback goes here, never into a response. */
export type OgLogger = (entry: { event: string; [key: string]: unknown }) => void;

export interface OgHandlerOptions {
  /** Fonts to register; defaults to Inter regular and bold. */
  fonts?: FontFile[];
  /** The card design; defaults to Castcard's. */
  template?: CardTemplate;
  /** Who may be fetched as an avatar, or a fetcher of your own. Defaults to public https only. */
  avatar?: AvatarPolicy | AvatarFetcher;
  brand?: string;
  subtitle?: string;
  log?: OgLogger;
}

export type OgHandler = ((request: Request) => Promise<Response>) & {
  /** Resolves when fonts and renderer are ready, so the first request pays nothing extra. */
  ready: Promise<void>;
  /** Figures for health checks (cache and queue sizes, counters). */
  stats: () => Record<string, unknown>;
};

export const CACHE_IMMUTABLE = "public, immutable, no-transform, max-age=31536000";
export const CACHE_FALLBACK = "public, max-age=60";

/** GET /api/og: parameters → avatar → card → PNG `Response`. */
export function createOgHandler(options: OgHandlerOptions = {}): OgHandler {
  const renderer = createCardRenderer(options.fonts ?? loadDefaultFonts());
  const fetchAvatar =
    typeof options.avatar === "function" ? options.avatar : createAvatarFetcher(options.avatar ?? { allowPrivate: false, hosts: null });
  const template = options.template ?? Card;
  const brand = options.brand ?? "Castcard";
  const subtitle = options.subtitle ?? "made a Castcard";
  const log = options.log ?? (() => {});

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text(405, "Method not allowed", { allow: "GET, HEAD" });
    }
    const parsed = parseCardParams(new URL(request.url).searchParams);
    if (!parsed.ok) return text(400, `Bad request: ${parsed.message}`);
    const { params } = parsed;

    const started = performance.now();
    let avatar: { png: Buffer } | null = null;
    let fallbackReason: string | null = parsed.invalidImage ? "invalid-url" : null;
    if (params.image) {
      const result = await fetchAvatar(params.image);
      if (result.ok) avatar = { png: result.png };
      else fallbackReason = result.reason;
    }
    const fetched = performance.now();

    let png: Buffer;
    try {
      png = await renderer.render(cardElement(template, params, avatar !== null, brand, subtitle), avatar?.png ?? null);
    } catch (error) {
      log({ event: "render-failed", error: error instanceof Error ? error.message : String(error) });
      return text(500, "Could not render the image");
    }
    const rendered = performance.now();
    if (fallbackReason) log({ event: "avatar-fallback", reason: fallbackReason });

    return new Response(request.method === "HEAD" ? null : new Uint8Array(png), {
      status: 200,
      headers: {
        "content-type": "image/png",
        "content-length": String(png.byteLength),
        // A fallback card may become the real one on a later scrape: keep it short-lived.
        "cache-control": fallbackReason ? CACHE_FALLBACK : CACHE_IMMUTABLE,
        "server-timing": `avatar;dur=${(fetched - started).toFixed(1)}, render;dur=${(rendered - fetched).toFixed(1)}`,
        "x-castcard-avatar": fallbackReason ? "fallback" : params.image ? "image" : "initials",
      },
    });
  };
  const stats = () => ({});
  return Object.assign(handler, { ready: renderer.ready, stats });
}

function cardElement(template: CardTemplate, params: CardParams, hasAvatar: boolean, brand: string, subtitle: string) {
  return template({
    username: params.username,
    avatar: hasAvatar ? { kind: "image" } : { kind: "initials", ...initialsAvatar(params.username) },
    brand,
    subtitle,
  });
}

export function text(status: number, body: string, headers: Record<string, string> = {}): Response {
  return new Response(body, {
    status,
    headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}
