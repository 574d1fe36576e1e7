// Notifications in real processes: the image service (the package's compiled bin) with a hub
// stand-in and a local notification host. The whole server loop, kill -9 with notifications due,
// and two instances on one PostgreSQL sending each notification once.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeAppKey, signEvent, type AppKey } from "../support/app-keys";
import { startHubServer, type HubServer } from "../support/hub-server";
import { startNotificationHost, type NotificationHost } from "../support/notification-host";
import { startTestPostgres, type TestPostgres } from "../support/postgres";
import { startService, type RunningService } from "../support/start-service";

const CLIENT = 9152;
// With HUB_URL set the card's name comes from the hub, so a share's id follows from the fid alone:
// each test has fids of its own.
const MINTERS = Array.from({ length: 60 }, (_, i) => 100 + i);
const keys = new Map<number, AppKey>(MINTERS.map((fid) => [fid, makeAppKey()]));

let postgres: TestPostgres;
let hub: HubServer;
let host: NotificationHost;
const dirs: string[] = [];
const running: RunningService[] = [];

beforeAll(async () => {
  const signers = Object.fromEntries(MINTERS.map((fid) => [fid, [{ key: keys.get(fid)!.key, appFid: CLIENT }]]));
  [postgres, hub, host] = await Promise.all([startTestPostgres(), startHubServer({}, { signers }), startNotificationHost()]);
}, 120_000);
afterAll(async () => {
  await Promise.all(running.map((s) => s.stop()));
  await Promise.all([postgres?.stop(), hub?.close(), host?.close()]);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function service(env: Record<string, string>) {
  const s = await startService({ NODE_ENV: "development", HUB_URL: hub.url, NOTIFY_ALLOW_PRIVATE: "1", ...env });
  running.push(s);
  return s;
}
const json = { "content-type": "application/json" };
async function enable(url: string, fid: number) {
  const body = signEvent(fid, keys.get(fid)!, { event: "miniapp_added", notificationDetails: { url: host.url, token: host.issue(fid) } });
  // A client re-sends until it gets a 200 (the store may still be starting).
  let res = await fetch(`${url}/api/webhook`, { method: "POST", headers: json, body: JSON.stringify(body) });
  for (let i = 0; i < 50 && res.status === 503; i++) {
    await new Promise((r) => setTimeout(r, 200));
    res = await fetch(`${url}/api/webhook`, { method: "POST", headers: json, body: JSON.stringify(body) });
  }
  expect(res.status).toBe(200);
}
async function mint(url: string, fid: number) {
  const res = await fetch(`${url}/api/share`, { method: "POST", headers: json, body: JSON.stringify({ fid, username: `u${fid}` }) });
  return ((await res.json()) as { shareId: string }).shareId;
}
const launch = (url: string, share: string, viewerFid: number) =>
  fetch(`${url}/api/events`, { method: "POST", headers: json, body: JSON.stringify({ type: "launch", share, viewerFid }) });
async function until(check: () => boolean, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
const sentFor = (shares: string[]) => host.delivered.filter((d) => shares.some((s) => d.notificationId === `reach:${s}:1`));

describe.each(["sqlite", "postgres"] as const)("notifications in the image service on %s", (kind) => {
  const storeEnv = async (): Promise<Record<string, string>> => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-notify-proc-"));
    dirs.push(dir);
    return kind === "sqlite" ? { DATA_DIR: dir } : { DATA_DIR: dir, DATABASE_URL: await postgres.createDatabase() };
  };

  it("offers the webhook, and loses no due notification to kill -9", { timeout: 150_000 }, async () => {
    const env = await storeEnv();
    const first = await service(env);
    const manifest = (await (await fetch(`${first.url}/.well-known/farcaster.json`)).json()) as { miniapp: { webhookUrl?: string } };
    expect(manifest.miniapp.webhookUrl).toBe(`${first.url}/api/webhook`);
    const minters = kind === "sqlite" ? MINTERS.slice(0, 15) : MINTERS.slice(15, 30);
    for (const fid of minters) await enable(first.url, fid);
    const shares: string[] = [];
    for (const fid of minters) shares.push(await mint(first.url, fid));
    // Every launch acknowledged makes one notification due; the process dies straight after.
    const acks = await Promise.all(shares.map((share, i) => launch(first.url, share, 5000 + i)));
    expect(acks.map((r) => r.status)).toEqual(shares.map(() => 204));
    first.child.kill("SIGKILL");
    await first.exited;

    const second = await service(env);
    // Rows claimed by the dead process wait out their one-minute lease, then go again.
    expect(await until(() => sentFor(shares).length === shares.length, 120_000)).toBe(true);
    expect(new Set(sentFor(shares).map((d) => d.fid))).toEqual(new Set(minters));

    // The sharer's reach, a notification's open, and the operator's view of both.
    const reach = await (await fetch(`${second.url}/api/reach?fid=${minters[0]}`)).json();
    expect(reach).toMatchObject({ totals: { shares: 1, casts: 0, launches: 1, viewers: 1 }, shares: [{ share: shares[0], castHash: null, launches: 1, viewers: 1 }] });
    // The card the first instance minted, read back by the second: its image URL, drawn by it.
    const { imageUrl } = (reach as { shares: Array<{ imageUrl: string }> }).shares[0]!;
    expect(imageUrl.startsWith(`${second.url}/api/og?`)).toBe(true);
    const image = await fetch(imageUrl);
    expect([image.status, image.headers.get("content-type")]).toEqual([200, "image/png"]);
    expect((await fetch(`${second.url}/api/reach`)).status).toBe(400);
    const open = (notificationId: string) => fetch(`${second.url}/api/reach`, { method: "POST", headers: json, body: JSON.stringify({ notificationId }) });
    expect((await open(`reach:${shares[0]}:1`)).status).toBe(204);
    expect((await open("not-ours")).status).toBe(400);
    const stats = (await (await fetch(`${second.url}/api/stats?days=7`)).json()) as { notifications: { clients: unknown; totals: Record<string, number> } };
    expect(stats.notifications.clients).toEqual([{ appFid: CLIENT, users: minters.length }]);
    // A send the kill cut off before its outcome was written is counted when it goes again, after
    // its lease: the host may already have it, so the counts can trail the host here.
    expect(stats.notifications.totals).toMatchObject({ opens: 1, invalid: 0 });
    expect(stats.notifications.totals.delivered).toBeGreaterThan(0);
    expect(stats.notifications.totals.delivered).toBeLessThanOrEqual(minters.length);
    const page = await (await fetch(`${second.url}/stats`)).text();
    expect(page).toContain("Users with notifications on");
    await second.stop();
  });
});

describe("two instances on one PostgreSQL", () => {
  it("send each due notification once", { timeout: 90_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "castcard-notify-two-"));
    dirs.push(dir);
    const env = { DATA_DIR: dir, DATABASE_URL: await postgres.createDatabase() };
    const [a, b] = [await service(env), await service(env)];
    const shares: string[] = [];
    for (const [i, fid] of MINTERS.slice(30).entries()) {
      const at = i % 2 ? a.url : b.url;
      await enable(at, fid);
      shares.push(await mint(at, fid));
    }
    const acks = await Promise.all(shares.map((share, i) => launch(i % 2 ? b.url : a.url, share, 9000 + i)));
    expect(acks.every((r) => r.status === 204)).toBe(true);
    expect(await until(() => sentFor(shares).length === shares.length, 60_000)).toBe(true);
    const ids = new Set(shares.map((s) => `reach:${s}:1`));
    const posted = host.requests.filter((r) => ids.has(r.notificationId ?? ""));
    expect(posted).toHaveLength(shares.length);
  });
});
