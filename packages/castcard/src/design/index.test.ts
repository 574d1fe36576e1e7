import { describe, expect, it } from "vitest";
import { createOgHandler } from "../og/index";
import { plainCardProps, DESIGNS, designRegistry, type Design } from "./index";

const noAvatar = async () => ({ ok: false as const, reason: "none" });

describe("template registry", () => {
  it("has the seed default, the score and member data designs and more, with distinct ids", () => {
    const ids = DESIGNS.map((t) => t.id);
    expect(ids[0]).toBe("seed");
    expect(ids).toEqual(expect.arrayContaining(["seed", "split", "poster", "score", "member"]));
    expect(new Set(ids).size).toBe(ids.length);
    expect(designRegistry().defaultId).toBe("seed");
  });

  it("takes a server's own design, and refuses a malformed id or an unknown default", () => {
    const mine: Design = { ...DESIGNS[0]!, id: "mine" };
    expect(designRegistry([mine], "mine").get("mine")).toBe(mine);
    expect(() => designRegistry([{ ...mine, id: "Bad Id" }])).toThrow();
    expect(() => designRegistry([], "nope")).toThrow();
  });

  it("plain props render with the seed card for other renderers", () => {
    const props = plainCardProps({ username: "alice", brand: "B", subtitle: "S" });
    expect(props.name).toMatchObject({ fontSize: 76, segments: [{ kind: "text", text: "@alice" }] });
    // A design with data gets its first sample's, so other renderers draw a real card.
    const score = DESIGNS.find((t) => t.id === "score")!;
    const member = DESIGNS.find((t) => t.id === "member")!;
    expect(plainCardProps({ username: "a", brand: "B", subtitle: "S" }, score).data).toEqual({ score: 0 });
    expect(plainCardProps({ username: "a", brand: "B", subtitle: "S" }, member).fid).toBe(1);
  });
});

describe("the template parameter", () => {
  const og = createOgHandler({ avatar: noAvatar, cache: { renderBytes: 0 } });
  const get = (query: string) => og(new Request(`http://127.0.0.1/api/og?${query}`));

  it("chooses the design: each template draws a different card", async () => {
    const bodies = await Promise.all(
      // Every design gets what the data designs need (score, fid); the others ignore it.
      ["username=alice&score=1&fid=1", ...DESIGNS.map((t) => `username=alice&score=1&fid=1&template=${t.id}`)].map(async (q) => {
        const response = await get(q);
        expect(response.status).toBe(200);
        return Buffer.from(await response.arrayBuffer()).toString("base64");
      }),
    );
    expect(bodies[0]).toBe(bodies[1]); // no template = seed
    expect(new Set(bodies.slice(1)).size).toBe(DESIGNS.length);
  });

  it("answers an unknown or malformed template with a short 400", async () => {
    for (const q of ["template=nope", "template=..%2Fseed"]) {
      const response = await get(`username=alice&${q}`);
      expect(response.status).toBe(400);
      expect((await response.text()).length).toBeLessThan(100);
    }
  });
});
