import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/next-app";
import { pngSize } from "../support/png";

// What a user of the library does: `npm pack` the package, install the tarball into a fresh
// project with `npm install`, and use it there, by its name, with nothing of this repository.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TSC = createRequire(import.meta.url).resolve("typescript/bin/tsc");
const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string>; dependencies: Record<string, string> };

let dir: string;
let tarball: string;
let files: string[];
let sizes: Array<{ path: string; size: number }>;

function run(command: string, args: string[], cwd: string, timeout = 300_000) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout, env: { ...process.env, npm_config_audit: "false", npm_config_fund: "false" } });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "castcard-consumer-"));
  // --json lists what went into the tarball. The run's global setup built dist/: no prepack, so
  // nothing rebuilds dist/ while other tests use it.
  const out = run("npm", ["pack", "--workspace", "castcard", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT);
  // Anything a build step printed comes before the JSON answer.
  const [packed] = JSON.parse(out.slice(out.search(/^\[/m))) as Array<{ filename: string; files: { path: string; size: number }[] }>;
  tarball = join(dir, packed!.filename);
  files = packed!.files.map((f) => f.path);
  sizes = packed!.files;
  writeFileSync(
    join(dir, "package.json"),
    JSON.stringify({
      name: "castcard-consumer",
      private: true,
      type: "module",
      dependencies: {
        castcard: `file:./${packed!.filename}`,
        react: own.dependencies.react,
        "@types/react": own.devDependencies["@types/react"],
        "@types/node": own.devDependencies["@types/node"],
      },
    }),
  );
  // From the registry, as a user's install would be (the local npm cache makes it quick).
  run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund"], dir);
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the castcard package, installed from its tarball into an empty project", () => {
  it("ships the built library, its declarations, README, CHANGELOG and licence, and no tests or sources", () => {
    expect(files).toEqual(expect.arrayContaining(["bin/castcard-og.js", "dist/index.js", "dist/index.d.ts", "dist/next.js", "dist/server.js", "dist/testing.js", "dist/testing.d.ts", "dist/bin.js", "README.md", "CHANGELOG.md", "LICENSE", "package.json"]));
    expect(files.filter((f) => /\.test\.|(^|\/)src\/|testing\//.test(f))).toEqual([]);
    // The code stays small; the fonts and emoji the renderer draws ship inside it (dist/assets/),
    // only the files drawn: about 28 MB, 20 MB packed.
    const bytes = (inAssets: boolean) => sizes.filter((f) => f.path.startsWith("dist/assets/") === inAssets).reduce((sum, f) => sum + f.size, 0);
    expect(bytes(false)).toBeLessThan(1024 * 1024);
    expect(bytes(true)).toBeLessThan(32 * 1024 * 1024);
    expect(files).toEqual(expect.arrayContaining(["dist/assets/fonts/Inter_400Regular.ttf", "dist/assets/fonts/noto-sans-sc.unicode.json", "dist/assets/emoji/1f680.svg"]));
    expect(files.filter((f) => f.startsWith("dist/assets/") && f.endsWith(".woff"))).toEqual([]);
    expect(statSync(tarball).size).toBeLessThan(24 * 1024 * 1024);
  });

  it("names only committed bin files, so npm links them on the first install, before the build writes dist/", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "packages/castcard/package.json"), "utf8")) as { bin: Record<string, string> };
    expect(Object.keys(manifest.bin)).toEqual(["castcard-og"]);
    for (const target of Object.values(manifest.bin)) {
      expect(target).not.toMatch(/^(\.\/)?dist\//);
      // Tracked by git: a fresh clone has it before any build step runs.
      const tracked = spawnSync("git", ["ls-files", "--error-unmatch", join("packages/castcard", target)], { cwd: ROOT, encoding: "utf8" });
      expect(tracked.status, tracked.stderr).toBe(0);
      expect(files).toContain(target.replace(/^\.\//, ""));
    }
    // The installed project has the link, pointing at the shipped file.
    expect(realpathSync(join(dir, "node_modules/.bin/castcard-og"))).toBe(realpathSync(join(dir, "node_modules/castcard", manifest.bin["castcard-og"]!)));
  });

  it("renders a 1200×800 card through createOgHandler", () => {
    writeFileSync(
      join(dir, "render.mjs"),
      `import { createOgHandler } from "castcard";
const og = createOgHandler();
await og.ready;
const res = await og(new Request("http://localhost/api/og?username=alice&displayName=Alice"));
process.stdout.write(JSON.stringify({ status: res.status, type: res.headers.get("content-type"), png: Buffer.from(await res.arrayBuffer()).toString("base64") }));`,
    );
    const out = JSON.parse(run(process.execPath, ["render.mjs"], dir)) as { status: number; type: string; png: string };
    expect(out.status).toBe(200);
    expect(out.type).toBe("image/png");
    expect(pngSize(Buffer.from(out.png, "base64"))).toEqual({ width: 1200, height: 800 });
  });

  it("type-checks a strict TypeScript consumer against the shipped declarations, and catches a wrong one", () => {
    writeFileSync(
      join(dir, "tsconfig.json"),
      JSON.stringify({ compilerOptions: { strict: true, noEmit: true, module: "NodeNext", moduleResolution: "NodeNext", target: "ES2022", jsx: "react-jsx", skipLibCheck: false, types: ["node"] }, include: ["*.ts", "*.tsx"] }),
    );
    writeFileSync(
      join(dir, "consumer.tsx"),
      `import { Avatar, createCardUrls, createOgHandler, defineCard, defineCastcard, field, MintError, Name, designRegistry, z, type CardProps, type OgHandler } from "castcard";
import { createNextCastcard } from "castcard/next";
import { startOgService } from "castcard/server";
import { plainCardProps, SAMPLE_USERS, type SampleUser } from "castcard/testing";

const fields = z.object({ level: field.int({ digits: 3, min: 1 }), title: field.text({ max: 20 }).optional() });
function Level({ name, avatar, avatarBox, accent, data, size }: CardProps<z.output<typeof fields>>) {
  const level: number = data.level;
  return (
    <div style={{ width: size.width, height: size.height, display: "flex", backgroundColor: accent ?? "#000000" }}>
      <Avatar avatar={avatar} box={avatarBox} borderColor="#FFD166" />
      <Name name={name} style={{ maxWidth: 600 }} /> {level} {data.title ?? ""}
    </div>
  );
}
export const levelCard = defineCard({ id: "level", label: "Level", version: "2", fields, avatar: { side: 200 }, name: { maxWidth: 900, maxFontSize: 72, minFontSize: 40, fontWeight: 700 }, render: Level });
export const definition = defineCastcard({ app: { name: "Level Up", color: "#0B6E4F" }, designs: [levelCard], defaultDesign: levelCard });
const first: SampleUser = SAMPLE_USERS[0]!;
void plainCardProps({ username: first.username, brand: "B", subtitle: "S" }, levelCard);

const og: OgHandler = createOgHandler({ designs: [levelCard] });
const urls = createCardUrls({ appUrl: "https://app.example.com", secrets: ["k"], designs: designRegistry([levelCard]) });
try {
  const { imageUrl, shareUrl }: { imageUrl: string; shareUrl: string } = urls.mint({ design: "level", user: { fid: 1, username: "alice" }, data: { level: 3 } });
  console.log(imageUrl, shareUrl);
} catch (error) {
  if (error instanceof MintError) console.log(error.field);
}
export const next = createNextCastcard(definition);
export const { GET: icon } = next.icon;
export const { GET, HEAD } = next.og;
void og.ready;
void startOgService;
`,
    );
    run(process.execPath, [TSC, "-p", "."], dir);
    // The declarations are real: a wrong use does not type-check.
    writeFileSync(join(dir, "wrong.ts"), `import { createOgHandler } from "castcard";\nconst n: number = createOgHandler();\n`);
    const wrong = spawnSync(process.execPath, [TSC, "-p", "."], { cwd: dir, encoding: "utf8" });
    rmSync(join(dir, "wrong.ts"));
    expect(wrong.status).not.toBe(0);
    expect(wrong.stdout).toMatch(/wrong\.ts.*TS2322/);
  }, 240_000);

  it("serves cards with npx castcard-og: /healthz and a card", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child: ChildProcess = spawn("npx", ["--no-install", "castcard-og"], {
      cwd: dir,
      env: { ...process.env, NODE_ENV: "production", PORT: String(port), HOST: "127.0.0.1", APP_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: npx runs the bin in a child, and both must stop at the end.
      detached: true,
    });
    let output = "";
    child.stdout!.on("data", (d) => (output += d));
    child.stderr!.on("data", (d) => (output += d));
    try {
      const deadline = Date.now() + 30_000;
      let health: Response | null = null;
      while (!health) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`castcard-og did not start:\n${output}`);
        health = await fetch(`${url}/healthz`).catch(() => null);
        if (!health) await new Promise((r) => setTimeout(r, 100));
      }
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string; version: string }).version).toBe(JSON.parse(readFileSync(join(ROOT, "packages/castcard/package.json"), "utf8")).version);
      const card = await fetch(`${url}/api/og?username=alice`);
      expect(card.status).toBe(200);
      expect(pngSize(new Uint8Array(await card.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
    } finally {
      const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once("exit", r)));
      process.kill(-child.pid!, "SIGTERM");
      await exited;
    }
  });
});
