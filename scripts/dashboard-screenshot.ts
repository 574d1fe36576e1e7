// Makes docs/analytics-dashboard.png: the /stats page over a month of made-up shares, at phone width,
// in headless Chromium. `npx tsx scripts/dashboard-screenshot.ts` (needs /usr/bin/chromium or CHROMIUM_PATH).
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium } from "playwright-core";
import { createAnalytics, openStore, type EventRecord, type ShareRecord } from "../packages/castcard/src/analytics/index";

const dir = mkdtempSync(join(tmpdir(), "castcard-shot-"));
const DAY = 86_400_000;
const now = Date.now();
let seed = 7;
const rnd = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
// Each design with its own appeal: how often it is cast, and how many opens a cast brings.
const designs = { seed: [0.55, 9], split: [0.4, 6], poster: [0.7, 14], member: [0.3, 4] } as const;
const shares: ShareRecord[] = [];
const events: EventRecord[] = [];
let n = 0;
for (const [design, [castRate, opens]] of Object.entries(designs)) {
  for (let i = 0; i < 60; i++) {
    const at = now - Math.floor(Math.pow(rnd(), 0.7) * 29 * DAY);
    const id = `demo${(n++).toString(36).padStart(18, "0")}`;
    shares.push({ id, fid: 100 + Math.floor(rnd() * 50_000), design, at });
    if (rnd() < castRate) {
      events.push({ type: "cast", share: id, design, at: at + 60_000, hash: `0x${Math.floor(rnd() * 2 ** 48).toString(16).padStart(40, "0")}` });
      const count = Math.floor(rnd() * rnd() * opens * 4);
      for (let j = 0; j < count; j++) {
        events.push({ type: "launch", share: id, design, at: Math.min(now, at + Math.floor(rnd() * 3 * DAY)), viewerFid: 1 + Math.floor(rnd() * 3000), castHash: null, castFid: null });
      }
    } else if (rnd() < 0.5) events.push({ type: "cancel", share: id, design, at: at + 30_000 });
  }
}
const store = openStore({ kind: "sqlite", file: join(dir, "castcard.sqlite") });
await store.migrate();
await store.write(shares, events);
await store.close();

const analytics = createAnalytics({ dataDir: dir });
await analytics.ready;
const html = await (await analytics.dashboard(new Request("http://localhost/stats"))).text();
await analytics.close();
writeFileSync(join(dir, "stats.html"), html);

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
// A phone's width; tall enough for the totals, the designs and the days (the top-50 table goes on below).
const page = await browser.newPage({ viewport: { width: 390, height: 2000 }, deviceScaleFactor: 1 });
await page.goto(`file://${join(dir, "stats.html")}`);
await page.screenshot({ path: new URL("../docs/analytics-dashboard.png", import.meta.url).pathname });
await browser.close();
rmSync(dir, { recursive: true, force: true });
console.log("docs/analytics-dashboard.png written");
