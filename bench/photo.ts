// A stand-in for a real profile photo: a 400×400 JPEG with a photo's entropy (smooth shapes plus
// sensor-like noise), different for every seed, so no cache anywhere can reuse a previous one.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";

export async function photoJpeg(seed: number, size = 400): Promise<Buffer> {
  const hue = (seed * 47) % 360;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}">
<defs><radialGradient id="g" cx="${30 + (seed % 40)}%" cy="35%" r="80%"><stop offset="0" stop-color="hsl(${hue},60%,75%)"/><stop offset="1" stop-color="hsl(${(hue + 90) % 360},50%,25%)"/></radialGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>
<circle cx="${size / 2}" cy="${size * 0.4}" r="${size * 0.2}" fill="hsl(${(hue + 30) % 360},40%,80%)"/>
<ellipse cx="${size / 2}" cy="${size}" rx="${size * 0.38}" ry="${size * 0.32}" fill="hsl(${(hue + 200) % 360},45%,40%)"/>
</svg>`;
  const base = await sharp(Buffer.from(svg)).removeAlpha().raw().toBuffer();
  // Deterministic noise per seed (xorshift), like a camera sensor's.
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < base.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    base[i] = Math.max(0, Math.min(255, base[i]! + ((x >>> 0) % 25) - 12));
  }
  return sharp(base, { raw: { width: size, height: size, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
}

/** Pre-made photos, so serving or handing one over costs no drawing. */
export function photoPool(size = 64): Promise<Buffer[]> {
  return Promise.all(Array.from({ length: size }, (_, i) => photoJpeg(i + 1)));
}

/**
 * A pool photo made into distinct bytes for `key`: a JPEG comment segment carrying the key right
 * after the start marker. The pixels are a pool photo's; the file is one no cache has seen.
 */
export function distinctPhoto(pool: readonly Buffer[], key: string): Buffer {
  let hash = 0;
  for (let i = 0; i < key.length; i++) hash = (Math.imul(hash, 31) + key.charCodeAt(i)) >>> 0;
  const base = pool[hash % pool.length]!;
  const note = Buffer.from(key.slice(0, 200), "latin1");
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(note.length + 2, 2);
  return Buffer.concat([base.subarray(0, 2), segment, note, base.subarray(2)]);
}

/**
 * A local avatar host: `/p/<anything>` answers a 400×400 JPEG photo with bytes of its own, so
 * each URL is a new picture to fetch, decode and normalise, as a new user's would be.
 */
export async function startPhotoServer(pool?: readonly Buffer[]) {
  const photos = pool ?? (await photoPool());
  let served = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (!path.startsWith("/p/")) return void res.writeHead(404).end();
    const body = distinctPhoto(photos, path);
    served++;
    res.writeHead(200, { "content-type": "image/jpeg", "content-length": body.length, "cache-control": "public, max-age=600" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
