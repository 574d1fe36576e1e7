import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Browser } from "playwright-core";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESIGNS } from "../../packages/castcard/src/design/index";
import { SAMPLE_USERS } from "../../packages/castcard/src/testing";
import { launchChromium } from "../browser/support";
import { startNextApp, type RunningApp } from "../support/next-app";
import { pngSize } from "../support/png";

// The /preview gallery in the production Next server: off unless PREVIEW=1, and with it every
// template × sample card loads in a real browser. UPDATE_SCREENSHOT=1 also refreshes the
// screenshot in docs/.

describe("preview gallery, PREVIEW=1", () => {
  let app: RunningApp;
  let browser: Browser;
  beforeAll(async () => {
    [app, browser] = await Promise.all([startNextApp({ NODE_ENV: "production", PREVIEW: "1" }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it("lists every template × sample user", async () => {
    const response = await fetch(`${app.url}/preview`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html.match(/<img /g)).toHaveLength(DESIGNS.length * SAMPLE_USERS.length);
    for (const s of SAMPLE_USERS) expect(html).toContain(s.label.replace(/&/g, "&#38;"));
  });

  it("serves each card as a 1200×800 PNG, uncached; bad ids get a 400", async () => {
    const response = await fetch(`${app.url}/preview/card?template=split&sample=broken-avatar`);
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(response.headers.get("x-castcard-avatar")).toBe("fallback");
    expect(pngSize(new Uint8Array(await response.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    expect((await fetch(`${app.url}/preview/card?template=nope&sample=latin`)).status).toBe(400);
  });

  it("loads every card in Chromium", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(`${app.url}/preview`);
    await page.waitForFunction(() => Array.from(document.images).every((i) => i.complete), null, { timeout: 60_000 });
    const sizes = await page.evaluate(() => Array.from(document.images, (i) => i.naturalWidth));
    expect(sizes).toHaveLength(DESIGNS.length * SAMPLE_USERS.length);
    expect(sizes.every((w) => w === 1200)).toBe(true);
    if (process.env.UPDATE_SCREENSHOT === "1") {
      const dir = join(import.meta.dirname, "../../docs");
      mkdirSync(dir, { recursive: true });
      const shot = await page.screenshot({ fullPage: true });
      await sharp(shot).png({ palette: true, colours: 256, compressionLevel: 9 }).toFile(join(dir, "preview-gallery.png"));
    }
    await page.close();
  }, 90_000);
});

describe("preview gallery in production without PREVIEW", () => {
  let app: RunningApp;
  beforeAll(async () => {
    // Vitest sets NODE_ENV=test, which the app would take for development.
    app = await startNextApp({ NODE_ENV: "production" });
  });
  afterAll(() => app?.stop());

  it("does not exist: 404 for the page and its cards", async () => {
    expect((await fetch(`${app.url}/preview`)).status).toBe(404);
    expect((await fetch(`${app.url}/preview/card?template=seed&sample=latin`)).status).toBe(404);
  });
});
