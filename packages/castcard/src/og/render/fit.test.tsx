import { describe, expect, it, vi } from "vitest";
import { Line, DESIGNS } from "../../design/index";
import { SAMPLE_USERS } from "../../testing";
import { loadDefaultFonts } from "../fonts/index";
import { fitName } from "./fit";
import { createCardRenderer } from "./index";
import { baseDirection, richText } from "./prepare";

const renderer = createCardRenderer(loadDefaultFonts());
const box = { maxWidth: 600, maxFontSize: 80, minFontSize: 40, fontWeight: 700 as const };
const input = (username: string) => ({ username, hasAvatar: false, brand: "Castcard", subtitle: "made a Castcard" });
const textOf = (segments: { kind: string; text?: string; alt?: string }[]) => segments.map((s) => s.text ?? s.alt).join("");

describe("name fitting", () => {
  it("keeps a short ASCII name at full size without measuring it", async () => {
    const measure = vi.fn(async () => 0);
    const fitted = await fitName(richText("@alice", null), box, measure);
    expect(fitted).toMatchObject({ fontSize: 80, truncated: false });
    expect(measure).not.toHaveBeenCalled();
  });

  it("shrinks a name that does not fit, down to a size at which it does", async () => {
    const measure = (el: Parameters<typeof renderer.measure>[0]) => renderer.measure(el);
    const fitted = await fitName(richText("@a_rather_long_name_x", null), box, measure);
    expect(fitted.truncated).toBe(false);
    expect(fitted.fontSize).toBeLessThan(80);
    expect(fitted.fontSize).toBeGreaterThanOrEqual(40);
    const width = await renderer.measure(<Line value={fitted} size={fitted.fontSize} style={{ fontWeight: 700, overflow: "visible" }} />);
    expect(width).toBeLessThanOrEqual(box.maxWidth);
    expect(width).toBeGreaterThan(box.maxWidth * 0.85);
  });

  it("cuts a name too long even at the floor, ending in an ellipsis", async () => {
    const measure = (el: Parameters<typeof renderer.measure>[0]) => renderer.measure(el);
    const name = "@the_quick_brown_fox_jumps_over_the_lazy_dog_and_keeps_on_running";
    const fitted = await fitName(richText(name, null), box, measure);
    expect(fitted).toMatchObject({ fontSize: 40, truncated: true });
    const shown = textOf(fitted.segments);
    expect(shown.endsWith("…")).toBe(true);
    expect(name.startsWith(shown.slice(0, -1))).toBe(true);
    const width = await renderer.measure(<Line value={fitted} size={40} style={{ fontWeight: 700, overflow: "visible" }} />);
    expect(width).toBeLessThanOrEqual(box.maxWidth);
  });

  it("lays right-to-left names out right to left, whatever comes first", () => {
    expect(baseDirection("@محمد")).toBe("rtl");
    expect(baseDirection("@דניאל dev")).toBe("rtl");
    expect(baseDirection("@dev محمد")).toBe("ltr");
    expect(baseDirection("@🚀")).toBe("ltr");
  });

  it("nothing overflows: every sample's name fits its box in every template", async () => {
    for (const template of DESIGNS) {
      for (const sample of SAMPLE_USERS) {
        const { props, images, fontFamilies } = await renderer.prepare(template, input(sample.username));
        const width = await renderer.measure(
          <Line value={props.name} size={props.name.fontSize} style={{ fontWeight: template.name.fontWeight, overflow: "visible" }} />,
          { images, fontFamilies },
        );
        expect(width, `${template.id}/${sample.id}`).toBeLessThanOrEqual(template.name.maxWidth);
        expect(props.name.fontSize).toBeGreaterThanOrEqual(template.name.minFontSize);
      }
    }
  });
});
