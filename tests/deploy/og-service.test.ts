import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assertNoNodeModulesAbove, onlyEnv, startIn, type Started } from "./support";

// The image service's standalone form, as docs/deploy.md gives it: an empty folder, `npm install
// castcard` (here the packed tarball of this checkout) and the app's castcard.config.mjs, then
// `node node_modules/castcard/bin/castcard-og.js`. Its cards must be the checkout's own, byte for byte.
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { dependencies: Record<string, string> };
const CONFIG = `import { defineCastcard } from "castcard";\n\nexport default defineCastcard({ app: { name: "Acme Quest", color: "#0B6E4F" } });\n`;

let dir: string;
let alone: Started;
let checkout: Started;

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, {
    cwd,
    env: onlyEnv({ PATH: process.env.PATH, HOME: process.env.HOME, npm_config_audit: "false", npm_config_fund: "false" }),
    encoding: "utf8",
    timeout: 600_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} failed (${result.status}):\n${result.stdout}\n${result.stderr}`);
  return result.stdout;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "castcard-og-alone-"));
  assertNoNodeModulesAbove(dir);
  const service = join(dir, "service");
  const reference = join(dir, "reference");
  for (const folder of [service, reference]) run("mkdir", ["-p", folder], dir);
  // The run's global setup built dist/: pack it without rebuilding.
  const packed = run("npm", ["pack", "--workspace", "castcard", "--ignore-scripts", "--json", "--pack-destination", dir], ROOT);
  const [tarball] = JSON.parse(packed.slice(packed.search(/^\[/m))) as Array<{ filename: string }>;
  writeFileSync(join(service, "package.json"), JSON.stringify({ private: true, type: "module" }));
  run("npm", ["install", "--prefer-offline", join(dir, tarball!.filename), `react@${own.dependencies.react}`, `react-dom@${own.dependencies["react-dom"]}`], service);
  for (const folder of [service, reference]) writeFileSync(join(folder, "castcard.config.mjs"), CONFIG);
  // The checkout's own service, with the same config, from a folder that resolves castcard here.
  writeFileSync(join(reference, "castcard.config.mjs"), CONFIG.replace('"castcard"', JSON.stringify(join(ROOT, "packages/castcard/dist/index.js"))));
  [alone, checkout] = await Promise.all([
    startIn(service, process.execPath, ["node_modules/castcard/bin/castcard-og.js"], {}, "/healthz"),
    startIn(reference, process.execPath, [join(ROOT, "packages/castcard/bin/castcard-og.js")], {}, "/healthz"),
  ]);
}, 900_000);

afterAll(async () => {
  await Promise.all([alone?.stop(), checkout?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("castcard-og from `npm install castcard` in an empty folder", () => {
  it("installs no font or emoji package: what it draws ships inside castcard", () => {
    for (const name of ["@expo-google-fonts/inter", "@fontsource-variable/noto-sans-sc", "@twemoji/svg"]) {
      expect(existsSync(join(dir, "service", "node_modules", name)), name).toBe(false);
    }
    expect(alone.logs()).toMatch(/"app":"Acme Quest","config":"[^"]*castcard\.config\.mjs"/);
  });

  it("draws every script and emoji byte-identical to the checkout's service, at both sizes", async () => {
    for (const username of ["alice.eth", "王小明", "さくら_東京", "김민준", "محمد_علي", "דניאל", "अर्जुन", "রবীন্দ্র", "தமிழ்", "తెలుగు", "สมชาย", "臺灣", "♞⠿", "👨‍👩‍👧‍👦🇯🇵1️⃣"]) {
      for (const size of ["embed", "og"]) {
        const path = `/api/og?${new URLSearchParams({ username, size })}`;
        const [a, b] = await Promise.all([fetch(`${alone.url}${path}`), fetch(`${checkout.url}${path}`)]);
        expect([a.status, b.status], path).toEqual([200, 200]);
        expect(Buffer.from(await a.arrayBuffer()).equals(Buffer.from(await b.arrayBuffer())), path).toBe(true);
      }
    }
  }, 300_000);
});
