import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, startAvatarServer } from "../../../../../tests/support/avatar-server";
import { createCastcard } from "../castcard";
import { loadConfig } from "../../config/index";
import type { RequestLogLine } from "./log";
import { createServiceApp } from "./service";

// The service's Hono app driven in-process, in front of a real core: the log line is what we check.
const { config } = loadConfig({ APP_URL: "https://castcard.example.com", AVATAR_ALLOW_PRIVATE: "1" });
const castcard = createCastcard(config);
const lines: RequestLogLine[] = [];
const app = createServiceApp(castcard, { log: (line) => lines.push(line), stopping: () => false });
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;

beforeAll(async () => {
  avatars = await startAvatarServer({ "/page.html": sendBytes("<html>not an image</html>", "text/html") });
});
afterAll(() => avatars.close());

async function request(path: string, init?: RequestInit) {
  const res = await app.request(`http://castcard.test${path}`, init);
  await res.arrayBuffer();
  return { res, line: lines.at(-1)! };
}

describe("the request log", () => {
  it("writes one line per request with the path but never the query", async () => {
    const before = lines.length;
    const { line } = await request("/api/og?username=secret-name-in-query");
    expect(lines.length).toBe(before + 1);
    expect(line).toMatchObject({ method: "GET", path: "/api/og", status: 200, cache: "miss", fallback: null });
    expect(JSON.stringify(line)).not.toContain("secret-name-in-query");
    expect(typeof line.ms).toBe("number");
    expect(Number.isNaN(Date.parse(line.time))).toBe(false);
  });

  it("tells a cache hit from a miss", async () => {
    expect((await request("/api/og?username=carol")).line.cache).toBe("miss");
    expect((await request("/api/og?username=carol")).line.cache).toBe("hit");
  });

  it("logs why an avatar fell back without sending the reason to the client", async () => {
    const image = encodeURIComponent(`${avatars.url}/page.html`);
    const { res, line } = await request(`/api/og?username=dave&image=${image}`);
    expect(res.status).toBe(200);
    expect(line.fallback).toBe("content-type");
    // Cached fallback cards keep their reason for the log too.
    expect((await request(`/api/og?username=dave&image=${image}`)).line).toMatchObject({ cache: "hit", fallback: "content-type" });
    expect(res.headers.get("x-castcard-avatar")).toBe("fallback");
    expect([...res.headers.values()]).not.toContain("content-type");
  });

  it("logs refusals and non-card routes with no cache figure", async () => {
    expect((await request("/api/og?v=%3Cbad%3E")).line).toMatchObject({ status: 400, cache: null, fallback: null });
    expect((await request("/nowhere")).line).toMatchObject({ path: "/nowhere", status: 404, cache: null });
    const share = await request("/api/share", { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(share.line).toMatchObject({ method: "POST", path: "/api/share", status: 400 });
  });
});
