import { describe, expect, it } from "vitest";
import { MAX_JSON_BODY_BYTES, readCapped, readJsonBody } from "./body";

const post = (body: BodyInit | null, headers: Record<string, string> = {}) =>
  new Request("https://castcard.example.com/api/share", { method: "POST", body, headers, duplex: "half" } as RequestInit);

/** A body that sends `chunk` forever, and records how much was pulled and whether it was cancelled. */
function endless(chunk = new Uint8Array(1024).fill(32)) {
  const seen = { pulled: 0, cancelled: false };
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      seen.pulled += chunk.byteLength;
      controller.enqueue(chunk);
    },
    cancel() {
      seen.cancelled = true;
    },
  });
  return { stream, seen };
}

describe("readJsonBody", () => {
  it("parses a small JSON body", async () => {
    expect(await readJsonBody(post(JSON.stringify({ fid: 7, username: "alice" })))).toEqual({ ok: true, value: { fid: 7, username: "alice" } });
  });

  it("accepts a body of exactly the cap and refuses one byte more with 413", async () => {
    const exact = `"${"a".repeat(MAX_JSON_BODY_BYTES - 2)}"`;
    expect((await readJsonBody(post(exact))).ok).toBe(true);
    const over = await readJsonBody(post(`"${"a".repeat(MAX_JSON_BODY_BYTES - 1)}"`));
    expect(over).toMatchObject({ ok: false, status: 413 });
  });

  it("refuses a declared length over the cap without reading the body", async () => {
    const { stream, seen } = endless();
    const res = await readJsonBody(post(stream, { "content-length": String(5 * 1024 * 1024) }));
    expect(res).toMatchObject({ ok: false, status: 413 });
    expect(seen.pulled).toBeLessThanOrEqual(64 * 1024); // at most what the stream queued up front
    expect(seen.cancelled).toBe(true);
  });

  it("cuts off a body without a length at the cap, and cancels it", async () => {
    const { stream, seen } = endless();
    const res = await readJsonBody(post(stream));
    expect(res).toMatchObject({ ok: false, status: 413 });
    expect(seen.cancelled).toBe(true);
    expect(seen.pulled).toBeLessThan(MAX_JSON_BODY_BYTES + 64 * 1024);
  });

  it("does not trust a small declared length: the bytes are counted", async () => {
    const { stream, seen } = endless();
    const res = await readJsonBody(post(stream, { "content-length": "10" }));
    expect(res).toMatchObject({ ok: false, status: 413 });
    expect(seen.cancelled).toBe(true);
  });

  it.each([
    ["an empty body", ""],
    ["broken JSON", '{"fid": 7,'],
    ["invalid UTF-8", new Uint8Array([0x22, 0xff, 0xfe, 0x22])],
  ])("answers 400 for %s", async (_label, body) => {
    expect(await readJsonBody(post(body))).toMatchObject({ ok: false, status: 400, message: "Bad request: body must be JSON" });
  });

  it("answers 400 when the stream errors", async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode("{"));
        controller.error(new Error("connection reset"));
      },
    });
    expect(await readJsonBody(post(stream))).toMatchObject({ ok: false, status: 400 });
  });
});

describe("readCapped", () => {
  it("joins chunks in order", async () => {
    const parts = ["ab", "cd", "e"].map((s) => new TextEncoder().encode(s));
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const p of parts) controller.enqueue(p);
        controller.close();
      },
    });
    const read = await readCapped(stream, 5);
    expect(read.ok && new TextDecoder().decode(read.bytes)).toBe("abcde");
  });
});
