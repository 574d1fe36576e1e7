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

/**
 * A local avatar host: `/p/<anything>.jpg` answers a 400×400 JPEG photo. The pixels come from a
 * pool of pre-made photos; a comment segment carrying the path makes every URL's bytes distinct,
 * so each request is a new picture to fetch, decode and normalise, as a new user's would be.
 */
export async function startPhotoServer(poolSize = 64) {
  const pool = await Promise.all(Array.from({ length: poolSize }, (_, i) => photoJpeg(i + 1)));
  let served = 0;
  const server = createServer((req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    if (!path.startsWith("/p/")) return void res.writeHead(404).end();
    let hash = 0;
    for (let i = 0; i < path.length; i++) hash = (Math.imul(hash, 31) + path.charCodeAt(i)) >>> 0;
    const base = pool[hash % pool.length]!;
    const note = Buffer.from(path.slice(0, 200), "latin1");
    // SOI, then a COM segment (FF FE, big-endian length including itself), then the rest.
    const segment = Buffer.alloc(4);
    segment.writeUInt16BE(0xfffe, 0);
    segment.writeUInt16BE(note.length + 2, 2);
    const body = Buffer.concat([base.subarray(0, 2), segment, note, base.subarray(2)]);
    served++;
    res.writeHead(200, { "content-type": "image/jpeg", "content-length": body.length, "cache-control": "public, max-age=600" });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    served: () => served,
    photo: (i: number) => photoJpeg(i),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
