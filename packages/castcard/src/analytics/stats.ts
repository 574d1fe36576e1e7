import { createHash, timingSafeEqual } from "node:crypto";
import { renderDashboard } from "./dashboard";
import type { Stats } from "./db/store";
import { json, text, unavailable } from "./http";

export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 3660;

export interface StatsAccess {
  /** STATS_TOKEN; null: open in development, absent (404) in production. */
  token: string | null;
  production: boolean;
}

const digest = (s: string) => createHash("sha256").update(s, "utf8").digest();

/**
 * Who may read the stats. With a token: `Authorization: Bearer <token>`, or (for a browser, which
 * then shows its password prompt) HTTP Basic with the token as the password and any user name.
 * Compared in constant time (as digests, so the length leaks nothing either).
 */
export function checkAccess(request: Request, access: StatsAccess, { basic }: { basic: boolean }): Response | null {
  if (access.token === null) return access.production ? text(404, "Not found") : null;
  const header = request.headers.get("authorization") ?? "";
  let given: string | null = null;
  const bearer = /^Bearer +(\S{1,1024}) *$/i.exec(header);
  if (bearer) given = bearer[1]!;
  else if (basic) {
    const b = /^Basic +([A-Za-z0-9+/=]{1,2048}) *$/i.exec(header);
    if (b) {
      const decoded = Buffer.from(b[1]!, "base64").toString("utf8");
      const colon = decoded.indexOf(":");
      if (colon >= 0) given = decoded.slice(colon + 1);
    }
  }
  if (given !== null && timingSafeEqual(digest(given), digest(access.token))) return null;
  return text(401, "Unauthorized: the stats need STATS_TOKEN", {
    "www-authenticate": basic ? 'Basic realm="Castcard stats", charset="UTF-8"' : 'Bearer realm="castcard-stats"',
  });
}

/** `?days=N`: the window, in UTC days ending today. */
export function parseDays(url: URL): { ok: true; days: number } | { ok: false; response: Response } {
  const raw = url.searchParams.getAll("days");
  if (raw.length === 0) return { ok: true, days: DEFAULT_DAYS };
  const value = raw[0]!;
  if (raw.length > 1 || !/^[0-9]{1,4}$/.test(value) || Number(value) < 1 || Number(value) > MAX_DAYS) {
    return { ok: false, response: text(400, `Bad request: days: expected a whole number from 1 to ${MAX_DAYS}`) };
  }
  return { ok: true, days: Number(value) };
}

export interface StatsDeps {
  access: StatsAccess;
  available(): boolean;
  stats(days: number): Promise<Stats>;
}

/** GET /api/stats[?days=N]: the counts as JSON. */
export function createStatsRoute(deps: StatsDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed", { allow: "GET, HEAD" });
    const denied = checkAccess(request, deps.access, { basic: false });
    if (denied) return denied;
    const days = parseDays(new URL(request.url));
    if (!days.ok) return days.response;
    if (!deps.available()) return unavailable();
    try {
      return json(200, await deps.stats(days.days));
    } catch {
      return unavailable();
    }
  };
}

export interface DashboardDeps extends StatsDeps {
  appName: string;
  /** Why the store cannot be used, for the page; null while it is still starting. */
  unavailableReason(): string | null;
}

const page = (status: number, body: string) =>
  new Response(body, { status, headers: { "content-type": "text/html; charset=utf-8", "cache-control": "no-store", "x-robots-tag": "noindex" } });

/** GET /stats[?days=N]: the dashboard page (HTTP Basic with the token as password, for a browser). */
export function createDashboardRoute(deps: DashboardDeps): (request: Request) => Promise<Response> {
  return async (request) => {
    if (request.method !== "GET" && request.method !== "HEAD") return text(405, "Method not allowed", { allow: "GET, HEAD" });
    const denied = checkAccess(request, deps.access, { basic: true });
    if (denied) return denied;
    const url = new URL(request.url);
    const days = parseDays(url);
    if (!days.ok) return days.response;
    const render = { appName: deps.appName, days: days.days, path: url.pathname };
    if (!deps.available()) {
      const reason = deps.unavailableReason() ?? "The analytics store is starting or cannot be reached yet; try again shortly.";
      return page(503, renderDashboard(null, { ...render, unavailable: reason || "The analytics store is not available." }));
    }
    try {
      return page(200, renderDashboard(await deps.stats(days.days), render));
    } catch {
      return page(503, renderDashboard(null, { ...render, unavailable: "The analytics store cannot be read right now; try again shortly." }));
    }
  };
}
