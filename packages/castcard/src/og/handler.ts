// GET /api/og, the thin front of the image pipeline: method, query → Card (the url module), the
// pipeline, the response. Remembers raw query strings it has answered, so a repeat skips parsing.
import { LRUCache } from "lru-cache";
import { text } from "../http/respond";
import type { Card, CardUrls } from "../url/index";
import { createCardPipeline, type PipelineOptions, type PipelineResult } from "./pipeline";
import { cardAnswer, cardResponse, type CardHit } from "./response";

export type OgHandlerOptions = PipelineOptions;

export type OgHandler = ((request: Request) => Promise<Response>) & {
  /** Resolves when fonts and renderer are ready, so the first request pays nothing extra. */
  ready: Promise<void>;
  /**
   * For a front that answers cache hits itself (the image service): the cached card for a query
   * string (what follows "?") this handler has already answered, checked and parsed; undefined
   * for anything else, which then goes through the handler as usual. Counts as a hit.
   */
  cachedHit: (rawQuery: string, ifNoneMatch: string | null) => CardHit | undefined;
  /** The finished card for a card already parsed or minted: no URL is read again. */
  render: (card: Card) => Promise<PipelineResult>;
  /**
   * Renders a minted card ahead of its first request (the scrape that follows a cast), and
   * remembers its signed query, so that request is a hit. Resolves to false when it could not.
   */
  warm: (card: Card) => Promise<boolean>;
  /** Figures for health checks (cache and queue sizes, counters). */
  stats: () => Record<string, unknown>;
  /** The card URL module this handler parses and verifies with. */
  urls: CardUrls;
};

/** How many raw query strings are remembered against the card key they parsed to, and in how many characters at most. */
const QUERY_ALIASES = 10_000;
const QUERY_ALIAS_CHARS = 4 * 1024 * 1024;
/** Longer queries are parsed every time rather than remembered. */
const MAX_ALIASED_QUERY = 2048;

/** GET /api/og: parameters → avatar → card → PNG `Response`. */
export function createOgHandler(options: OgHandlerOptions = {}): OgHandler {
  const pipeline = createCardPipeline(options);
  const { urls } = pipeline;

  // A query string already answered maps straight to its card key: a hit then skips the
  // parsing, the signature check (same bytes, same verdict) and the canonical query.
  const aliases = new LRUCache<string, string>({
    max: QUERY_ALIASES,
    maxSize: QUERY_ALIAS_CHARS,
    sizeCalculation: (key, query) => query.length + key.length,
  });
  const remember = (rawQuery: string, key: string) => {
    if (rawQuery.length <= MAX_ALIASED_QUERY) aliases.set(rawQuery, key);
  };
  const knownCard = (rawQuery: string) => {
    const key = aliases.get(rawQuery);
    return key === undefined ? undefined : pipeline.cached(key);
  };

  const respond = (request: Request, result: PipelineResult): Response => {
    if (!result.ok) return text(result.status, result.message, result.headers);
    const { response, notModified } = cardResponse(request, result.card, result.source);
    if (notModified) pipeline.countNotModified();
    return response;
  };

  const handler = async (request: Request): Promise<Response> => {
    if (request.method !== "GET" && request.method !== "HEAD") {
      return text(405, "Method not allowed", { allow: "GET, HEAD" });
    }
    const at = request.url.indexOf("?");
    const rawQuery = at < 0 ? "" : request.url.slice(at + 1);
    const known = knownCard(rawQuery);
    if (known) return respond(request, { ok: true, card: known, source: "hit" });
    // The signature and every value are checked here, before the cache, any fetch or any render.
    const parsed = urls.parse(new URL(request.url).searchParams);
    if (!parsed.ok) return text(parsed.status, parsed.message);
    // An invalid image URL drops out of the canonical query but still makes a fallback card.
    const key = pipeline.keyOf(parsed.card, parsed.canonical, parsed.invalidImage);
    remember(rawQuery, key);
    return respond(request, await pipeline.render(parsed.card, { key, invalidImage: parsed.invalidImage }));
  };

  const warm = async (card: Card) => {
    const key = pipeline.keyOf(card, urls.canonical(card), false);
    const result = await pipeline.render(card, { key, invalidImage: false }).catch(() => null);
    if (result?.ok) remember(urls.query(card), key);
    return result?.ok ?? false;
  };

  const cachedHit = (rawQuery: string, ifNoneMatch: string | null): CardHit | undefined => {
    const card = knownCard(rawQuery);
    if (!card) return undefined;
    const answer = cardAnswer(card, "hit", ifNoneMatch);
    if (answer.status === 304) pipeline.countNotModified();
    return answer;
  };

  // The first real response then pays none of the lazy loading of Response and its body.
  const ready = pipeline.ready.then(() => new Response(new Uint8Array(1), { headers: { "content-type": "image/png" } }).arrayBuffer()).then(() => undefined);

  return Object.assign(handler, { ready, cachedHit, render: (card: Card) => pipeline.render(card), warm, stats: pipeline.stats, urls });
}
