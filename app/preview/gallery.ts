import { castcard } from "@/castcard";
import { createOgHandler, type OgHandler } from "castcard";
import { BROKEN_AVATAR_URL, SAMPLE_USERS, sampleAvatarSvg, sampleQuery, type SampleUser } from "castcard/testing";
import sharp from "sharp";

// The gallery: every design of the app × the fixed sample users, drawn by the same core as
// /api/og, with the app's brand and colour. Its own handler answers with local stand-in pictures,
// so it works offline and needs no signed URLs.

const SAMPLE_AVATAR_HOST = "https://sample-avatar.castcard.invalid";

export const notFound = () =>
  new Response("Not found", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });

export const previewEnabled = () => castcard.instance().config.preview;

/** The app's designs, as /api/og serves them. */
const designs = () => castcard.instance().urls.designs;

let handler: OgHandler | undefined;
function previewHandler(): OgHandler {
  const { app } = castcard.instance().config;
  handler ??= createOgHandler({
    designs: designs().list(),
    defaultDesign: designs().get(designs().defaultId),
    brand: app.card.brand,
    subtitle: app.card.subtitle,
    accent: app.accent,
    avatar: async (url, size) => {
      const id = url.startsWith(`${SAMPLE_AVATAR_HOST}/`) ? url.slice(SAMPLE_AVATAR_HOST.length + 1) : null;
      if (!id || !SAMPLE_USERS.some((s) => s.id === id)) return { ok: false, reason: "sample-broken" };
      return { ok: true, png: await sharp(Buffer.from(sampleAvatarSvg(id))).resize(size, size).png({ compressionLevel: 0 }).toBuffer() };
    },
    cache: { renderBytes: 8 * 1024 * 1024 },
  });
  return handler;
}

function imageFor(sample: SampleUser): string | null {
  if (sample.avatar === "picture") return `${SAMPLE_AVATAR_HOST}/${sample.id}`;
  return sample.avatar === "broken" ? BROKEN_AVATAR_URL : null;
}

/** GET /preview/card?template=<id>&sample=<id>: one card, never cached (designs change while you work). */
export async function previewCard(request: Request): Promise<Response> {
  const search = new URL(request.url).searchParams;
  const sample = SAMPLE_USERS.find((s) => s.id === search.get("sample"));
  const design = designs().get(search.get("template") ?? "");
  if (!sample || !design) return new Response("Bad request: unknown sample or template", { status: 400, headers: { "cache-control": "no-store" } });
  const og = previewHandler();
  // The sample's card as a typed value, straight into the pipeline: no URL is made or read.
  const { fid, ...data } = sampleQuery(design, sample);
  const card = og.urls.cardFor({
    design: design.id,
    user: { username: sample.username, displayName: sample.displayName ?? null, pfpUrl: imageFor(sample), fid: fid ? Number(fid) : null },
    data,
  });
  const result = await og.render(card);
  if (!result.ok) return new Response(result.message, { status: result.status, headers: { "cache-control": "no-store" } });
  return new Response(new Uint8Array(result.card.png), {
    headers: { "content-type": "image/png", "cache-control": "no-store", "x-castcard-avatar": result.card.avatar },
  });
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** GET /preview: the grid. Captions name the sample only: the card draws the name, the browser's fonts may not. */
export function galleryHtml(): string {
  const title = `${castcard.instance().config.app.name} preview gallery`;
  const sections = designs().list().map((t) => {
    const cards = SAMPLE_USERS.map((s) => {
      const src = `/preview/card?${new URLSearchParams({ template: t.id, sample: s.id })}`;
      const data = Object.entries(sampleQuery(t, s)).map(([k, v]) => `${k}=${v}`).join(" ");
      const caption = data ? `${s.label} · ${data}` : s.label;
      return `<figure><img src="${escape(src)}" width="256" height="171" alt="${escape(`${t.label}: ${caption}`)}"><figcaption title="${escape(s.username)}">${escape(caption)}</figcaption></figure>`;
    }).join("");
    return `<section><h2>${escape(t.label)} <code>template=${escape(t.id)}</code></h2><div class="grid">${cards}</div></section>`;
  }).join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escape(title)}</title>
<style>
body{margin:0;padding:24px 32px;font:14px/1.4 system-ui,sans-serif;background:#f4f3f8;color:#1b1a22}
h1{font-size:22px;margin:0 0 4px}p{margin:0 0 16px;color:#555}h2{font-size:17px;margin:20px 0 10px}code{font-size:13px;color:#5b2fc9;background:#ebe6fb;padding:1px 6px;border-radius:4px}
.grid{display:grid;grid-template-columns:repeat(5,256px);gap:14px}
figure{margin:0}img{display:block;border-radius:8px;box-shadow:0 1px 3px #0002;background:#ddd}
figcaption{margin-top:4px;font-size:12px;font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:256px}
</style></head><body>
<h1>${escape(title)}</h1>
<p>Every design × ${SAMPLE_USERS.length} sample users, drawn by the same renderer as <code>/api/og</code>, in the app's brand and colour. Add a design to <code>castcard.config.mjs</code> (or the package's <code>src/design/</code>) and reload.</p>
${sections}
<p style="margin-top:24px">Emoji graphics: Twemoji, CC-BY 4.0. Fonts: Inter and Noto Sans, SIL Open Font License.</p>
</body></html>`;
}
