import { describe, expect, it } from "vitest";
import { cardParams } from "../params/index";
import { createSigner, parseSignedCardParams, signedQuery } from "./index";

describe("createSigner", () => {
  const signer = createSigner(["new-key", "old-key"]);
  const message = "username=alice&v=1";

  it("signs with HMAC-SHA256 in base64url (43 characters, no padding)", () => {
    const sig = signer.sign(message);
    expect(sig).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(signer.verify(message, sig)).toBe(true);
    expect(sig).not.toBe(createSigner(["other"]).sign(message));
  });

  it("verifies with every key and signs with the first (rotation)", () => {
    const old = createSigner(["old-key"]).sign(message);
    expect(signer.verify(message, old)).toBe(true);
    expect(signer.sign(message)).toBe(createSigner(["new-key"]).sign(message));
    expect(createSigner(["new-key"]).verify(message, old)).toBe(false);
  });

  it("refuses a missing, truncated, padded, re-cased or re-encoded signature", () => {
    const sig = signer.sign(message);
    const last = sig.at(-1)!;
    // Same bytes, other spelling: the unused low bits of the last character changed.
    const alias = sig.slice(0, -1) + String.fromCharCode(last.charCodeAt(0) ^ 1);
    for (const bad of [null, "", sig.slice(0, -1), `${sig}=`, `${sig}A`, sig.toUpperCase(), Buffer.from(sig, "base64url").toString("base64"), alias]) {
      if (bad === sig) continue;
      expect(signer.verify(message, bad)).toBe(false);
    }
    expect(signer.verify(`${message}&x=1`, sig)).toBe(false);
  });

  it("is off without secrets and then verifies nothing", () => {
    const off = createSigner([]);
    expect(off.enabled).toBe(false);
    expect(off.verify(message, signer.sign(message))).toBe(false);
    expect(signedQuery(off, cardParams({ username: "alice" }))).toBe("username=alice&v=1");
  });
});

describe("parseSignedCardParams", () => {
  const signer = createSigner(["k1"]);
  const query = signedQuery(signer, cardParams({ username: "alice", image: "https://example.com/a.png" }));
  const parse = (q: string) => parseSignedCardParams(signer, new URLSearchParams(q));

  it("accepts a minted query, in any parameter order", () => {
    expect(parse(query).ok).toBe(true);
    expect(parse(query.split("&").reverse().join("&")).ok).toBe(true);
  });

  it.each([
    ["no sig", query.replace(/&sig=[^&]+/, ""), 403],
    ["another user", query.replace("username=alice", "username=bob"), 403],
    ["another image", query.replace("example.com", "example.net"), 403],
    ["an added default-looking parameter", `${query}&template=seed`, 403],
    ["an unknown parameter", `${query}&utm_source=x`, 400],
    ["a repeated username", `${query}&username=bob`, 400],
    ["a repeated sig", `${query}&sig=x`, 400],
  ])("refuses %s", (_label, q, status) => {
    const result = parse(q);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.status).toBe(status);
      expect(result.message.length).toBeLessThan(40);
    }
  });

  it("stays lenient without a secret: unknown names ignored, no sig needed", () => {
    const result = parseSignedCardParams(createSigner([]), new URLSearchParams("username=alice&utm_source=x&username=bob"));
    expect(result.ok && result.params.username).toBe("alice");
  });
});
