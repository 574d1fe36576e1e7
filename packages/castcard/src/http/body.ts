/** The most POST /api/share reads of a body: a share request is a few hundred bytes. */
export const MAX_JSON_BODY_BYTES = 16 * 1024;

export type CappedRead = { ok: true; bytes: Uint8Array } | { ok: false; reason: "too-large" | "read-failed" };

/**
 * Reads a byte stream up to `maxBytes`, and cancels it as soon as it goes past: memory never
 * holds more than `maxBytes` plus one chunk, whatever the sender claims or sends.
 */
export async function readCapped(stream: ReadableStream<Uint8Array> | null, maxBytes: number): Promise<CappedRead> {
  if (!stream) return { ok: true, bytes: new Uint8Array(0) };
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxBytes) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, reason: "too-large" };
      }
      chunks.push(value);
    }
  } catch {
    await reader.cancel().catch(() => undefined);
    return { ok: false, reason: "read-failed" };
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return { ok: true, bytes };
}

export type JsonBody = { ok: true; value: unknown } | { ok: false; status: 400 | 413; message: string };

/**
 * A request's JSON body, read with a cap. A declared `content-length` over the cap is refused
 * before reading; a body that turns out longer than it says (or has no length) is cut off at the cap.
 */
export async function readJsonBody(request: Request, maxBytes = MAX_JSON_BODY_BYTES): Promise<JsonBody> {
  const tooLarge = { ok: false, status: 413, message: `Payload too large: the body must be at most ${maxBytes} bytes` } as const;
  const declared = request.headers.get("content-length");
  if (declared !== null && /^\d+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => undefined);
    return tooLarge;
  }
  const read = await readCapped(request.body, maxBytes);
  if (!read.ok) return read.reason === "too-large" ? tooLarge : { ok: false, status: 400, message: "Bad request: the body could not be read" };
  try {
    return { ok: true, value: JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(read.bytes)) };
  } catch {
    return { ok: false, status: 400, message: "Bad request: body must be JSON" };
  }
}
