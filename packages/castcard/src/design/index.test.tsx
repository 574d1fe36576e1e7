import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createOgHandler } from "../og/index";
import { plainCardProps } from "../testing";
import { accentPalette, contrast, defineCard, DESIGNS, designRegistry, luminance, Name, type Design } from "./index";

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

describe("designs in the app's colour", () => {
  const draw = async (design: Design, accent: string | null) => {
    const og = createOgHandler({ avatar: noAvatar, cache: { renderBytes: 0 }, designs: [design], defaultDesign: design, accent });
    const res = await og(new Request("http://127.0.0.1/api/og?username=alice&score=42&fid=7"));
    expect(res.status).toBe(200);
    return Buffer.from(await res.arrayBuffer());
  };

  it.each(DESIGNS.map((d) => [d.id, d] as const))("%s takes props.accent, and keeps its own colours without one", async (_id, design) => {
    const [own, green, yellow] = await Promise.all([draw(design, null), draw(design, "#0B6E4F"), draw(design, "#FFD000")]);
    expect(green.equals(own)).toBe(false);
    expect(yellow.equals(green)).toBe(false);
  });

  it("gives shades that read: ink on the colour, and the colour on dark and light cards", () => {
    for (const color of ["#0B6E4F", "#FFD000", "#2D1B69", "#FFFFFF", "#000000"]) {
      const p = accentPalette(color);
      // The better of white and near-black on the colour: at least 4.5:1 for any colour.
      expect(contrast(p.ink, p.base)).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.onDark, "#0E1120")).toBeGreaterThanOrEqual(4.5);
      expect(contrast(p.onLight, "#FFF6E5")).toBeGreaterThanOrEqual(4.5);
      expect(luminance(p.deep)).toBeLessThanOrEqual(luminance(p.base));
      expect(luminance(p.bright)).toBeGreaterThanOrEqual(luminance(p.base));
    }
    expect(() => accentPalette("green")).toThrow(/expected a colour/);
  });
});

describe("what a design draws with", () => {
  it("the built-in designs import nothing an app's design cannot: only what the package exports", () => {
    const here = dirname(fileURLToPath(import.meta.url));
    const publicNames = new Set(
      [...readFileSync(join(here, "../index.ts"), "utf8").matchAll(/export (?:type )?\{([^}]*)\}/g)].flatMap((m) => m[1]!.split(",").map((n) => n.trim().replace(/^type /, "")).filter(Boolean)),
    );
    for (const design of DESIGNS) {
      const source = readFileSync(join(here, `${design.id === "seed" ? "seed" : design.id}.tsx`), "utf8");
      const imported = [...source.matchAll(/import \{([^}]*)\} from "(\.[^"]+|zod)"/g)].flatMap((m) => m[1]!.split(",").map((n) => n.trim().replace(/^type /, "")));
      expect(imported.length).toBeGreaterThan(3);
      expect(imported.filter((name) => !publicNames.has(name))).toEqual([]);
    }
  });

  it("<Name> draws at its box's weight", async () => {
    const weighed = (fontWeight: 400 | 700) =>
      defineCard({
        id: `weight-${fontWeight}`,
        label: "Weight",
        fields: z.object({}),
        avatar: { side: 100 },
        name: { maxWidth: 1000, maxFontSize: 80, minFontSize: 40, fontWeight },
        render: ({ name, size }) => (
          <div style={{ width: size.width, height: size.height, display: "flex", backgroundColor: "#FFFFFF", color: "#000000", fontFamily: "Inter" }}>
            <Name name={name} />
          </div>
        ),
      });
    const ink = async (design: Design) => {
      const og = createOgHandler({ avatar: noAvatar, cache: { renderBytes: 0 }, designs: [design], defaultDesign: design });
      const png = Buffer.from(await (await og(new Request("http://127.0.0.1/api/og?username=wwwwmmmm"))).arrayBuffer());
      const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
      let dark = 0;
      for (let i = 0; i < data.length; i += info.channels) if (data[i]! < 128) dark++;
      return dark;
    };
    const [regular, bold] = await Promise.all([ink(weighed(400)), ink(weighed(700))]);
    expect(regular).toBeGreaterThan(1000);
    // Bold strokes cover clearly more of the card than regular ones.
    expect(bold).toBeGreaterThan(regular * 1.2);
  });

  it("refuses a malformed design version", () => {
    expect(() => defineCard({ ...DESIGNS[0]!, id: "v", version: "two words" })).toThrow(/version must be 1–16/);
    expect(defineCard({ ...DESIGNS[0]!, id: "v", version: "2.1" }).version).toBe("2.1");
  });
});
