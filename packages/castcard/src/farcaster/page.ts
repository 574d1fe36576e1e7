// The share page a cast embeds, as plain HTML: the same page from every front.
import type { CastcardConfig } from "../config/index";
import { accentPalette } from "../design/index";
import type { ShareUrls } from "../url/index";
import { cardMetaTags } from "./embed";

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** The share page a cast embeds: its card in both embed dialects, for Open Graph and X, and for a person. */
export function sharePageHtml(
  config: CastcardConfig,
  who: { username: string; displayName: string | null },
  urls: ShareUrls & { ogImageUrl: string; /** Where the embed's button opens the app; default APP_URL. */ launchUrl?: string },
): string {
  const title = `${who.displayName ? `${who.displayName} (@${who.username})` : `@${who.username}`} on ${config.app.name}`;
  const meta = cardMetaTags(config, urls.imageUrl, { title, description: config.app.description, url: urls.shareUrl, ogImageUrl: urls.ogImageUrl }, urls.launchUrl)
    .map((m) => `<meta ${m.key}="${m.id}" content="${escapeHtml(m.content)}">`)
    .join("\n");
  const image = escapeHtml(urls.imageUrl);
  const { base, ink } = accentPalette(config.app.color);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
${meta}
</head><body style="margin:0;font-family:system-ui,sans-serif;background:${base};color:${ink};display:flex;flex-direction:column;align-items:center;gap:16px;padding:24px">
<img src="${image}" width="600" height="400" alt="${escapeHtml(title)}" style="max-width:100%;height:auto;border-radius:12px">
<a href="${escapeHtml(config.appUrl)}" style="color:${ink}">Open ${escapeHtml(config.app.name)} to make your own</a>
</body></html>`;
}
