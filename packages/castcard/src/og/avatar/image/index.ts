import sharp, { type Metadata } from "sharp";
import { FetchRefused } from "../guarded-fetch/index";

export type ImageKind = "png" | "jpeg" | "gif" | "webp" | "avif";

/** The only content types accepted; SVG is absent on purpose (scripts, external references). */
export const IMAGE_CONTENT_TYPES: Record<string, ImageKind> = {
  "image/png": "png",
  "image/jpeg": "jpeg",
  "image/gif": "gif",
  "image/webp": "webp",
  "image/avif": "avif",
};

export interface ImageLimits {
  maxSide: number;
  maxPixels: number;
  /** Side of the square PNG handed to the renderer: the size the card draws it at. */
  outputSize: number;
}

const ascii = (bytes: Uint8Array, start: number, text: string) =>
  bytes.length >= start + text.length && Buffer.from(bytes.subarray(start, start + text.length)).toString("latin1") === text;

/** What the first bytes say the file is, whatever its headers claimed. */
export function sniffImage(bytes: Uint8Array): ImageKind | null {
  if (ascii(bytes, 0, "\x89PNG\r\n\x1a\n")) return "png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "jpeg";
  if (ascii(bytes, 0, "GIF87a") || ascii(bytes, 0, "GIF89a")) return "gif";
  if (ascii(bytes, 0, "RIFF") && ascii(bytes, 8, "WEBP")) return "webp";
  if (ascii(bytes, 4, "ftyp") && isAvifBrand(bytes)) return "avif";
  return null;
}

function isAvifBrand(bytes: Uint8Array): boolean {
  const boxSize = Math.min(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0), bytes.length, 64);
  // Major brand at 8, compatible brands from 16 on.
  for (let at = 8; at + 4 <= boxSize; at += at === 8 ? 8 : 4) {
    if (ascii(bytes, at, "avif") || ascii(bytes, at, "avis")) return true;
  }
  return false;
}

// libvips' names for the same formats.
const VIPS_FORMAT: Record<ImageKind, string> = { png: "png", jpeg: "jpeg", gif: "gif", webp: "webp", avif: "heif" };

/**
 * Checks what the bytes are against what the server said, reads the size from the header alone
 * (no pixels decoded), then decodes the first frame only and re-encodes it as a square PNG of
 * exactly the drawn size. The PNG is stored without compression: it lives only in memory, on its
 * way to the renderer, and deflating a photo costs more than the rest of this function (see
 * docs/benchmarks.md). Throws FetchRefused.
 */
export async function normaliseAvatar(bytes: Buffer, contentType: string, limits: ImageLimits): Promise<Buffer> {
  const declared = IMAGE_CONTENT_TYPES[contentType];
  const actual = sniffImage(bytes);
  if (!actual) throw new FetchRefused("magic-bytes");
  if (actual !== declared) throw new FetchRefused("type-mismatch");

  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false, pages: 1 }).metadata();
  } catch {
    throw new FetchRefused("decode");
  }
  if (header.format !== VIPS_FORMAT[actual]) throw new FetchRefused("type-mismatch");
  const width = header.width ?? 0;
  const height = header.pageHeight ?? header.height ?? 0;
  if (!width || !height) throw new FetchRefused("decode");
  if (width > limits.maxSide || height > limits.maxSide || width * height > limits.maxPixels) {
    throw new FetchRefused("dimensions");
  }

  try {
    return await sharp(bytes, { limitInputPixels: limits.maxPixels, pages: 1, page: 0, failOn: "error", sequentialRead: true })
      .rotate()
      .resize(limits.outputSize, limits.outputSize, { fit: "cover" })
      .png({ compressionLevel: 0, adaptiveFiltering: false })
      .toBuffer();
  } catch {
    throw new FetchRefused("decode");
  }
}
