import { describe, expect, it } from "vitest";
import { loadConfig } from "../../config/index";
import { LIMITS, parseNotificationId, reachNotification } from "./texts";

const graphemes = (s: string) => [...new Intl.Segmenter(undefined, { granularity: "grapheme" }).segment(s)].map((g) => g.segment);
/** `clipped` is `full` cut after a whole grapheme, with "…", or `full` itself. */
const cutOnGraphemes = (clipped: string, full: string) => {
  if (clipped === full) return true;
  const kept = clipped.replace(/…$/, "");
  const parts = graphemes(full);
  let prefix = "";
  for (const g of parts) {
    if (prefix.trimEnd() === kept) return true;
    prefix += g;
  }
  return prefix.trimEnd() === kept;
};

const APP = { name: "Acme Quest", url: "https://castcard.example.com" };
const SHARE = "AbCdEfGhIjKlMnOpQrStUv";

describe("reach notification texts", () => {
  it("says the count in the app's words, with a stable id and a target on the app's origin", () => {
    expect(reachNotification(SHARE, 1, APP)).toEqual({
      notificationId: `reach:${SHARE}:1`,
      title: "Your card brought 1 person",
      body: "1 person opened Acme Quest from your cast.",
      targetUrl: `https://castcard.example.com/?reach=${SHARE}`,
    });
    expect(reachNotification(SHARE, 1000, APP).title).toBe("Your card brought 1000 people");
    expect(parseNotificationId(`reach:${SHARE}:25`)).toEqual({ share: SHARE, milestone: 25 });
    expect(parseNotificationId("reach:../x:1")).toBeNull();
  });

  it("stays within the limits, cut on whole graphemes, for any name", () => {
    const names = ["👩‍👩‍👧‍👦".repeat(40), "🇯🇵🇫🇷".repeat(30), "ภาษาไทยที่ยาวมาก".repeat(10), "é".normalize("NFD").repeat(100), "x".repeat(300)];
    for (const name of names) {
      const texts = { title: "{name}: {count} {people}", body: "{count} {people} opened {name} from your cast, and {name} again." };
      const n = reachNotification(SHARE, 500, { ...APP, name }, texts);
      expect(n.title.length, name).toBeLessThanOrEqual(LIMITS.title);
      expect(n.body.length, name).toBeLessThanOrEqual(LIMITS.body);
      expect(cutOnGraphemes(n.title, texts.title.replace("{name}", name).replace("{count}", "500").replace("{people}", "people")), name).toBe(true);
      expect(n.notificationId.length).toBeLessThanOrEqual(LIMITS.notificationId);
    }
  });

  it("takes the app's own texts from its definition", () => {
    const { config } = loadConfig({ APP_URL: "https://a.example.com" }, { app: { name: "Quest", notification: { title: "{count} new {people}!" } } });
    expect(config.app.notification).toEqual({ title: "{count} new {people}!", body: "{count} {people} opened {name} from your cast." });
    expect(reachNotification(SHARE, 5, { name: config.app.name, url: config.appUrl }, config.app.notification).title).toBe("5 new people!");
    expect(() => loadConfig({}, { app: { notification: { body: "" } } })).toThrow("app.notification.body must be a text of 1 to 200 characters");
  });
});
