import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./index";

describe("configuration", () => {
  it("falls back to localhost in development, with one warning about https", () => {
    const { config, warnings } = loadConfig({ PORT: "4321" });
    expect(config.appUrl).toBe("http://localhost:4321");
    expect(config.ogUrl).toBe("http://localhost:4321");
    expect(warnings.filter((w) => w.includes("APP_URL"))).toHaveLength(1);
  });

  it("refuses a production start without APP_URL, in one line", () => {
    expect(() => loadConfig({ NODE_ENV: "production" })).toThrow(ConfigError);
    try {
      loadConfig({ NODE_ENV: "production" });
    } catch (error) {
      expect((error as Error).message).toMatch(/^APP_URL is not set/);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("accepts NEXT_PUBLIC_URL as an alias and keeps only the origin", () => {
    const { config } = loadConfig({ NODE_ENV: "production", NEXT_PUBLIC_URL: "https://cards.example.com/some/path/" });
    expect(config.appUrl).toBe("https://cards.example.com");
  });

  it("rejects a malformed APP_URL with a message naming it", () => {
    expect(() => loadConfig({ APP_URL: "cards.example.com" })).toThrow(/APP_URL must be an absolute http\(s\) URL/);
  });

  it("points image URLs at a separate image service when OG_SERVICE_URL is set", () => {
    const { config } = loadConfig({ APP_URL: "https://app.example.com", OG_SERVICE_URL: "https://img.example.com" });
    expect(config.ogUrl).toBe("https://img.example.com");
  });

  it("serves the manifest without accountAssociation unless all three parts are set, and warns once", () => {
    const partial = loadConfig({ APP_URL: "https://a.example.com", ACCOUNT_ASSOCIATION_HEADER: "h" });
    expect(partial.config.accountAssociation).toBeNull();
    expect(partial.warnings.filter((w) => w.includes("accountAssociation"))).toHaveLength(1);
    const full = loadConfig({
      APP_URL: "https://a.example.com",
      ACCOUNT_ASSOCIATION_HEADER: "h",
      ACCOUNT_ASSOCIATION_PAYLOAD: "p",
      ACCOUNT_ASSOCIATION_SIGNATURE: "s",
    });
    expect(full.config.accountAssociation).toEqual({ header: "h", payload: "p", signature: "s" });
    expect(full.warnings.some((w) => w.includes("accountAssociation"))).toBe(false);
  });

  it("warns when the test-only avatar escape hatch is on", () => {
    const { config, warnings } = loadConfig({ AVATAR_ALLOW_PRIVATE: "1" });
    expect(config.avatar.allowPrivate).toBe(true);
    expect(warnings.some((w) => w.includes("AVATAR_ALLOW_PRIVATE"))).toBe(true);
    expect(loadConfig({}).config.avatar.allowPrivate).toBe(false);
  });

  it("requires sign-in exactly when SHARE_SECRET is set, against QUICK_AUTH_ORIGIN for APP_URL's host", () => {
    const open = loadConfig({ APP_URL: "https://cards.example.com" });
    expect(open.config.auth).toEqual({ required: false, origin: "https://auth.farcaster.xyz", domain: "cards.example.com" });
    expect(open.warnings.filter((w) => w.includes("POST /api/share is open"))).toHaveLength(1);
    const signed = loadConfig({ APP_URL: "https://cards.example.com:8443/", SHARE_SECRET: "k", QUICK_AUTH_ORIGIN: "https://auth.example.com/" });
    expect(signed.config.auth).toEqual({ required: true, origin: "https://auth.example.com", domain: "cards.example.com:8443" });
    expect(signed.warnings.some((w) => w.includes("POST /api/share is open"))).toBe(false);
    // Without SHARE_SECRET anyone can write the analytics; the warning says so (and only with analytics on).
    expect(open.warnings.filter((w) => /anyone can post casts, cancels and launches for any share/.test(w))).toHaveLength(1);
    expect(signed.warnings.some((w) => w.includes("anyone can post casts"))).toBe(false);
    expect(loadConfig({ ANALYTICS: "off" }).warnings.some((w) => w.includes("anyone can post casts"))).toBe(false);
    expect(() => loadConfig({ QUICK_AUTH_ORIGIN: "auth.example.com" })).toThrow(/QUICK_AUTH_ORIGIN must be an absolute http\(s\) URL/);
  });

  it("reads HUB_URL (keeping a path prefix) and HUB_API_KEY, and says when the names are self-declared", () => {
    const { config, warnings } = loadConfig({ APP_URL: "https://a.example.com", SHARE_SECRET: "k", HUB_URL: "https://hub.example.com/api/", HUB_API_KEY: "secret" });
    expect(config.hub).toEqual({ url: "https://hub.example.com/api", apiKey: "secret" });
    expect(warnings.some((w) => w.includes("HUB_URL"))).toBe(false);
    const without = loadConfig({ APP_URL: "https://a.example.com", SHARE_SECRET: "k" });
    expect(without.config.hub).toBeNull();
    expect(without.warnings.filter((w) => w.includes("HUB_URL is not set"))).toHaveLength(1);
    expect(() => loadConfig({ HUB_URL: "https://user:pw@hub.example.com" })).toThrow(/HUB_URL must be/);
    expect(loadConfig({ HUB_API_KEY: "x" }).warnings.some((w) => w.includes("HUB_API_KEY is set without HUB_URL"))).toBe(true);
  });

  it("turns share analytics on by default: SQLite under ./data, 400 days kept, stats open only in development", () => {
    const { config, warnings } = loadConfig({ APP_URL: "https://a.example.com" });
    expect(config.analytics).toEqual({ enabled: true, dataDir: resolve("data"), databaseUrl: null, retentionDays: 400, statsToken: null });
    expect(warnings.filter((w) => w.includes("STATS_TOKEN"))).toHaveLength(0);
    const production = loadConfig({ APP_URL: "https://a.example.com", NODE_ENV: "production" });
    expect(production.warnings.filter((w) => w.startsWith("STATS_TOKEN is not set"))).toHaveLength(1);
  });

  it("reads DATA_DIR, DATABASE_URL, ANALYTICS, ANALYTICS_RETENTION_DAYS and STATS_TOKEN", () => {
    const { config } = loadConfig({
      APP_URL: "https://a.example.com",
      DATA_DIR: "/var/lib/castcard",
      DATABASE_URL: "postgres://u:p@db.example.com:5432/castcard",
      ANALYTICS_RETENTION_DAYS: "30",
      STATS_TOKEN: "0123456789abcdef0123",
    });
    expect(config.analytics).toEqual({
      enabled: true,
      dataDir: "/var/lib/castcard",
      databaseUrl: "postgres://u:p@db.example.com:5432/castcard",
      retentionDays: 30,
      statsToken: "0123456789abcdef0123",
    });
    expect(loadConfig({ ANALYTICS: "off" }).config.analytics.enabled).toBe(false);
    expect(loadConfig({ ANALYTICS: "ON" }).config.analytics.enabled).toBe(true);
  });

  it("refuses bad analytics settings in one line, without echoing a database password", () => {
    expect(() => loadConfig({ ANALYTICS: "maybe" })).toThrow(/^ANALYTICS must be "on" or "off"/);
    expect(() => loadConfig({ DATABASE_URL: "mysql://u:secret@h/db" })).toThrow(/^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/);
    try {
      loadConfig({ DATABASE_URL: "mysql://u:secret@h/db" });
    } catch (error) {
      expect((error as Error).message).not.toContain("secret");
    }
    expect(() => loadConfig({ ANALYTICS_RETENTION_DAYS: "0" })).toThrow(/^ANALYTICS_RETENTION_DAYS: /);
    expect(() => loadConfig({ ANALYTICS_RETENTION_DAYS: "ten" })).toThrow(/^ANALYTICS_RETENTION_DAYS: /);
    expect(loadConfig({ STATS_TOKEN: "short" }).warnings.filter((w) => w.includes("shorter than 16"))).toHaveLength(1);
  });

  it("refuses, in one line, a STATS_TOKEN that no request could send as a Bearer token", () => {
    for (const token of ["two words here and more", "tab\tinside-the-token", "new\nline-in-the-token", "caf\u00e9-0123456789abcdef"]) {
      expect(() => loadConfig({ STATS_TOKEN: token })).toThrow(ConfigError);
      try {
        loadConfig({ STATS_TOKEN: token });
      } catch (error) {
        expect((error as Error).message).toMatch(/^STATS_TOKEN: must be printable ASCII without spaces/);
        expect((error as Error).message).not.toContain("\n");
        expect((error as Error).message).not.toContain(token);
      }
    }
    // Surrounding blanks are trimmed (a .env habit), and what remains travels as it is.
    expect(loadConfig({ STATS_TOKEN: "  0123456789abcdef-_.~+/=  " }).config.analytics.statsToken).toBe("0123456789abcdef-_.~+/=");
  });
});

describe("the app's definition", () => {
  const APP = { APP_URL: "https://acme.example.com" };

  it("is Castcard by default, with today's texts, and no accent for the designs", () => {
    const { app } = loadConfig(APP).config;
    expect(app).toMatchObject({
      name: "Castcard",
      buttonTitle: "Make your Castcard",
      ogTitle: "Castcard",
      color: "#2D1B69",
      accent: null,
      iconUrl: null,
      splashImageUrl: null,
      sampleUser: { username: "castcard", displayName: null },
      card: { brand: "Castcard", subtitle: "made a Castcard" },
      castText: "I made my Castcard ✨ Make yours:",
      category: "social",
    });
  });

  it("follows from APP_NAME alone: no text, sample or card says Castcard", () => {
    const { app } = loadConfig({ ...APP, APP_NAME: "Acme Quest" }).config;
    expect(app.name).toBe("Acme Quest");
    expect(app.buttonTitle).toBe("Make your Acme Quest card");
    expect(app.ogTitle).toBe("Acme Quest");
    expect(app.sampleUser.username).toBe("acmequest");
    expect(app.card).toEqual({ brand: "Acme Quest", subtitle: "made an Acme Quest card" });
    expect(JSON.stringify(app)).not.toMatch(/castcard/i);
  });

  it("keeps derived texts within the manifest's limits, and plain where the manifest wants them plain", () => {
    const name = "Cats & Dogs -- The Great Outdoors";
    expect(() => loadConfig({ ...APP, APP_NAME: name })).toThrow(/APP_NAME is 33 characters; the Mini App manifest allows at most 32/);
    const { app } = loadConfig({ ...APP, APP_NAME: name.slice(0, 32) }).config;
    expect(app.buttonTitle).toBe("Make your card");
    expect(app.ogTitle.length).toBeLessThanOrEqual(30);
    expect(app.ogTitle).not.toMatch(/[&]|--/);
    expect(app.ogTitle).toMatch(/^Cats and Dogs - The Great Out.*…$/);
  });

  it("takes the environment's APP_* over the code's app, and the code's over the defaults", () => {
    const code = { name: "Code Name", tagline: "From the code", description: "Said in code.", color: "#123" };
    const { app } = loadConfig({ ...APP, APP_NAME: "Env Name", APP_COLOR: "#0b6e4f", APP_BUTTON_TITLE: "Play now" }, { app: code }).config;
    expect(app).toMatchObject({ name: "Env Name", buttonTitle: "Play now", tagline: "From the code", description: "Said in code.", color: "#0B6E4F", accent: "#0B6E4F" });
    expect(loadConfig(APP, { app: code }).config.app).toMatchObject({ name: "Code Name", color: "#112233", accent: "#112233" });
  });

  it("refuses, in one line naming the setting, an explicit value the manifest would refuse", () => {
    const cases: Array<[Record<string, string>, { app?: object }, RegExp]> = [
      [{ APP_TAGLINE: "A tagline that is far too long to fit" }, {}, /^APP_TAGLINE is 37 characters; the Mini App manifest allows at most 30/],
      [{ APP_DESCRIPTION: "Cards & more" }, {}, /^APP_DESCRIPTION holds one of @ # \$/],
      [{ APP_NAME: "Quest 🚀" }, {}, /^APP_NAME holds an emoji/],
      [{ APP_BUTTON_TITLE: "x".repeat(33) }, {}, /^APP_BUTTON_TITLE is 33 characters/],
      [{ APP_COLOR: "green" }, {}, /^APP_COLOR must be a hex colour like #0B6E4F, got "green"/],
      [{ APP_ICON_URL: "icon.png" }, {}, /^APP_ICON_URL must be an absolute http\(s\) URL/],
      [{}, { app: { tags: ["a", "b", "c", "d", "e", "f"] } }, /^app\.tags has 6 tags/],
      [{}, { app: { tags: ["two words"] } }, /^app\.tags\[0\] holds a space/],
      [{}, { app: { ogDescription: "Wow!! Cards" } }, /^app\.ogDescription repeats punctuation/],
      [{}, { app: { category: "cards" } }, /^app\.category must be one of games, social/],
    ];
    for (const [env, code, message] of cases) {
      let error: unknown;
      try {
        loadConfig({ ...APP, ...env }, code as never);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("takes its own icon, splash, sample user, card texts and cast text from code", () => {
    const { app } = loadConfig(APP, {
      app: {
        name: "Acme Quest",
        iconUrl: "https://cdn.example.com/icon.png",
        splashImageUrl: "https://cdn.example.com/splash.png",
        sampleUser: { username: "@questbot", displayName: "Quest Bot" },
        card: { brand: "ACME", subtitle: "finished a quest" },
        castText: "My quest card 🗺️",
        tags: ["quest", "game"],
        category: "games",
      },
    }).config;
    expect(app).toMatchObject({
      iconUrl: "https://cdn.example.com/icon.png",
      splashImageUrl: "https://cdn.example.com/splash.png",
      sampleUser: { username: "questbot", displayName: "Quest Bot" },
      card: { brand: "ACME", subtitle: "finished a quest" },
      castText: "My quest card 🗺️",
      tags: ["quest", "game"],
      category: "games",
    });
  });
});
