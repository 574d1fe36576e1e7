// A stand-in for a real profile photo: a 400×400 JPEG with a photo's entropy (smooth shapes plus
// sensor-like noise), different for every seed, so no cache anywhere can reuse a previous one.
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
