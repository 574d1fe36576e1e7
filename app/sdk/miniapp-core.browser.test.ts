import { readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundleLaunch } from "../../scripts/build-launch.mjs";
import * as lean from "./miniapp-core.browser";

// The lean `@farcaster/miniapp-core` must keep giving the SDK every name it takes from the package,
// and the script that runs before ready() must stay free of what the page never runs. Both fail
// on an SDK update that changes either, before a user could meet it.
const require = createRequire(import.meta.url);
const SDK_DIST = dirname(require.resolve("@farcaster/miniapp-sdk"));

/** Every name the installed SDK's modules import from `@farcaster/miniapp-core` by name. */
function namesTheSdkTakes(): string[] {
  const names = new Set<string>();
  for (const file of readdirSync(SDK_DIST).filter((f) => f.endsWith(".js") && !f.endsWith(".min.js"))) {
    const text = readFileSync(join(SDK_DIST, file), "utf8");
    for (const m of text.matchAll(/import\s*\{([^}]*)\}\s*from\s*['"]@farcaster\/miniapp-core['"]/g)) {
      for (const part of m[1]!.split(",")) {
        const name = part.trim().split(/\s+as\s+/)[0]!.trim();
        if (name && !name.startsWith("type ")) names.add(name);
      }
    }
    // A namespace or default import would take the whole package: the stand-in could not serve it.
    expect(text, `${file} imports miniapp-core whole`).not.toMatch(/import\s+(\*\s+as\s+\w+|\w+)\s+from\s*['"]@farcaster\/miniapp-core['"]/);
  }
  return [...names].sort();
}

describe("the lean @farcaster/miniapp-core for the browser", () => {
  it("exports every name the installed SDK imports from the package", () => {
    const wanted = namesTheSdkTakes();
    expect(wanted).toContain("SignIn");
    expect(wanted.filter((name) => !(name in lean))).toEqual([]);
  });

  it("loads the Solana helpers only when a wallet call is made", async () => {
    const provider = lean.createSolanaWalletProvider(lean.unwrapSolanaProviderRequest(async () => ({ signature: "s" }) as never));
    expect(Object.keys(provider).sort()).toEqual(["request", "signAndSendTransaction", "signMessage", "signTransaction"]);
    // A message signature passes through without the Solana library's serialising.
    await expect(provider.signMessage("hi")).resolves.toEqual({ signature: "s" });
  });
});

describe("the launch script the page inlines (what runs before ready())", () => {
  it("holds no zod, no Solana library, no React or Next code, and nothing the page loads later", async () => {
    const { code, metafile } = await bundleLaunch();
    const inputs = Object.keys(metafile.inputs);
    const packages = [...new Set(inputs.map((p) => p.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).filter(Boolean))].sort();
    expect(packages.filter((p) => /^(zod|@solana\/|react|react-dom|next|scheduler|buffer|bn\.js|@noble\/curves)$/.test(p!) || p!.startsWith("@solana/"))).toEqual([]);
    // The app's own files in it: the launch, the mint call, the lean SDK core; never a component.
    const own = inputs.filter((p) => !p.includes("node_modules") && !p.startsWith("absent:")).sort();
    expect(own).toEqual(["app/components/share-client.ts", "app/launch/entry.ts", "app/launch/launch.ts", "app/sdk/miniapp-core.browser.ts"]);
    expect(code).not.toMatch(/ZodError|\$ZodType/);
    // Small enough to ride with the HTML: a budget, not a timing.
    expect(code.length).toBeLessThan(60_000);
  });
});
