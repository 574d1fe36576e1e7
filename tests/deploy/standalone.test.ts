import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DESIGNS } from "../../packages/castcard/src/design/index";
import { SAMPLE_USERS, sampleQuery } from "../../packages/castcard/src/testing";
import { startNextApp, TEST_DIST_DIR, type RunningApp } from "../support/next-app";
import { startTestPostgres, type TestPostgres } from "../support/postgres";
import { assertNoNodeModulesAbove, copyAlone, folderBytes, startIn, type Started } from "./support";

// `npm run build` leaves a self-contained server in <distDir>/standalone/. Copied alone to a
// temporary folder (no node_modules above it, links checked not to lead back to the checkout) and
// started with `node server.js`, it must serve what the checkout's own server serves, byte for byte.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const STATS_TOKEN = "standalone-test-stats-token";
const auth = { authorization: `Bearer ${STATS_TOKEN}` };

// Every script the package draws, and emoji of every kind, beside the gallery's sample users.
const EXTRA_NAMES = ["Ωμέγα_Наташа", "রবীন্দ্র", "தமிழ்செல்வன்", "తెలుగు", "臺灣林志玲", "♞⠿☂", "1️⃣#️⃣🐦‍🔥👍🏿"];
const USERS = [...SAMPLE_USERS.map((u) => ({ username: u.username, displayName: u.displayName, user: u })), ...EXTRA_NAMES.map((username) => ({ username, displayName: undefined, user: SAMPLE_USERS[0]! }))];

let dir: string;
let app: string;
let standalone: Started;
let checkout: RunningApp;
const others: Array<{ stop: () => Promise<void> }> = [];

const env = (extra: Record<string, string> = {}) => ({ STATS_TOKEN, DATA_DIR: join(dir, "data"), ...extra });
const startStandalone = (extra: Record<string, string> = {}) => startIn(app, process.execPath, ["server.js"], env(extra));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "castcard-standalone-"));
  assertNoNodeModulesAbove(dir);
  app = join(dir, "app");
  copyAlone(join(ROOT, TEST_DIST_DIR, "standalone"), app);
  [standalone, checkout] = await Promise.all([startStandalone(), startNextApp({ STATS_TOKEN, DATA_DIR: join(dir, "checkout-data") })]);
}, 180_000);

afterAll(async () => {
  await Promise.all([standalone?.stop(), checkout?.stop(), ...others.map((o) => o.stop())]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function bytes(url: string): Promise<{ status: number; type: string | null; body: Buffer }> {
  const res = await fetch(url);
  return { status: res.status, type: res.headers.get("content-type"), body: Buffer.from(await res.arrayBuffer()) };
}

/** The same path from both servers: both answer 200 with the same bytes. */
async function same(path: string) {
  const [a, b] = await Promise.all([bytes(`${standalone.url}${path}`), bytes(`${checkout.url}${path}`)]);
  expect(a.status, `${path} from the copy`).toBe(200);
  expect(b.status, `${path} from the checkout`).toBe(200);
  expect(a.type, path).toBe(b.type);
  expect(a.body.equals(b.body), `${path}: different bytes`).toBe(true);
  return a;
}

const cardPath = (query: Record<string, string | undefined>) => {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) q.set(k, v);
  return `/api/og?${q}`;
};

describe("the standalone folder, copied alone", () => {
  it("is small enough for a serverless function and carries nothing from tests, docs or bench", () => {
    const size = folderBytes(app);
    expect(size).toBeLessThan(150 * 1024 * 1024);
    const top = readdirSync(app);
    for (const name of ["tests", "docs", "bench", "packages", "app", "scripts"]) expect(top, name).not.toContain(name);
  });

  it("draws every script and emoji the package draws byte-identical to the checkout's server, at both sizes", async () => {
    for (const size of ["embed", "og"]) {
      for (const { username, displayName } of USERS) {
        const card = await same(cardPath({ username, displayName, size }));
        expect(card.type).toBe("image/png");
      }
    }
  }, 600_000);

  it("draws every built-in design at both sizes byte-identical to the checkout's server", async () => {
    for (const design of DESIGNS) {
      for (const size of ["embed", "og"]) {
        for (const { username, displayName, user } of USERS.slice(0, 12)) {
          await same(cardPath({ username, displayName, template: design.id, size, fid: "1234", ...sampleQuery(design, user) }));
        }
      }
    }
  }, 600_000);

  it("serves the icon, the splash, the share page and the manifest as the checkout does", async () => {
    await same("/icon.png");
    await same("/splash.png");
    const origins = (text: string, url: string) => text.replaceAll(url, "ORIGIN");
    for (const path of ["/share?username=alice&displayName=Alice", "/.well-known/farcaster.json"]) {
      const [a, b] = await Promise.all([fetch(`${standalone.url}${path}`), fetch(`${checkout.url}${path}`)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      expect(origins(await a.text(), standalone.url)).toBe(origins(await b.text(), checkout.url));
    }
  });

  it("serves the Mini App page with every script and stylesheet it loads, and public/", async () => {
    const res = await fetch(`${standalone.url}/`);
    expect(res.status).toBe(200);
    const html = await res.text();
    const assets = [...new Set([...html.matchAll(/(?:src|href)="(\/_next\/static\/[^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, "&")))];
    expect(assets.filter((a) => a.endsWith(".js")).length).toBeGreaterThan(0);
    for (const asset of assets) await same(asset);
    const publicDir = join(ROOT, "public");
    if (existsSync(publicDir)) {
      for (const entry of readdirSync(publicDir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const path = `/${join(entry.parentPath, entry.name).slice(publicDir.length + 1)}`;
        expect((await bytes(`${standalone.url}${path}`)).body.equals(readFileSync(join(publicDir, path))), path).toBe(true);
      }
    }
  });

  it("records shares and events on SQLite under DATA_DIR, and shows them on /api/stats and /stats", async () => {
    await recordsAndShows(standalone.url);
    expect(existsSync(join(dir, "data", "castcard.sqlite"))).toBe(true);
  });

  it("records on PostgreSQL with DATABASE_URL", async () => {
    const postgres: TestPostgres = await startTestPostgres();
    others.push(postgres);
    const server = await startStandalone({ DATABASE_URL: postgres.url, DATA_DIR: join(dir, "unused") });
    others.unshift(server);
    await recordsAndShows(server.url);
    expect(server.logs()).toContain('"store":"postgres"');
    expect(existsSync(join(dir, "unused", "castcard.sqlite"))).toBe(false);
  }, 180_000);

  it("on a read-only filesystem without DATABASE_URL, warns once and serves cards without analytics", async () => {
    // A DATA_DIR that cannot be made or written, as on a serverless function's read-only disk (a
    // folder under a file: the checks fail as they do on a read-only mount, even for root).
    const file = join(dir, "a-file");
    writeFileSync(file, "");
    const server = await startStandalone({ DATA_DIR: join(file, "data") });
    others.unshift(server);
    const minted = (await (await post(server.url, "/api/share", { fid: 5, username: "carol" })).json()) as { shareId?: string | null; imageUrl: string };
    expect(minted.shareId ?? null).toBeNull();
    const card = await bytes(minted.imageUrl);
    expect([card.status, card.type]).toEqual([200, "image/png"]);
    expect(server.logs()).toMatch(/DATA_DIR \(.*\) cannot be written.*: nothing is recorded/);
  }, 120_000);
});

const post = (base: string, path: string, body: unknown) =>
  fetch(`${base}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function recordsAndShows(url: string) {
  const minted = (await (await post(url, "/api/share", { fid: 42, username: "dana", design: "split" })).json()) as { shareId: string };
  expect(minted.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect((await post(url, "/api/events", { type: "cast", share: minted.shareId, hash: `0x${"ab".repeat(20)}` })).status).toBe(204);
  const stats = await fetch(`${url}/api/stats`, { headers: auth });
  expect(stats.status).toBe(200);
  const body = JSON.stringify(await stats.json());
  expect(body).toContain("split");
  const page = await fetch(`${url}/stats`, { headers: auth });
  expect(page.status).toBe(200);
  expect(await page.text()).toContain("<svg");
}
