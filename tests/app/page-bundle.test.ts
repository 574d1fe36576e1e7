import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNextApp, type RunningApp } from "../support/next-app";

// What the production home page ships to the browser: the launch script inline, then Next's
// chunks. Neither may carry zod or the Solana library, which the page never runs (they come in
// through the Farcaster SDK's core package; app/sdk explains the stand-in that keeps them out).
// Markers are strings those libraries keep through minification.
const ZOD = /\$ZodType|ZodError/;
const SOLANA = /Invalid public key input/;

let app: RunningApp;
beforeAll(async () => {
  app = await startNextApp();
});
afterAll(() => app?.stop());

async function homePage() {
  const html = await (await fetch(`${app.url}/`)).text();
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1]!);
  const chunks = [...new Set([...html.matchAll(/<script[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1]!))];
  return { html, inline, chunks };
}

describe("the home page's browser code", () => {
  it("inlines the launch script right after the page's markup", async () => {
    const { html, inline } = await homePage();
    const launch = inline.find((code) => code.includes("miniapp.first-screen.launch"));
    expect(launch, "the launch script is inline").toBeDefined();
    // After the <main> it reads the first design from; Next's chunks load async, in parallel.
    expect(html.indexOf("data-first-design")).toBeGreaterThan(0);
    expect(html.indexOf(launch!)).toBeGreaterThan(html.indexOf("data-first-design"));
    expect(launch).not.toMatch(ZOD);
    expect(launch).not.toMatch(SOLANA);
  });

  it("loads no chunk carrying zod or the Solana library", async () => {
    const { chunks } = await homePage();
    expect(chunks.length).toBeGreaterThan(2);
    for (const src of chunks) {
      const code = await (await fetch(new URL(src, app.url))).text();
      expect(code, src).not.toMatch(ZOD);
      expect(code, src).not.toMatch(SOLANA);
    }
  });
});
