import { describe, expect, it } from "vitest";
import { canonicalQuery, cardParams, DEFAULT_USERNAME, DEFAULT_VERSION, parseCardParams } from "./index";

const parse = (query: string) => parseCardParams(new URLSearchParams(query));

describe("card parameters", () => {
  it("defaults to User, no image, version 1", () => {
    expect(parse("")).toEqual({ ok: true, params: { username: DEFAULT_USERNAME, image: null, v: DEFAULT_VERSION, template: null }, invalidImage: false });
  });

  it("keeps a username and strips a leading @", () => {
    const result = parse("username=%40alice&image=https%3A%2F%2Fi.example.com%2Fa.png&v=2");
    expect(result).toMatchObject({ ok: true, params: { username: "alice", image: "https://i.example.com/a.png", v: "2" } });
  });

  it("treats an unusable image URL as no image, and says so", () => {
    for (const image of ["not a url", "javascript:alert(1)", "ftp://x.example/a.png", `https://x.example/${"a".repeat(600)}`]) {
      const result = parse(new URLSearchParams({ image }).toString());
      expect(result).toMatchObject({ ok: true, params: { image: null }, invalidImage: true });
    }
  });

  it("refuses a malformed card version", () => {
    expect(parse("v=%3Cscript%3E")).toMatchObject({ ok: false });
    expect(parse(`v=${"1".repeat(17)}`)).toMatchObject({ ok: false });
  });

  it("gives equal cards one canonical string whatever the input order and spelling", () => {
    const a = parse("v=1&image=https://I.EXAMPLE.com/a.png&username=bob");
    const b = parse("username=%40bob&image=https%3A%2F%2Fi.example.com%2Fa.png");
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(canonicalQuery(a.params)).toBe(canonicalQuery(b.params));
    expect(canonicalQuery(cardParams({ username: "a b&c" }))).toBe("username=a+b%26c&v=1");
  });

  it("carries the template in the canonical (signed) string, and refuses a malformed one", () => {
    const a = parse("template=split&username=bob");
    expect(a).toMatchObject({ ok: true, params: { template: "split" } });
    if (a.ok) expect(canonicalQuery(a.params)).toBe("username=bob&v=1&template=split");
    expect(parse("template=Split%2F..")).toMatchObject({ ok: false });
    expect(parse(`template=${"a".repeat(33)}`)).toMatchObject({ ok: false });
  });
});
