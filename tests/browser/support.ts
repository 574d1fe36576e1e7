import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { chromium, type Browser, type Frame, type FrameLocator, type Locator, type Page } from "playwright-core";
import { hostPath, type ComposeMode, type HostConfig, type RecordedCall, type SignInMode } from "./host/protocol";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
// The host library's ESM is for bundlers, so the host page gets one bundled script.
const HOST_ENTRY = fileURLToPath(new URL("./host/host.ts", import.meta.url));
export const SCREENSHOT_DIR = fileURLToPath(new URL("../../test-results/screenshots/", import.meta.url));

const HOST_HTML = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Castcard test host</title>
<style>
  body { margin: 0; padding: 24px; display: flex; gap: 24px; background: #17101f; color: #eee; font: 14px/1.4 system-ui, sans-serif; }
  #phone { position: relative; width: 424px; height: 695px; border-radius: 18px; overflow: hidden; box-shadow: 0 0 0 6px #333; background: #fff; }
  #phone iframe { display: block; border: 0; }
  #splash[hidden] { display: none; }
  #splash { position: absolute; inset: 0; background: #2D1B69; display: flex; align-items: center; justify-content: center; color: #fff; font-size: 20px; }
  #calls { width: 300px; }
  #calls h2 { font-size: 14px; margin: 0 0 8px; color: #aaa; font-weight: 600; }
  #log { margin: 0; padding-left: 18px; font: 12px/1.5 ui-monospace, monospace; word-break: break-all; }
</style></head>
<body>
  <div id="phone"><div id="splash">Loading Castcard…</div></div>
  <section id="calls"><h2>Calls the host received</h2><ol id="log"></ol></section>
  <script src="/host.js"></script>
</body></html>`;

/** Serves the test host page on its own 127.0.0.1 port: another origin than the app's. */
export async function startHostServer() {
  const bundle = await build({
    entryPoints: [HOST_ENTRY],
    bundle: true,
    write: false,
    format: "iife",
    platform: "browser",
    target: "chrome120",
    define: { "process.env.NODE_ENV": '"production"' },
    logLevel: "silent",
  });
  const script = bundle.outputFiles[0]!.text;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0];
    if (path === "/") res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(HOST_HTML);
    else if (path === "/host.js") res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Debian's Chromium with the flags from the Farcaster notes; Playwright gives it a fresh profile directory. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export interface HostSession {
  page: Page;
  /** The Mini App inside the host's iframe. */
  app: FrameLocator;
  appFrame: () => Promise<Frame>;
  calls: (method?: string) => Promise<RecordedCall[]>;
  setCompose: (mode: ComposeMode) => Promise<void>;
  setSignIn: (mode: SignInMode) => Promise<void>;
  close: () => Promise<void>;
}

/** Opens the host page in a fresh browser context, which loads the app in its iframe. */
export async function openInHost(browser: Browser, hostUrl: string, config: HostConfig): Promise<HostSession> {
  const context = await browser.newContext({ viewport: { width: 820, height: 745 } });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  await page.goto(`${hostUrl}${hostPath(config)}`);
  return {
    page,
    app: page.frameLocator("#app"),
    appFrame: async () => (await (await page.waitForSelector("#app")).contentFrame())!,
    calls: async (method) => {
      const all = await page.evaluate(() => (window as unknown as { castcardHost: { calls: RecordedCall[] } }).castcardHost.calls);
      return method ? all.filter((c) => c.method === method) : all;
    },
    setCompose: (mode) =>
      page.evaluate((m) => (window as unknown as { castcardHost: { setCompose(mode: ComposeMode): void } }).castcardHost.setCompose(m), mode),
    setSignIn: (mode) =>
      page.evaluate((m) => (window as unknown as { castcardHost: { setSignIn(mode: SignInMode): void } }).castcardHost.setSignIn(m), mode),
    close: () => context.close(),
  };
}

/** Waits until an <img> has finished loading (or failed) and returns its natural size and source. */
export async function loadedImage(img: Locator) {
  await img.waitFor();
  return img.evaluate(
    (el) =>
      new Promise<{ width: number; height: number; src: string }>((resolve) => {
        const image = el as HTMLImageElement;
        const done = () => resolve({ width: image.naturalWidth, height: image.naturalHeight, src: image.currentSrc });
        if (image.complete) return done();
        image.addEventListener("load", done, { once: true });
        image.addEventListener("error", done, { once: true });
      }),
  );
}

export function saveScreenshot(name: string, bytes: Buffer | Uint8Array) {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  writeFileSync(`${SCREENSHOT_DIR}${name}`, bytes);
}
