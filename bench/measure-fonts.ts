// Start-up time, memory and render times of the card handler with lazily loaded world fonts.
// Run: node --expose-gc --import tsx bench/measure-fonts.ts
// Prints numbers only; the tests never time anything.
export {};

const collect: () => void = (globalThis as { gc?: () => void }).gc ?? (() => {});
const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`;
const rss = () => {
  collect();
  return process.memoryUsage.rss();
};

const started = performance.now();
const { createOgHandler } = await import("../packages/castcard/src/og/index");
const og = createOgHandler({ avatar: async () => ({ ok: false, reason: "none" }), cache: { renderBytes: 0 } });
await og.ready;
console.log(`ready (import, fonts, warm-up render): ${(performance.now() - started).toFixed(0)} ms, RSS ${mb(rss())}`);

const get = async (username: string) => {
  const t = performance.now();
  const response = await og(new Request(`http://127.0.0.1/api/og?${new URLSearchParams({ username })}`));
  const bytes = (await response.arrayBuffer()).byteLength;
  return { ms: performance.now() - t, bytes, status: response.status };
};

const latin: number[] = [];
for (let i = 0; i < 40; i++) latin.push((await get(`user${i}_${process.pid}`)).ms);
latin.sort((a, b) => a - b);
console.log(`Latin names: p50 ${latin[20]!.toFixed(1)} ms, p90 ${latin[36]!.toFixed(1)} ms; @alice PNG ${(await get("alice")).bytes} B`);

for (const name of ["王小明", "さくら_東京", "김민준", "محمد_علي", "דניאל", "अर्जुन", "স্বাগতম", "สมชาย", "🚀🌕✨", "👨‍👩‍👧‍👦🧑🏽‍💻smiths", "🇯🇵🇧🇷🇺🇦"]) {
  const first = await get(name);
  const again = await get(name);
  console.log(`${name}: first ${first.ms.toFixed(1)} ms, again ${again.ms.toFixed(1)} ms, ${first.bytes} B`);
}
console.log(`RSS after every script: ${mb(rss())}`);
