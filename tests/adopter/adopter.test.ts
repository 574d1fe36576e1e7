import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sendBytes, solidPng, startAvatarServer } from "../support/avatar-server";
import { assertNoNodeModulesAbove, copyAlone, startIn, type Started } from "../deploy/support";
import { freePort } from "../support/next-app";
import { pngSize } from "../support/png";

// A new user of the package, as issue 19 tried it: a fresh Next.js 16 app, in a folder of its own
// (outside this repository), that installs the packed tarball and follows only the package's
// README — its steps' code blocks are read from the README itself, so the README is what is
// tested. Its own name ("Acme Quest"), colour (#0B6E4F) and a design drawing the user's picture.
// Then: next build, next start, and castcard-og from the same install and the same config file.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const README = readFileSync(join(ROOT, "packages/castcard/README.md"), "utf8");
const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };
const NAME = "Acme Quest";
const COLOR = "#0B6E4F";

/** The first fenced block of `lang` after a heading of the README that starts with `heading`. */
function readmeBlock(heading: string, lang: string, containing = ""): string {
  const at = README.split("\n").findIndex((line) => /^#{2,4} /.test(line) && line.replace(/^#+ /, "").startsWith(heading));
  if (at < 0) throw new Error(`README: no section "${heading}"`);
  const rest = README.split("\n").slice(at + 1).join("\n");
  const blocks = [...rest.matchAll(new RegExp("```" + lang + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]!);
  const block = blocks.find((b) => b.includes(containing));
  if (!block) throw new Error(`README: no ${lang} block in "${heading}"`);
  return block;
}

/** Step 6's table: each route file and the line that follows the common header. */
function routeFiles(): Array<[path: string, body: string]> {
  const header = readmeBlock("6. The route files", "ts");
  const rows = [...README.matchAll(/^\| `(app\/[^`]+\/route\.ts)` \| `([^`]+)` \|/gm)];
  return rows.map((m) => [m[1]!, `${header}\n${m[2]!}\n`]);
}

let dir: string;
let next: ChildProcess | undefined;
let service: ChildProcess | undefined;
let nextUrl: string;
let serviceUrl: string;
let logs = "";
let avatars: Awaited<ReturnType<typeof startAvatarServer>>;
let standaloneDir: string | undefined;
let standalone: Started | undefined;

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, timeout = 600_000) {
  const result = spawnSync(command, args, { cwd, env, encoding: "utf8", timeout, maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

/** This repository's settings must not leak into the adopter's processes. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, npm_config_audit: "false", npm_config_fund: "false", NEXT_TELEMETRY_DISABLED: "1" };
  for (const key of Object.keys(env)) if (/^(APP_|CASTCARD_|NEXT_DIST_DIR|OG_SERVICE_URL|SHARE_SECRET|PREVIEW|AVATAR_)/.test(key)) delete env[key];
  return { ...env, ...extra };
}

function write(path: string, content: string) {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), content);
}

async function started(child: ChildProcess, url: string, probe: string) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${logs}`);
    const res = await fetch(`${url}${probe}`).catch(() => null);
    if (res?.ok) return;
    if (Date.now() > deadline) throw new Error(`no answer from ${url}${probe}:\n${logs}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

function spawnLogged(command: string, args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  const child = spawn(command, args, { cwd: dir, env, stdio: ["ignore", "pipe", "pipe"] });
  const keep = (d: Buffer) => {
    if (logs.length < 200_000) logs += d;
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  return child;
}

const stop = (child: ChildProcess | undefined) =>
  new Promise<void>((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 8000).unref();
  });

beforeAll(async () => {
  avatars = await startAvatarServer({ "/me.png": sendBytes(await solidPng("#FF00FF", 400), "image/png") });
  dir = mkdtempSync(join(tmpdir(), "castcard-adopter-"));

  // The tarball of the package as built for this test run (the run's global setup built dist/):
  // no prepack, so nothing rebuilds dist/ while other tests use it.
  const packed = run("npm", ["pack", "--workspace", "castcard", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT, cleanEnv({}));
  const [tarball] = JSON.parse(packed.slice(packed.search(/^\[/m))) as Array<{ filename: string }>;

  // Step 1: the dependencies, at the versions this repository pins.
  write(
    "package.json",
    JSON.stringify(
      {
        name: "acme-quest",
        private: true,
        dependencies: { castcard: `file:./${tarball!.filename}`, next: own.dependencies.next, react: own.dependencies.react, "react-dom": own.dependencies["react-dom"] },
        devDependencies: {
          typescript: own.devDependencies.typescript,
          "@types/node": own.devDependencies["@types/node"],
          "@types/react": own.devDependencies["@types/react"],
          "@types/react-dom": own.devDependencies["@types/react-dom"],
        },
      },
      null,
      2,
    ),
  );
  // Steps 2 to 8, each file as the README has it.
  write("next.config.ts", readmeBlock("2. `next.config.ts`", "ts"));
  write("tsconfig.json", readmeBlock("3. `tsconfig.json`", "json"));
  write("castcard.config.mjs", readmeBlock("4. `castcard.config.mjs`", "js"));
  write("src/castcard.ts", readmeBlock("5. `src/castcard.ts`", "ts"));
  for (const [path, body] of routeFiles()) write(path, body);
  write("instrumentation.ts", readmeBlock("7. `instrumentation.ts`", "ts"));
  write("app/layout.tsx", readmeBlock("8. The home page", "tsx", "RootLayout"));
  write("app/page.tsx", readmeBlock("8. The home page", "tsx", "generateMetadata"));

  // From the registry, as a user's install would be (the local npm cache makes it quick).
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir, cleanEnv({}));
  const nextBin = join(dir, "node_modules/next/dist/bin/next");
  run(process.execPath, [nextBin, "build"], dir, cleanEnv({ NODE_ENV: "production" }));

  const [nextPort, servicePort] = await Promise.all([freePort(), freePort()]);
  nextUrl = `http://127.0.0.1:${nextPort}`;
  serviceUrl = `http://127.0.0.1:${servicePort}`;
  // Both read the same environment, as one deployment gives both processes; the avatar server is
  // local http, which only the test-only setting allows.
  const env = cleanEnv({ NODE_ENV: "production", APP_URL: nextUrl, AVATAR_ALLOW_PRIVATE: "1", HOST: "127.0.0.1" });
  next = spawnLogged(process.execPath, [nextBin, "start", "-p", String(nextPort), "-H", "127.0.0.1"], env);
  service = spawnLogged(join(dir, "node_modules/.bin/castcard-og"), [], { ...env, PORT: String(servicePort) });
  await Promise.all([started(next, nextUrl, "/.well-known/farcaster.json"), started(service, serviceUrl, "/healthz")]);
}, 1_200_000);

afterAll(async () => {
  await Promise.all([stop(next), stop(service), standalone?.stop(), avatars?.close()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (standaloneDir) rmSync(standaloneDir, { recursive: true, force: true });
});

const unescapeHtml = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
const meta = (html: string, id: string) => {
  const m = html.match(new RegExp(`<meta (?:property|name)="${id}" content="([^"]*)"`));
  return m ? unescapeHtml(m[1]!) : null;
};

async function png(url: string) {
  const res = await fetch(url);
  expect(res.status, url).toBe(200);
  expect(res.headers.get("content-type"), url).toBe("image/png");
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

/** Pixels of the user's picture (pure magenta, found nowhere else on the card). */
async function picturePixels(bytes: Buffer) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true });
  let count = 0;
  for (let i = 0; i < data.length; i += info.channels) if (data[i]! > 220 && data[i + 1]! < 40 && data[i + 2]! > 220) count++;
  return count;
}

describe("an app that follows the package README, from the packed tarball", () => {
  it("serves its own manifest: its name and colour, no Castcard, and every URL in it answers with its type", async () => {
    const res = await fetch(`${nextUrl}/.well-known/farcaster.json`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { miniapp: Record<string, unknown>; frame: unknown };
    const { miniapp } = body;
    expect(miniapp).toMatchObject({ name: NAME, buttonTitle: `Make your ${NAME} card`, ogTitle: NAME, splashBackgroundColor: COLOR, homeUrl: nextUrl });
    expect(body.frame).toEqual(miniapp);
    expect(JSON.stringify(body)).not.toMatch(/castcard/i);

    const icon = (await png(miniapp.iconUrl as string)).bytes;
    expect(pngSize(icon)).toEqual({ width: 1024, height: 1024 });
    expect(icon[25]).toBe(2); // RGB, no alpha channel
    expect(pngSize((await png(miniapp.splashImageUrl as string)).bytes)).toEqual({ width: 200, height: 200 });
    expect(pngSize((await png(miniapp.imageUrl as string)).bytes)).toEqual({ width: 1200, height: 800 });
    for (const key of ["heroImageUrl", "ogImageUrl"]) expect(pngSize((await png(miniapp[key] as string)).bytes)).toEqual({ width: 1200, height: 630 });
    const home = await fetch(miniapp.homeUrl as string);
    expect(home.status).toBe(200);
    expect(home.headers.get("content-type")).toMatch(/^text\/html/);
    const html = await home.text();
    expect(html).toContain(NAME);
    expect(html).not.toMatch(/castcard/i);
    expect(meta(html, "fc:miniapp")).toContain(`"name":"${NAME}"`);
  });

  it("mints a card in its own design with the user's picture, on a share page in its own name, in both sizes", async () => {
    const minted = await fetch(`${nextUrl}/api/share`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ fid: 7, username: "alice", displayName: "Alice", pfpUrl: `${avatars.url}/me.png` }),
    });
    expect(minted.status).toBe(200);
    const { imageUrl, shareUrl } = (await minted.json()) as { imageUrl: string; shareUrl: string };

    const page = await fetch(shareUrl);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`<title>Alice (@alice) on ${NAME}</title>`);
    expect(html).toContain(`Open ${NAME} to make your own`);
    expect(html).not.toMatch(/castcard/i);
    const embed = JSON.parse(meta(html, "fc:miniapp")!) as { imageUrl: string; button: { title: string; action: { name: string; splashBackgroundColor: string } } };
    expect(embed.imageUrl).toBe(imageUrl);
    expect(embed.button).toMatchObject({ title: `Make your ${NAME} card`, action: { name: NAME, splashBackgroundColor: COLOR } });

    const card = await png(imageUrl);
    expect(pngSize(card.bytes)).toEqual({ width: 1200, height: 800 });
    expect(card.res.headers.get("x-castcard-avatar")).toBe("image");
    // The design's avatar box is 320 px with a 12 px border: its picture is a ~296 px circle.
    expect(await picturePixels(card.bytes)).toBeGreaterThan(50_000);
    const og = await png(meta(html, "og:image")!);
    expect(pngSize(og.bytes)).toEqual({ width: 1200, height: 630 });
    expect(await picturePixels(og.bytes)).toBeGreaterThan(50_000);
  });

  it("castcard-og, from the same install and castcard.config.mjs, draws byte-identical cards, icon and manifest", async () => {
    const { imageUrl } = (await (
      await fetch(`${nextUrl}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 8, username: "bob", pfpUrl: `${avatars.url}/me.png` }) })
    ).json()) as { imageUrl: string };
    const path = new URL(imageUrl);
    for (const query of [path.search, `${path.search}&size=og`]) {
      const [onNext, onService] = await Promise.all([png(`${nextUrl}/api/og${query}`), png(`${serviceUrl}/api/og${query}`)]);
      expect(onService.bytes.equals(onNext.bytes)).toBe(true);
      expect(onService.res.headers.get("etag")).toBe(onNext.res.headers.get("etag"));
    }
    const [iconNext, iconService] = await Promise.all([png(`${nextUrl}/icon.png`), png(`${serviceUrl}/icon.png`)]);
    expect(iconService.bytes.equals(iconNext.bytes)).toBe(true);
    const [a, b] = await Promise.all([nextUrl, serviceUrl].map(async (origin) => (await fetch(`${origin}/.well-known/farcaster.json`)).json()));
    expect(b).toEqual(a);
    expect(logs).toMatch(new RegExp(`"app":"${NAME}","config":"[^"]*castcard\\.config\\.mjs"`));
  });

  it("leaves a standalone server that, copied alone, draws the same cards with no tracing settings of its own", async () => {
    // Step 10: the README's copy lines (those whose source the app has), then the folder alone.
    for (const line of readmeBlock("10. Deploy", "sh").split("\n").filter((l) => l.startsWith("cp "))) {
      if (existsSync(join(dir, line.split(/\s+/)[2]!))) run("sh", ["-c", line], dir, cleanEnv({}));
    }
    standaloneDir = mkdtempSync(join(tmpdir(), "castcard-adopter-standalone-"));
    assertNoNodeModulesAbove(standaloneDir);
    copyAlone(join(dir, ".next/standalone"), join(standaloneDir, "app"));
    standalone = await startIn(join(standaloneDir, "app"), process.execPath, ["server.js"], { AVATAR_ALLOW_PRIVATE: "1", DATA_DIR: join(standaloneDir, "data") });
    const { imageUrl } = (await (
      await fetch(`${nextUrl}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 9, username: "王小明🚀", pfpUrl: `${avatars.url}/me.png` }) })
    ).json()) as { imageUrl: string };
    const { search } = new URL(imageUrl);
    for (const query of [search, `${search}&size=og`, "?username=%D9%85%D8%AD%D9%85%D8%AF%F0%9F%87%AF%F0%9F%87%B5"]) {
      const [onNext, alone] = await Promise.all([png(`${nextUrl}/api/og${query}`), png(`${standalone.url}/api/og${query}`)]);
      expect(alone.bytes.equals(onNext.bytes), query).toBe(true);
    }
    const [iconNext, iconAlone] = await Promise.all([png(`${nextUrl}/icon.png`), png(`${standalone.url}/icon.png`)]);
    expect(iconAlone.bytes.equals(iconNext.bytes)).toBe(true);
    const minted = (await (await fetch(`${standalone.url}/api/share`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ fid: 10, username: "dan" }) })).json()) as { shareId?: string };
    expect(minted.shareId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    const home = await fetch(`${standalone.url}/`);
    expect(home.status).toBe(200);
    for (const [, asset] of (await home.text()).matchAll(/src="(\/_next\/static\/[^"]+\.js)"/g)) expect((await fetch(`${standalone.url}${asset}`)).status, asset).toBe(200);
  }, 300_000);
});
