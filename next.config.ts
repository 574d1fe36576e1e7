import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // Native addons must be loaded by Node at run time, not bundled; so is the castcard package,
  // which reads the fonts and emoji shipped inside it from disk.
  serverExternalPackages: ["castcard", "@takumi-rs/core", "sharp"],
  poweredByHeader: false,
  // `npm run build` leaves a self-contained server in <distDir>/standalone/ (docs/deploy.md): the
  // files the server reads are found by output tracing, the castcard package's included.
  output: "standalone",
  // Browser bundles only: the SDK's `@farcaster/miniapp-core` becomes the lean stand-in that leaves
  // out the Solana library and the zod schemas the page never runs (why: app/sdk/). Exact name
  // only; the stand-in imports the package's own files by their paths.
  turbopack: { resolveAlias: { "@farcaster/miniapp-core": { browser: "./app/sdk/miniapp-core.browser.ts" } } },
  // Tests build into their own folder so they never clobber (or reuse a stale) `npm start` build.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole project itself before the test build, so skip it there.
  typescript: { ignoreBuildErrors: process.env.CASTCARD_TEST_BUILD === "1" },
  // The test host embeds the app in an iframe on another origin, as a Farcaster client does.
  async headers() {
    return [{ source: "/:path*", headers: [{ key: "X-Content-Type-Options", value: "nosniff" }] }];
  },
};

export default nextConfig;
