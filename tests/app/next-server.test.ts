import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";
import { version as packageVersion } from "../../package.json";

// The real production server (`next build` + `next start`), as `npm start` runs it.
let app: RunningApp;
beforeAll(async () => {
  app = await startNextApp();
});
afterAll(() => app?.stop());

describe("the Next app in production mode", () => {
  it("serves /api/og as a 1200×800 PNG with one Cache-Control header and Server-Timing", async () => {
    const res = await fetch(`${app.url}/api/og?username=alice`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    // Two Cache-Control headers would be joined with a comma here; feeds mishandle them.
    expect(res.headers.get("cache-control")).toBe("public, immutable, no-transform, max-age=31536000");
    expect(res.headers.get("server-timing")).toMatch(/render;dur=/);
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
  });

  it("mints share URLs on its APP_URL whose image renders", async () => {
    const res = await fetch(`${app.url}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fid: 1, username: "bob", pfpUrl: null }),
    });
    expect(res.status).toBe(200);
    const { imageUrl, shareUrl } = (await res.json()) as { imageUrl: string; shareUrl: string };
    expect(imageUrl.startsWith(`${app.url}/api/og?`)).toBe(true);
    expect(shareUrl.startsWith(`${app.url}/share?`)).toBe(true);
    const page = await fetch(shareUrl);
    expect(await page.text()).toContain('<meta name="fc:miniapp"');
    const image = await fetch(imageUrl);
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    // Without SHARE_SECRET the endpoint is open, and start-up said so, once.
    expect(app.logs().match(/POST \/api\/share is open/g)).toHaveLength(1);
  });

  it("serves the manifest, the icon (1024×1024) and the splash image (200×200)", async () => {
    const manifest = (await (await fetch(`${app.url}/.well-known/farcaster.json`)).json()) as { miniapp: { iconUrl: string; splashImageUrl: string } };
    const icon = new Uint8Array(await (await fetch(manifest.miniapp.iconUrl)).arrayBuffer());
    const splash = new Uint8Array(await (await fetch(manifest.miniapp.splashImageUrl)).arrayBuffer());
    expect(pngSize(icon)).toEqual({ width: 1024, height: 1024 });
    expect(icon[25]).toBe(2); // colour type 2: RGB, no alpha channel
    expect(pngSize(splash)).toEqual({ width: 200, height: 200 });
  });

  it("answers /healthz with uncached JSON figures, like the image service", async () => {
    await fetch(`${app.url}/api/og?username=health`);
    const res = await fetch(`${app.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as { status: string; version: string; renderCache: { entries: number } };
    expect(body.status).toBe("ok");
    expect(body.version).toBe(packageVersion);
    expect(body.renderCache.entries).toBeGreaterThan(0);
  });

  it("serves the home page with both embed dialects and an og:image that really is the 1200×630 it declares", async () => {
    const html = await (await fetch(`${app.url}/`)).text();
    expect(html).toContain('name="fc:miniapp"');
    expect(html).toContain('name="fc:frame"');
    expect(html).toContain("Castcard");
    const property = (id: string) => html.match(new RegExp(`<meta (?:property|name)="${id}" content="([^"]*)"`))?.[1]?.replace(/&amp;/g, "&");
    const declared = { width: Number(property("og:image:width")), height: Number(property("og:image:height")) };
    expect(declared).toEqual({ width: 1200, height: 630 });
    expect(property("twitter:card")).toBe("summary_large_image");
    const image = await fetch(property("og:image")!);
    expect(image.status).toBe(200);
    expect(pngSize(new Uint8Array(await image.arrayBuffer()))).toEqual(declared);
  });
});

describe("npm start", () => {
  it("refuses a production start without APP_URL, in one line, before building anything", () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
    delete env.APP_URL;
    delete env.NEXT_PUBLIC_URL;
    const result = spawnSync(process.execPath, ["scripts/start.mjs"], { env, encoding: "utf8", timeout: 20_000 });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/APP_URL is not set/);
  });
});
