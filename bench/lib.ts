// Small numeric helpers shared by the benchmark's parts.

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const ms = (value: number) => (value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`);
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
/** Kibibytes, labelled as such. */
export const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
export const rate = (value: number) => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}/s`;
export const ratio = (value: number) => `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}×`;

/** Runs `task(i)` for i in [0, count) with at most `concurrency` in flight; returns elapsed ms. */
export async function pool(count: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return performance.now() - started;
}

export function table(header: string[], rows: string[][]): string {
  const lines = [header, header.map(() => "---"), ...rows].map((cells) => `| ${cells.join(" | ")} |`);
  return lines.join("\n");
}
