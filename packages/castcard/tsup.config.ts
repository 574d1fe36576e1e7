import { defineConfig } from "tsup";

// One ESM build with declarations for each entry; dependencies stay external (installed beside it),
// so fonts and emoji are read from their own packages on disk, once, at run time.
export default defineConfig({
  entry: {
    index: "src/index.ts",
    next: "src/fronts/next/index.ts",
    server: "src/fronts/server/index.ts",
    testing: "src/testing.ts",
    bin: "src/bin.ts",
  },
  format: ["esm"],
  target: "node20",
  platform: "node",
  dts: { entry: { index: "src/index.ts", next: "src/fronts/next/index.ts", server: "src/fronts/server/index.ts", testing: "src/testing.ts" } },
  clean: true,
  splitting: true,
  sourcemap: false,
  shims: false,
  tsconfig: "tsconfig.build.json",
});
