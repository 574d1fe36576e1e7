import type { CastcardConfig } from "../config/index";
import { createOgHandler, text, type OgHandler, type OgHandlerOptions } from "../handler/index";
import { createSigner, parseSignedCardParams } from "../sign/index";
import { manifest, mintShareUrls, sharePageHtml } from "../share/index";
import { createShareRoute } from "./share-route";

export interface Castcard {
  config: CastcardConfig;
  /** GET /api/og */
  og: OgHandler;
  /** POST /api/share */
  share: (request: Request) => Promise<Response>;
  /** GET /share: a plain HTML share page (the Next app renders its own). */
  sharePage: (request: Request) => Promise<Response>;
  /** GET /.well-known/farcaster.json */
  manifest: (request: Request) => Promise<Response>;
  /** GET /healthz: version, uptime and the handler's cache and queue figures, never cached. */
  health: (request: Request) => Promise<Response>;
  /** Every route above behind one Web-standard handler, for servers without a router. */
  fetch: (request: Request) => Promise<Response>;
  ready: Promise<void>;
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });

export interface CastcardOptions extends Omit<OgHandlerOptions, "avatar"> {
  /** Reported by /healthz; the service passes package.json's. */
  version?: string;
}

/** Wires configuration into every route. Each front (Next, the service, a library user) calls this once. */
export function createCastcard(config: CastcardConfig, options: CastcardOptions = {}): Castcard {
  const startedAt = performance.now();
  const og = createOgHandler({
    ...options,
    avatar: config.avatar,
    cache: { renderBytes: config.renderCacheBytes, ...options.cache },
    secrets: config.shareSecrets,
  });
  const signer = createSigner(config.shareSecrets);

  const share = createShareRoute(config, { og, log: options.log });

  const sharePage = async (request: Request) => {
    const parsed = parseSignedCardParams(signer, new URL(request.url).searchParams);
    if (!parsed.ok) return text(parsed.status, parsed.message);
    const urls = mintShareUrls(config, parsed.params);
    return new Response(sharePageHtml(config, parsed.params, urls), {
      headers: { "content-type": "text/html; charset=utf-8", "cache-control": "public, max-age=300" },
    });
  };

  const manifestRoute = async () => json(200, manifest(config), { "cache-control": "public, max-age=300" });

  const health = async () =>
    json(200, {
      status: "ok",
      version: options.version ?? null,
      uptimeSeconds: Math.round((performance.now() - startedAt) / 1000),
      ...og.stats(),
    });

  const routes: Record<string, (request: Request) => Promise<Response>> = {
    "/healthz": health,
    "/api/og": og,
    "/api/share": share,
    "/share": sharePage,
    "/.well-known/farcaster.json": manifestRoute,
  };

  return {
    config,
    og,
    share,
    sharePage,
    manifest: manifestRoute,
    health,
    ready: og.ready,
    fetch: async (request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request) : text(404, "Not found");
    },
  };
}
