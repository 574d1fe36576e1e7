// Long on purpose: the card URL module is one module, so its tests (signing, parsing, canonical form,
// fields, minting, length limits) stay in one file beside it.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCard, field, DESIGNS, designRegistry, type Design } from "../design/index";
import { SeedCard, seed } from "../design/seed";
import { createCardUrls, createSigner, DEFAULT_USERNAME, MAX_CARD_URL_LENGTH, MintError, RESERVED_PARAMS } from "./index";

const urls = createCardUrls({ appUrl: "https://castcard.example.com" });
const parse = (query: string, cardUrls = urls) => cardUrls.parse(new URLSearchParams(query));
const canonical = (query: string) => {
  const result = parse(query);
  if (!result.ok) throw new Error(result.message);
  return result.canonical;
};
const refusal = (query: string, cardUrls = urls) => {
  const result = parse(query, cardUrls);
  if (result.ok) throw new Error(`accepted ${query}`);
  return result;
};

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

  it("is off without secrets and then verifies nothing; minted URLs then carry no sig", () => {
    const off = createSigner([]);
    expect(off.enabled).toBe(false);
    expect(off.verify(message, signer.sign(message))).toBe(false);
    expect(urls.mint({ user: { username: "alice" } }).imageUrl).toBe("https://castcard.example.com/api/og?username=alice&v=1");
  });
});

describe("parsing identity and settings", () => {
  it("defaults to User, no image, version 1, the default design", () => {
    const result = parse("");
    expect(result).toMatchObject({
      ok: true,
      card: { user: { username: DEFAULT_USERNAME, displayName: null, pfpUrl: null, fid: null }, v: "1", namesDesign: false, design: { id: "seed" } },
      invalidImage: false,
    });
  });

  it("keeps a username and strips a leading @; cleans a display name like a name", () => {
    expect(parse("username=%40alice&displayName=%E2%80%AEAlice%20%F0%9F%8C%B8&fid=7")).toMatchObject({
      ok: true,
      card: { user: { username: "alice", displayName: "Alice 🌸", fid: 7 } },
    });
    // A display name of nothing printable is no display name.
    expect(parse("displayName=%E2%80%8F%20")).toMatchObject({ ok: true, card: { user: { displayName: null } } });
  });

  it("treats an unusable image URL as no image, and says so", () => {
    for (const image of ["not a url", "javascript:alert(1)", "ftp://x.example/a.png", `https://x.example/${"a".repeat(600)}`]) {
      expect(parse(new URLSearchParams({ image }).toString())).toMatchObject({ ok: true, card: { user: { pfpUrl: null } }, invalidImage: true });
    }
  });

  it.each([
    ["v=%3Cscript%3E", "v: "],
    [`v=${"1".repeat(17)}`, "v: "],
    ["fid=0", "fid: expected a positive whole number"],
    ["fid=-3", "fid: expected a positive whole number"],
    ["fid=1.5", "fid: expected a positive whole number"],
    ["fid=1234567890123456", "fid: expected a positive whole number"],
    ["template=Split%2F..", "template: "],
    ["template=nope", 'template: unknown design "nope"'],
  ])("refuses %s with a 400 that names the parameter", (query, start) => {
    const result = refusal(query);
    expect(result.status).toBe(400);
    expect(result.message.startsWith(start)).toBe(true);
    expect(result.message.length).toBeLessThan(100);
  });

  it("gives equal cards one canonical string whatever the order and spelling of the request", () => {
    expect(canonical("v=1&image=https://I.EXAMPLE.com/a.png&username=bob")).toBe(canonical("username=%40bob&image=https%3A%2F%2Fi.example.com%2Fa.png"));
    expect(canonical("username=a b%26c")).toBe("username=a+b%26c&v=1");
    // Identity first, then settings, then the design's fields in declared order.
    expect(canonical("label=pts&score=0042&size=og&template=score&fid=9&username=al&displayName=Al&rank=3")).toBe(
      "username=al&displayName=Al&fid=9&v=1&template=score&size=og&score=42&label=pts&rank=3",
    );
    // The default size is left out, so embed URLs read as before sizes existed.
    expect(canonical("username=al&size=embed")).toBe("username=al&v=1");
  });
});

describe("a design's data fields", () => {
  it("parses score, label and rank into typed values", () => {
    expect(parse("template=score&username=alice&score=-4200&label=points&rank=1")).toMatchObject({
      ok: true,
      card: { data: { score: -4200, label: "points", rank: 1 } },
    });
    expect(canonical("template=score&score=-0")).toBe("username=User&v=1&template=score&score=0");
  });

  it.each([
    ["template=score", "score: required, expected a whole number of at most 13 digits"],
    ["template=score&score=abc", "score: expected a whole number of at most 13 digits"],
    ["template=score&score=1.5", "score: expected a whole number of at most 13 digits"],
    ["template=score&score=12345678901234", "score: expected a whole number of at most 13 digits"],
    ["template=score&score=", "score: expected a whole number of at most 13 digits"],
    ["template=score&score=1&rank=-2", "rank: expected a whole number of at most 9 digits, at least 1"],
    ["template=score&score=1&rank=0", "rank: expected a whole number of at most 9 digits, at least 1"],
    ["template=score&score=1&label=" + "x".repeat(25), "label: expected text of 1 to 24 characters (96 bytes)"],
    ["template=score&score=1&label=" + "x".repeat(300), "label: too long (at most 256 characters)"],
    ["template=member", "fid: required by the member design, expected a positive whole number"],
  ])("refuses %s: %s", (query, message) => {
    // The answer's text is made from a structured problem: the field at fault and the rule it broke.
    const [field, ...rule] = message.split(": ");
    expect(refusal(query)).toEqual({ ok: false, status: 400, message, problem: { status: 400, field, rule: rule.join(": ") } });
  });

  it("supports decimals, choices and dates, each refusing what is out of bounds", () => {
    const race = defineCard({
      id: "race",
      label: "Race",
      fields: z.object({ time: field.decimal({ digits: 3, places: 2 }), medal: field.choice(["gold", "silver"]), on: field.date().optional() }),
      name: seed.name,
      avatar: { side: 100 },
      render: SeedCard,
    });
    const mine = createCardUrls({ designs: designRegistry([race]) });
    expect(parse("template=race&time=12.50&medal=gold&on=2026-11-25", mine)).toMatchObject({ ok: true, canonical: "username=User&v=1&template=race&time=12.5&medal=gold&on=2026-11-25" });
    expect(refusal("template=race&time=1234&medal=gold", mine).message).toBe("time: expected a number with at most 3 digits and 2 decimals");
    expect(refusal("template=race&time=1&medal=bronze", mine).message).toBe("medal: expected one of gold, silver");
    expect(refusal("template=race&time=1&medal=gold&on=2026-02-30", mine).message).toBe("on: expected a date as YYYY-MM-DD");
  });
});

describe("defineCard", () => {
  const base = { label: "X", name: seed.name, avatar: { side: 100 }, render: SeedCard };

  it.each(RESERVED_PARAMS)("refuses a field named %s, saying it is reserved", (name) => {
    expect(() => defineCard({ ...base, id: "clash", fields: z.object({ [name]: field.int() }) })).toThrow(
      new RegExp(`field "${name}" clashes with the reserved card parameter "${name}"`),
    );
  });

  it("refuses a malformed id or field name, and fields that are not a zod object", () => {
    expect(() => defineCard({ ...base, id: "Bad Id", fields: z.object({}) })).toThrow(/id must be/);
    expect(() => defineCard({ ...base, id: "ok", fields: z.object({ "a-b": field.int() }) })).toThrow(/field "a-b" must be/);
    expect(() => defineCard({ ...base, id: "ok", fields: z.string() as unknown as z.ZodObject })).toThrow(/zod object/);
  });
});

describe("signed card URLs", () => {
  const signed = createCardUrls({ secrets: ["k1"], appUrl: "https://castcard.example.com" });
  const query = new URL(signed.mint({ design: "score", user: { username: "alice", fid: 3 }, data: { score: 4200, label: "points" } }).imageUrl).search.slice(1);

  it("accepts a minted query in any parameter order", () => {
    expect(parse(query, signed).ok).toBe(true);
    expect(parse(query.split("&").reverse().join("&"), signed).ok).toBe(true);
  });

  it.each([
    ["no sig", query.replace(/&sig=[^&]+/, ""), 403],
    ["another score", query.replace("score=4200", "score=9999"), 403],
    ["another label", query.replace("label=points", "label=pts"), 403],
    ["a rank added", `${query}&rank=1`, 403],
    ["another fid", query.replace("fid=3", "fid=4"), 403],
    ["a display name added", `${query}&displayName=Admin`, 403],
    ["another size", `${query}&size=og`, 403],
    ["an unknown parameter", `${query}&utm_source=x`, 400],
    ["a field of another design", `${query}&nope=1`, 400],
    ["a repeated score", `${query}&score=1`, 400],
  ])("refuses %s", (_label, q, status) => {
    const result = refusal(q, signed);
    expect(result.status).toBe(status);
    expect(result.message.length).toBeLessThan(60);
  });

  it("stays lenient without a secret: unknown names ignored, the first of a repeat used", () => {
    expect(parse("username=alice&utm_source=x&username=bob")).toMatchObject({ ok: true, card: { user: { username: "alice" } } });
  });
});

describe("mint", () => {
  const signed = createCardUrls({ secrets: ["k1"], appUrl: "https://castcard.example.com", ogUrl: "https://og.castcard.example.com" });

  it("mints signed image and share URLs that parse back to the same card", () => {
    const { imageUrl, shareUrl } = signed.mint({ design: "score", user: { fid: 7, username: "alice", displayName: "Alice" }, data: { score: 4200 } });
    expect(imageUrl.startsWith("https://og.castcard.example.com/api/og?")).toBe(true);
    expect(shareUrl.startsWith("https://castcard.example.com/share?")).toBe(true);
    const parsed = signed.parse(new URL(imageUrl).searchParams);
    expect(parsed).toMatchObject({ ok: true, card: { user: { fid: 7, username: "alice", displayName: "Alice" }, data: { score: 4200 } } });
    expect(new URL(shareUrl).search).toBe(new URL(imageUrl).search);
  });

  it("refuses bad data with an error that names the field", () => {
    const attempt = (data: Record<string, unknown>) => () => signed.mint({ design: "score", user: { username: "a" }, data: data as never });
    expect(attempt({})).toThrow(new MintError("score", "required, expected a whole number of at most 13 digits"));
    expect(attempt({ score: 1e14 })).toThrow(/^score: expected a whole number/);
    expect(attempt({ score: Number.NaN })).toThrow(/^score: expected a finite number/);
    expect(attempt({ score: 1, bonus: 2 })).toThrow(/^bonus: not a field of the score design/);
    expect(() => signed.mint({ design: "member", user: { username: "a" } })).toThrow(/^fid: required/);
  });

  it("shortens a long display name to fit 1024 characters instead of refusing it", () => {
    const displayName = "🧑🏽‍💻".repeat(40);
    const { imageUrl, shareUrl } = signed.mint({ user: { fid: 1, username: "a".repeat(60), displayName, pfpUrl: `https://i.example.com/${"p".repeat(480)}` } });
    expect(imageUrl.length).toBeLessThanOrEqual(MAX_CARD_URL_LENGTH);
    expect(shareUrl.length).toBeLessThanOrEqual(MAX_CARD_URL_LENGTH);
    const kept = new URL(imageUrl).searchParams.get("displayName")!;
    expect(kept.endsWith("…")).toBe(true);
    expect(displayName.startsWith(kept.slice(0, -1))).toBe(true);
    expect(signed.parse(new URL(imageUrl).searchParams).ok).toBe(true);
  });

  it("refuses, naming the field, a value that would push the URL past 1024 characters", () => {
    const longOrigin = createCardUrls({ secrets: ["k1"], appUrl: `https://${"a".repeat(200)}.example.com` });
    const pfpUrl = `https://i.example.com/${"é".repeat(240)}`; // each é is 6 characters once encoded
    expect(() => longOrigin.mint({ user: { fid: 1, username: "alice", pfpUrl } })).toThrow(/^image: too long for a card URL/);
  });

  it("keeps the longest allowed values of every built-in design within 1024 characters, signed", () => {
    // Each design's data at its bounds: the most digits, and text at its byte limit in the costliest
    // characters to encode (24 one-byte letters would be cheaper than 96 bytes of CJK).
    const longest: Record<string, Record<string, string | number>> = {
      score: { score: -9999999999999, label: "🌸".repeat(24), rank: 999999999 },
    };
    for (const design of DESIGNS as readonly Design[]) {
      // A real user at their longest: an ENS name, a display name of emoji, a long CDN picture URL.
      const user = {
        fid: 999999999999999,
        username: "the-longest-ens-name-here.eth",
        displayName: "🧑🏽‍💻".repeat(32),
        pfpUrl: `https://imagedelivery.net/${"p".repeat(280)}/original`,
      };
      const minted = signed.mint({ design: design.id, user, data: longest[design.id] ?? {} });
      expect(minted.imageUrl.length, design.id).toBeLessThanOrEqual(MAX_CARD_URL_LENGTH);
      expect(minted.shareUrl.length, design.id).toBeLessThanOrEqual(MAX_CARD_URL_LENGTH);
      const parsed = signed.parse(new URL(minted.imageUrl).searchParams);
      expect(parsed.ok, design.id).toBe(true);
      if (parsed.ok) {
        expect(parsed.card.data, design.id).toEqual(longest[design.id] ?? {});
        expect(parsed.card.user).toMatchObject({ fid: user.fid, username: user.username, pfpUrl: user.pfpUrl });
      }
    }
    expect(Object.keys(longest).every((id) => DESIGNS.some((t) => t.id === id))).toBe(true);
  });
});
