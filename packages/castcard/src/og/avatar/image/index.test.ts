import { describe, expect, it } from "vitest";
import sharp from "sharp";
import { manyFrameGif, pngDeclaring } from "../../../../../../tests/hostile/support";
import { FetchRefused } from "../guarded-fetch/index";
import { normaliseAvatar, sniffImage } from "./index";

const limits = { maxSide: 4096, maxPixels: 4096 * 4096, outputSize: 224 };
const green = () => sharp({ create: { width: 32, height: 32, channels: 3, background: "#00ff00" } });
const reason = (promise: Promise<unknown>) => promise.then(() => "ok", (e: unknown) => (e instanceof FetchRefused ? e.reason : String(e)));

describe("sniffImage", () => {
  it("knows each accepted format by its first bytes", async () => {
    expect(sniffImage(await green().png().toBuffer())).toBe("png");
    expect(sniffImage(await green().jpeg().toBuffer())).toBe("jpeg");
    expect(sniffImage(await green().gif().toBuffer())).toBe("gif");
    expect(sniffImage(await green().webp().toBuffer())).toBe("webp");
    expect(sniffImage(await green().avif().toBuffer())).toBe("avif");
  });

  it.each([
    ["SVG", "<svg xmlns='http://www.w3.org/2000/svg'/>"],
    ["HTML", "<!doctype html>"],
    ["empty", ""],
    ["RIFF that is not WebP", "RIFF\0\0\0\0WAVEfmt "],
    ["an ftyp box of another brand", "\0\0\0\x18ftypmp42\0\0\0\0mp42isom"],
  ])("refuses %s", (_label, text) => {
    expect(sniffImage(Buffer.from(text, "latin1"))).toBeNull();
  });
});

describe("normaliseAvatar", () => {
  it("turns any accepted image into a PNG square of exactly the asked size", async () => {
    const png = await normaliseAvatar(await green().resize(200, 100).webp().toBuffer(), "image/webp", limits);
    expect(sniffImage(png)).toBe("png");
    expect(await sharp(png).metadata()).toMatchObject({ width: 224, height: 224 });
    const larger = await normaliseAvatar(await green().jpeg().toBuffer(), "image/jpeg", { ...limits, outputSize: 308 });
    expect(await sharp(larger).metadata()).toMatchObject({ width: 308, height: 308 });
  });

  it("keeps the picture: a photo's pixels survive, scaled to the box", async () => {
    // Left half red, right half blue: after the cover resize each half keeps its colour.
    const halves = await sharp({ create: { width: 400, height: 400, channels: 3, background: "#ff0000" } })
      .composite([{ input: await sharp({ create: { width: 200, height: 400, channels: 3, background: "#0000ff" } }).png().toBuffer(), left: 200, top: 0 }])
      .jpeg({ quality: 95 })
      .toBuffer();
    const png = await normaliseAvatar(halves, "image/jpeg", limits);
    const { data, info } = await sharp(png).raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => Array.from(data.subarray((y * info.width + x) * info.channels, (y * info.width + x) * info.channels + 3));
    expect(at(20, 112)[0]).toBeGreaterThan(200);
    expect(at(20, 112)[2]).toBeLessThan(60);
    expect(at(200, 112)[2]).toBeGreaterThan(200);
    expect(at(200, 112)[0]).toBeLessThan(60);
  });

  it("refuses by the header alone past 4096 px a side or 16 MP", async () => {
    expect(await reason(normaliseAvatar(pngDeclaring(100_000, 100_000), "image/png", limits))).toBe("dimensions");
    expect(await reason(normaliseAvatar(pngDeclaring(4097, 1), "image/png", limits))).toBe("dimensions");
    expect(await reason(normaliseAvatar(pngDeclaring(4096, 4097), "image/png", limits))).toBe("dimensions");
  });

  it("decodes only the first frame of an animation", async () => {
    const png = await normaliseAvatar(manyFrameGif(2000, 500), "image/gif", limits);
    // All 2000 frames would be a 500 × 1,000,000 strip, far past the pixel limit.
    const meta = await sharp(png).metadata();
    expect([meta.width, meta.height, meta.pages ?? 1]).toEqual([224, 224, 1]);
  });

  it("refuses bytes that disagree with the declared type", async () => {
    expect(await reason(normaliseAvatar(await green().png().toBuffer(), "image/webp", limits))).toBe("type-mismatch");
  });
});
