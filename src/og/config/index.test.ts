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
});
