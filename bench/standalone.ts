// The standalone server as a deploy runs it: the folder `npm run build` leaves in
// <distDir>/standalone/, copied alone to a temporary folder. Its size (what a serverless function
// or an image carries), and what a cold process costs: from `node server.js` to the first card
// answered, and each script's first card on a fresh process (fonts load by range on first need).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertNoNodeModulesAbove, copyAlone, folderBytes, startIn } from "../tests/deploy/support";
import { buildApp, BENCH_DIST_DIR } from "./http";
import { mb, ms, percentile, table } from "./lib";

const ROOT = new URL("..", import.meta.url).pathname;
const progress = (line: string) => process.stderr.write(`bench: ${line}\n`);

/** One name per script (and emoji), each the first of its kind on the process. */
const SCRIPTS: Array<[string, string]> = [
  ["Latin, Greek, Cyrillic (Inter)", "Ωμέγα_Наташа"],
  ["Arabic", "محمد_علي"],
  ["Hebrew", "דניאל"],
  ["Devanagari", "अर्जुन"],
  ["Bengali", "রবীন্দ্র"],
  ["Tamil", "தமிழ்செல்வன்"],
  ["Telugu", "తెలుగు"],
  ["Thai", "สมชาย"],
  ["Chinese (simplified)", "王小明"],
  ["Chinese (traditional)", "臺灣林志玲"],
  ["Japanese", "さくら_東京"],
  ["Korean", "김민준"],
  ["Symbols", "♞⠿☂"],
  ["Emoji", "🚀🌕✨"],
];

async function timed(url: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url);
  await res.arrayBuffer();
  if (res.status !== 200) throw new Error(`${url}: ${res.status}`);
  return performance.now() - started;
}

/** Spawns `node server.js` and polls a card until it is answered: spawn → first card. */
async function coldStart(app: string, data: string): Promise<{ firstCardMs: number; scripts: number[]; warm: number[] }> {
  const spawned = performance.now();
  const server = await startIn(app, process.execPath, ["server.js"], { DATA_DIR: data }, `/api/og?username=first${Date.now().toString(36)}`);
  const firstCardMs = performance.now() - spawned;
  try {
    const scripts: number[] = [];
    const warm: number[] = [];
    for (const [, name] of SCRIPTS) {
      scripts.push(await timed(`${server.url}/api/og?username=${encodeURIComponent(name)}`));
      warm.push(await timed(`${server.url}/api/og?username=${encodeURIComponent(`${name}2`)}`));
    }
    return { firstCardMs, scripts, warm };
  } finally {
    await server.stop();
  }
}

export async function standaloneSection(runs = 3): Promise<string> {
  progress("next build (standalone) …");
  buildApp(process.env.BENCH_SKIP_BUILD === "1");
  const dir = mkdtempSync(join(tmpdir(), "castcard-bench-standalone-"));
  try {
    assertNoNodeModulesAbove(dir);
    const app = join(dir, "app");
    copyAlone(join(ROOT, BENCH_DIST_DIR, "standalone"), app);
    const bytes = folderBytes(app);
    const files = readdirSync(app, { recursive: true }).length;
    const results: Array<Awaited<ReturnType<typeof coldStart>>> = [];
    for (let i = 0; i < runs; i++) {
      progress(`standalone cold start ${i + 1}/${runs} …`);
      results.push(await coldStart(app, join(dir, `data-${i}`)));
    }
    const median = (values: number[]) => percentile([...values].sort((a, b) => a - b), 50);
    const rows = [
      ["folder size (apparent bytes, as a function's limit counts them)", `${mb(bytes)} (${bytes.toLocaleString("en")} bytes, ${files.toLocaleString("en")} files and folders)`],
      [`\`node server.js\` → first card answered, median of ${runs} cold processes`, ms(median(results.map((r) => r.firstCardMs)))],
      ...SCRIPTS.map(([label], i) => [
        `first card of ${label} on that process → the next one`,
        `${ms(median(results.map((r) => r.scripts[i]!)))} → ${ms(median(results.map((r) => r.warm[i]!)))}`,
      ]),
    ];
    return [
      `### Standalone server (\`${BENCH_DIST_DIR}/standalone\` copied alone, \`node server.js\`, no avatar)`,
      "",
      table(["", ""], rows),
    ].join("\n");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
