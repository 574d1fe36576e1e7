import { defineConfig } from "tsup";
import { assetLocatorSource, writeAssets } from "./build/assets";

// The fonts and emoji the renderer draws are copied into dist/assets/ first (tsup has emptied dist/
// by then), and src/og/assets is replaced in the bundle by a module naming each of those files
// with a static URL (see build/assets.ts).
const shippedAssets = {
  name: "castcard-assets",
  setup(build: { onLoad: (options: { filter: RegExp }, load: () => { contents: string; loader: "ts" }) => void }) {
    build.onLoad({ filter: /[\\/]src[\\/]og[\\/]assets[\\/]index\.ts$/ }, () => {
      writeAssets("dist");
      return { contents: assetLocatorSource("dist"), loader: "ts" };
    });
  },
};

// One ESM build with declarations for each entry; dependencies stay external (installed beside it).
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
  esbuildPlugins: [shippedAssets],
});
