// One cold load of a Mini App inside the test host (tests/browser/host), in Chromium: a new browser
// context (empty cache), optionally the CPU slowed and the network shaped through the DevTools
// Protocol, then what the app's frame saw, on its own clock (0 = the frame's navigation start).
import { gzipSync } from "node:zlib";
import type { Browser, Frame } from "playwright-core";
import { hostPath, type HostConfig, type RecordedCall } from "../tests/browser/host/protocol";

/** A slow phone: CPU 4× slower, 1.6 Mbps down / 750 kbps up, 150 ms round trip (DevTools' "Slow 4G"). */
export const THROTTLED = { cpuRate: 4, latencyMs: 150, downKbps: 1600, upKbps: 750 };

export interface LoadResult {
  /** JavaScript files transferred (bytes on the wire, headers included) by responses that finished before `ready()`. */
  jsBeforeReady: number;
  /** The page's inline scripts (Next's streamed payload, a launch script), gzipped: they arrive with the HTML. */
  inlineJs: number;
  /** All JavaScript the frame transferred by the end of the load. */
  jsTotal: number;
  /** When the HTML document had fully arrived. */
  htmlMs: number;
  /** When the last script that arrived before `ready()` finished arriving. */
  jsArrivedMs: number;
  readyMs: number;
  /** First contentful paint of the app's frame. */
  fcpMs: number;
  /** The frame's largest contentful paint (its last candidate). */
  lcpMs: number;
  /** The user's card: its bytes on the wire and when they had all arrived (NaN when the app has none). */
  cardBytes: number;
  cardArrivedMs: number;
  /** When the user's own card was painted (Element Timing on the preview), or NaN when the app has none. */
  cardMs: number;
}

// Collected in every frame from its first script on: paints the frame's own code cannot miss.
const OBSERVE = `(() => {
  const seen = (window.__screen = { lcp: [], element: [] });
  try {
    new PerformanceObserver((l) => l.getEntries().forEach((e) => seen.lcp.push(e.renderTime || e.startTime))).observe({ type: "largest-contentful-paint", buffered: true });
    new PerformanceObserver((l) => l.getEntries().forEach((e) => seen.element.push({ id: e.identifier, url: e.url, at: e.renderTime || e.loadTime }))).observe({ type: "element", buffered: true });
  } catch {}
})();`;

interface FrameReport {
  timeOrigin: number;
  html: number;
  fcp: number;
  lcp: number[];
  element: { id: string; url: string; at: number }[];
  resources: { name: string; type: string; end: number; size: number }[];
  inline: string[];
}

async function readFrame(frame: Frame): Promise<FrameReport> {
  return frame.evaluate(() => {
    const w = window as unknown as { __screen: { lcp: number[]; element: { id: string; url: string; at: number }[] } };
    const fcp = performance.getEntriesByType("paint").find((e) => e.name === "first-contentful-paint");
    return {
      timeOrigin: performance.timeOrigin,
      html: (performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming | undefined)?.responseEnd ?? NaN,
      fcp: fcp ? fcp.startTime : NaN,
      lcp: w.__screen.lcp,
      element: w.__screen.element,
      resources: (performance.getEntriesByType("resource") as PerformanceResourceTiming[]).map((r) => ({
        name: r.name,
        type: r.initiatorType,
        end: r.responseEnd,
        size: r.transferSize,
      })),
      inline: [...document.querySelectorAll("script:not([src])")]
        .filter((e) => ["", "text/javascript", "module"].includes(e.getAttribute("type") ?? ""))
        .map((e) => e.textContent ?? ""),
    };
  });
}

const isScript = (r: { name: string; type: string }) => r.type === "script" || /\.m?js(\?|$)/.test(new URL(r.name).pathname);

/**
 * Loads the host page with the app at `appUrl` for `user`, waits for `ready()` and, when `cardFor`
 * is given, for that user's card to be painted (else for the page to settle), and reports.
 */
export async function loadOnce(
  browser: Browser,
  hostUrl: string,
  appUrl: string,
  user: HostConfig["user"],
  options: { throttled: boolean; cardFor?: string; timeoutMs?: number },
): Promise<LoadResult> {
  const context = await browser.newContext({ viewport: { width: 820, height: 745 } });
  try {
    const timeout = options.timeoutMs ?? 60_000;
    context.setDefaultTimeout(timeout);
    await context.addInitScript(OBSERVE);
    const page = await context.newPage();
    if (options.throttled) {
      const cdp = await context.newCDPSession(page);
      await cdp.send("Network.enable");
      await cdp.send("Network.emulateNetworkConditions", {
        offline: false,
        latency: THROTTLED.latencyMs,
        downloadThroughput: (THROTTLED.downKbps * 1000) / 8,
        uploadThroughput: (THROTTLED.upKbps * 1000) / 8,
      });
      await cdp.send("Emulation.setCPUThrottlingRate", { rate: THROTTLED.cpuRate });
    }
    const config: HostConfig = { appUrl, user, compose: "publish" };
    await page.goto(`${hostUrl}${hostPath(config)}`);
    const readCalls = () => page.evaluate(() => (window as unknown as { castcardHost: { calls: RecordedCall[] } }).castcardHost.calls);
    await page.waitForFunction(() => (window as unknown as { castcardHost?: { calls: RecordedCall[] } }).castcardHost?.calls.some((c) => c.method === "ready"), null, { timeout, polling: 50 });
    const frame = page.frames().find((f) => f.url().startsWith(appUrl));
    if (!frame) throw new Error(`no frame for ${appUrl}`);
    if (options.cardFor) {
      const cardFor = options.cardFor;
      await frame.waitForFunction(
        (name) => (window as unknown as { __screen: { element: { url: string }[] } }).__screen.element.some((e) => e.url.includes(`username=${name}&`) || e.url.endsWith(`username=${name}`)),
        cardFor,
        { timeout, polling: 50 },
      );
    }
    // Let the last paints and late scripts land before reading the largest paint.
    await frame.waitForLoadState("load");
    await page.waitForTimeout(options.throttled ? 1500 : 500);
    const [calls, report, hostOrigin] = await Promise.all([readCalls(), readFrame(frame), page.evaluate(() => performance.timeOrigin)]);
    const ready = calls.find((c) => c.method === "ready")!;
    const readyMs = hostOrigin + ready.at - report.timeOrigin;
    const scripts = report.resources.filter(isScript);
    const cardFile = options.cardFor ? report.resources.find((r) => r.name.includes("/api/og?") && new URL(r.name).searchParams.get("username") === options.cardFor) : undefined;
    const card = options.cardFor
      ? report.element.filter((e) => e.id === "card" && new URL(e.url).searchParams.get("username") === options.cardFor).map((e) => e.at)
      : [];
    return {
      jsBeforeReady: scripts.filter((r) => r.end <= readyMs).reduce((sum, r) => sum + r.size, 0),
      htmlMs: report.html,
      inlineJs: gzipSync(report.inline.join("\n")).length,
      jsTotal: scripts.reduce((sum, r) => sum + r.size, 0),
      jsArrivedMs: Math.max(0, ...scripts.filter((r) => r.end <= readyMs).map((r) => r.end)),
      readyMs,
      fcpMs: report.fcp,
      lcpMs: report.lcp.length ? report.lcp[report.lcp.length - 1]! : NaN,
      cardBytes: cardFile?.size ?? NaN,
      cardArrivedMs: cardFile?.end ?? NaN,
      cardMs: card.length ? Math.min(...card) : NaN,
    };
  } finally {
    await context.close();
  }
}
