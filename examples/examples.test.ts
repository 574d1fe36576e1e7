import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pngSize } from "../tests/support/png";
import { startExample } from "./start-example";

// Each example is started as a reader would run it and must behave the same.
describe.each(["examples/hono/server.ts", "examples/node-http/server.ts"])("%s", (file) => {
  let example: Awaited<ReturnType<typeof startExample>>;
  beforeAll(async () => {
    example = await startExample(file);
  });
  afterAll(() => example?.stop());

  it("serves a valid 1200×800 PNG card from createOgHandler", async () => {
    const res = await fetch(`${example.url}/api/og?username=alice`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/png");
    expect(res.headers.get("cache-control")).toMatch(/max-age=[1-9]/);
    expect(pngSize(new Uint8Array(await res.arrayBuffer()))).toEqual({ width: 1200, height: 800 });
  });

  it("answers a repeat with If-None-Match as 304, and bad input with a short 400", async () => {
    const first = await fetch(`${example.url}/api/og?username=alice`);
    const etag = first.headers.get("etag")!;
    expect(etag).toBeTruthy();
    const again = await fetch(`${example.url}/api/og?username=alice`, { headers: { "if-none-match": etag } });
    expect(again.status).toBe(304);
    const bad = await fetch(`${example.url}/api/og?v=%3Cscript%3E`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).not.toContain("<script>");
  });

  it("stops on SIGTERM", async () => {
    await example.stop();
    expect(await example.exited).toBe(0);
  });
});
