// Long on purpose: the image service as a real process (start, config errors, logs, shutdown,
// the app definition it loads), each case one spawn with the same helpers.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../../../../../tests/support/avatar-server";
import { pngSize } from "../../../../../tests/support/png";
import { BIN, ROOT, startService, type RunningService } from "../../../../../tests/support/start-service";

const { version } = JSON.parse(readFileSync(`${ROOT}/packages/castcard/package.json`, "utf8")) as { version: string };
const SLOW_AVATAR_MS = 1500;

let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
let service: RunningService;

beforeAll(async () => {
  const green = await solidPng("#00FF00");
  avatars = await startAvatarServer({
    "/slow.png": (req, res) => {
      setTimeout(() => sendBytes(green, "image/png")(req, res), SLOW_AVATAR_MS);
    },
  });
  service = await startService({ AVATAR_ALLOW_PRIVATE: "1" });
});
afterAll(async () => {
  await service?.stop();
  await avatars?.close();
});

describe("castcard-og, the standalone service", () => {
  it("serves a 1200×800 card at /api/og?username=alice and logs one JSON line for it", async () => {
    const res = await fetch(`${service.url}/api/og?username=alice`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toBe("public, immutable, no-transform, max-age=31536000");
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    const line = await service.waitFor((l) => l.path === "/api/og" && l.method === "GET");
    expect(line).toMatchObject({ status: 200, cache: "miss", fallback: null });
    expect(typeof line.ms).toBe("number");
  });

  it("answers a cached card again with the same bytes and headers, 304 for its ETag, and logs each as a hit", async () => {
    const url = `${service.url}/api/og?username=hitcheck&v=2`;
    const first = await fetch(url);
    const firstBytes = Buffer.from(await first.arrayBuffer());
    expect(first.headers.get("x-castcard-cache")).toBe("miss");
    const again = await fetch(url);
    const againBytes = Buffer.from(await again.arrayBuffer());
    expect(again.status).toBe(200);
    expect(againBytes.equals(firstBytes)).toBe(true);
    for (const name of ["content-type", "cache-control", "etag", "x-castcard-avatar"]) {
      expect(again.headers.get(name), name).toBe(first.headers.get(name));
    }
    expect(again.headers.get("content-length")).toBe(String(firstBytes.length));
    expect(again.headers.get("x-castcard-cache")).toBe("hit");
    expect(again.headers.get("server-timing")).toBe("cache;desc=hit");

    const etag = first.headers.get("etag")!;
    const notModified = await fetch(url, { headers: { "if-none-match": `W/${etag}` } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get("etag")).toBe(etag);
    expect((await notModified.arrayBuffer()).byteLength).toBe(0);
    const stale = await fetch(url, { headers: { "if-none-match": '"something-else"' } });
    expect(stale.status).toBe(200);
    await stale.arrayBuffer();

    const head = await fetch(url, { method: "HEAD" });
    expect(head.status).toBe(200);
    expect(head.headers.get("content-length")).toBe(String(firstBytes.length));
    expect((await head.arrayBuffer()).byteLength).toBe(0);

    // The same card asked for in another spelling of its query is the same cache entry.
    const reordered = await fetch(`${service.url}/api/og?v=2&username=hitcheck`);
    expect(reordered.headers.get("x-castcard-cache")).toBe("hit");
    expect(Buffer.from(await reordered.arrayBuffer()).equals(firstBytes)).toBe(true);

    // Log lines arrive a little after their responses: wait for all five.
    const hitLines = () => service.lines().filter((l) => l.path === "/api/og" && l.cache === "hit");
    for (let waited = 0; hitLines().length < 5 && waited < 5000; waited += 20) await new Promise((r) => setTimeout(r, 20));
    const hits = hitLines();
    expect(hits.map((l) => l.status).sort()).toEqual([200, 200, 200, 200, 304]);
    expect(hits.every((l) => l.fallback === null && typeof l.ms === "number")).toBe(true);
  });

  it("answers /healthz with its version, uptime and cache figures, never cached", async () => {
    const res = await fetch(`${service.url}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = (await res.json()) as Record<string, unknown> & { renderCache: { entries: number } };
    expect(body).toMatchObject({ status: "ok", version });
    expect(body.uptimeSeconds).toEqual(expect.any(Number));
    expect(body.renderCache.entries).toBeGreaterThanOrEqual(1);
  });

  it("serves the share API, the share page and the manifest from the same core", async () => {
    const share = await fetch(`${service.url}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fid: 7, username: "erin", pfpUrl: null }),
    });
    expect(share.status).toBe(200);
    const { imageUrl, shareUrl } = (await share.json()) as { imageUrl: string; shareUrl: string };
    expect(imageUrl.startsWith(`${service.url}/api/og?`)).toBe(true);
    const page = await fetch(shareUrl);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await page.text()).toContain('<meta name="fc:miniapp"');
    const manifest = await fetch(`${service.url}/.well-known/farcaster.json`);
    expect(((await manifest.json()) as { miniapp: { homeUrl: string } }).miniapp.homeUrl).toBe(service.url);
  });

  it("answers bad input with a short 4xx and no internals", async () => {
    const res = await fetch(`${service.url}/api/og?v=%3Cscript%3E`);
    expect(res.status).toBe(400);
    expect((await res.text()).length).toBeLessThan(200);
    const missing = await fetch(`${service.url}/no/such/route`);
    expect(missing.status).toBe(404);
  });
});

describe("castcard-og shutdown", () => {
  it("on SIGTERM finishes a slow request, refuses new ones, and exits 0 within 10 s", async () => {
    const running = await startService({ AVATAR_ALLOW_PRIVATE: "1" });
    try {
      const image = encodeURIComponent(`${avatars.url}/slow.png?shutdown`);
      const started = Date.now();
      const slow = fetch(`${running.url}/api/og?username=slowpoke&image=${image}`);
      while (!avatars.requests.includes("/slow.png?shutdown")) await new Promise((r) => setTimeout(r, 20));

      running.child.kill("SIGTERM");
      await running.waitFor((l) => l.event === "shutdown");
      const late = await fetch(`${running.url}/healthz`).then(
        (res) => `answered ${res.status}`,
        (error: { cause?: { code?: string } }) => error.cause?.code,
      );
      expect(late).toBe("ECONNREFUSED");

      const res = await slow;
      expect(res.status).toBe(200);
      expect(res.headers.get("x-castcard-avatar")).toBe("image");
      expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
      expect(Date.now() - started).toBeGreaterThanOrEqual(SLOW_AVATAR_MS - 100);

      expect(await running.exited).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(running.lines()).toContainEqual(expect.objectContaining({ event: "stopped", drained: true }));
      expect(running.lines()).toContainEqual(expect.objectContaining({ path: "/api/og", status: 200, fallback: null }));
    } finally {
      await running.stop();
    }
  });

  it("exits promptly on SIGINT when idle", async () => {
    const running = await startService();
    const started = Date.now();
    running.child.kill("SIGINT");
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("castcard-og process safety", () => {
  it("logs a stray rejected promise and keeps serving", async () => {
    // Once the service is up (its SIGTERM handler is the last thing installed), reject a promise no
    // one awaits, as an unawaited render failure would. Node's default is to end the process.
    const stray = `setTimeout(function f(){ if (process.listenerCount("SIGTERM") === 0) return setTimeout(f, 20); Promise.reject(new Error("stray")); }, 20);`;
    const running = await startService({}, undefined, ["--import", `data:text/javascript,${encodeURIComponent(stray)}`]);
    try {
      expect(await running.waitFor((l) => l.event === "unhandled-rejection")).toMatchObject({ error: "stray" });
      const res = await fetch(`${running.url}/api/og?username=still-here`);
      expect(res.status).toBe(200);
      expect(running.child.exitCode).toBeNull();
    } finally {
      await running.stop();
    }
  });
});

describe("castcard-og start-up", () => {
  it("refuses a bad configuration in one line and exits 1", () => {
    const result = spawnSync(process.execPath, [BIN], {
      cwd: ROOT,
      env: { ...process.env, NODE_ENV: "production", APP_URL: "https://castcard.example.com", OG_SERVICE_URL: "not a url", PORT: "1" },
      encoding: "utf8",
      timeout: 20_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr.trim().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/OG_SERVICE_URL must be an absolute http\(s\) URL/);
  });

  it("loads no Next.js: nothing the service imports reaches the next package", async () => {
    const result = await build({
      entryPoints: [`${ROOT}/packages/castcard/src/bin.ts`],
      bundle: true,
      write: false,
      platform: "node",
      format: "esm",
      packages: "external",
      metafile: true,
      logLevel: "silent",
      absWorkingDir: ROOT,
    });
    const imports = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    expect(imports).toContain("@hono/node-server");
    expect(imports).toContain("@takumi-rs/core");
    expect(imports.filter((path) => path === "next" || path.startsWith("next/"))).toEqual([]);
  });
});

// An app's definition as an adopter writes it: plain JavaScript (no TypeScript loader at run time),
// its own name and colour, and a design of its own drawing the user's picture with the public Avatar.
const QUEST_APP = `import { createElement as h } from "react";
import { Avatar, Line, Name, defineCard, defineCastcard, z } from "castcard";

const quest = defineCard({
  id: "quest",
  label: "Quest",
  version: "1",
  fields: z.object({}),
  avatar: { side: 320, border: 12 },
  name: { maxWidth: 640, maxFontSize: 80, minFontSize: 40, fontWeight: 700 },
  render: (p) =>
    h("div", { style: { width: p.size.width, height: p.size.height, display: "flex", alignItems: "center", padding: 80, backgroundColor: p.accent ?? "#333333", color: "#FFFFFF", fontFamily: "Inter" } },
      h(Avatar, { avatar: p.avatar, box: p.avatarBox, borderColor: "#FFD166" }),
      h("div", { style: { display: "flex", flexDirection: "column", marginLeft: 48 } },
        h(Name, { name: p.name, style: { maxWidth: 640 } }),
        h(Line, { value: p.brand, size: 32 }))),
});

export default defineCastcard({ app: { name: "Acme Quest", color: "#0B6E4F" }, designs: [quest], defaultDesign: quest });
`;

describe("castcard-og loads the app's definition", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "castcard-app-"));
    // The app's own install: its castcard.config.mjs imports castcard and react by name.
    symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"), "dir");
    writeFileSync(join(dir, "castcard.config.mjs"), QUEST_APP);
    writeFileSync(join(dir, "not-options.mjs"), "export default 42;\n");
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const bytes = async (url: string) => {
    const res = await fetch(url);
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it("from castcard.config.mjs in its working directory, --config or CASTCARD_CONFIG: its name, colour and design, the same bytes each way", async () => {
    const file = join(dir, "castcard.config.mjs");
    const services = await Promise.all([
      startService({}, undefined, [], { cwd: dir }),
      startService({}, undefined, [], { args: ["--config", file] }),
      startService({ CASTCARD_CONFIG: file }),
    ]);
    try {
      for (const running of services) expect(running.lines().find((l) => l.event === "listening")).toMatchObject({ app: "Acme Quest", config: file });
      const [found, flagged, named] = services.map((s) => s.url);
      const manifest = (await (await fetch(`${found}/.well-known/farcaster.json`)).json()) as { miniapp: { name: string; splashBackgroundColor: string } };
      expect(manifest.miniapp).toMatchObject({ name: "Acme Quest", splashBackgroundColor: "#0B6E4F" });
      // Its own design is the default: a card URL without template= draws it.
      const card = await bytes(`${found}/api/og?username=alice`);
      expect(card.equals(await bytes(`${found}/api/og?username=alice&template=quest`))).toBe(true);
      expect(card.equals(await bytes(`${found}/api/og?username=alice&template=seed`))).toBe(false);
      expect(card.equals(await bytes(`${flagged}/api/og?username=alice`))).toBe(true);
      expect(card.equals(await bytes(`${named}/api/og?username=alice`))).toBe(true);
      expect(pngSize(await bytes(`${found}/icon.png`))).toEqual({ width: 1024, height: 1024 });
    } finally {
      await Promise.all(services.map((s) => s.stop()));
    }
  }, 60_000);

  it("refuses a definition it cannot load, or one that is not options, in one line", () => {
    const run = (args: string[]) =>
      spawnSync(process.execPath, [BIN, ...args], { cwd: dir, env: { ...process.env, NODE_ENV: "production", APP_URL: "https://acme.example.com", PORT: "1" }, encoding: "utf8", timeout: 20_000 });
    for (const [args, message] of [
      [["--config", "missing.mjs"], /^castcard: cannot load .*missing\.mjs: /],
      [["--config=not-options.mjs"], /^castcard: .*not-options\.mjs must export its options as default/],
      [["--port", "8080"], /^castcard-og: unknown argument "--port"/],
    ] as const) {
      const result = run([...args]);
      expect(result.status).not.toBe(0);
      expect(result.stderr.trim().split("\n")).toHaveLength(1);
      expect(result.stderr).toMatch(message);
    }
  });
});
