import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// The package's folders are floors, in the order a card travels: each may import only from floors
// below it (and from itself). This test reads every source file and holds the tree to that.
const FLOORS = ["http", "config", "design", "url", "og", "farcaster", "analytics", "notify", "fronts"] as const;
const src = dirname(fileURLToPath(import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const floorOf = (file: string): number => {
  const top = relative(src, file).split("/")[0]!;
  // index.ts and bin.ts at the root are the package's entries: the top floor.
  return top.includes(".") ? FLOORS.length : FLOORS.indexOf(top as (typeof FLOORS)[number]);
};

const edges = sources(src).flatMap((file) =>
  [...readFileSync(file, "utf8").matchAll(/(?:from|import)\s*\(?\s*"(\.{1,2}\/[^"]+)"/g)]
    .map((m) => resolve(dirname(file), m[1]!))
    .filter((target) => target.startsWith(src))
    .map((target) => ({ file: relative(src, file), target: relative(src, target), from: floorOf(file), to: floorOf(target) })),
);

describe("the package's floors", () => {
  it("puts every source file in a known floor", () => {
    const unknown = sources(src).filter((file) => floorOf(file) < 0).map((file) => relative(src, file));
    expect(unknown).toEqual([]);
  });

  it("has no import that runs back up a floor", () => {
    const upward = edges.filter((e) => e.to > e.from).map((e) => `${e.file} → ${e.target}`);
    expect(edges.length).toBeGreaterThan(50);
    expect(upward).toEqual([]);
  });
});
