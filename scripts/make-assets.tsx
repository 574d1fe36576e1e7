// Renders the app's icon (1024×1024, no alpha) and splash (200×200) into public/ with the same
// renderer and fonts as the cards. Run `npm run assets` after changing the brand.
import { writeFileSync } from "node:fs";
import sharp from "sharp";
import { loadDefaultFonts } from "castcard";
import { Renderer } from "@takumi-rs/core";
import { fromJsx } from "@takumi-rs/helpers/jsx";

const renderer = new Renderer();
for (const f of loadDefaultFonts()) await renderer.registerFont({ name: f.name, weight: f.weight, data: f.data });

async function mark(size: number) {
  const { node, css } = await fromJsx(
    <div
      style={{
        width: size,
        height: size,
        display: "flex",
        alignItems: "center",
        justifyContent: "center",
        backgroundImage: "linear-gradient(135deg, #2D1B69 0%, #5B2FC9 60%, #8A5CF6 100%)",
        fontFamily: "Inter",
        fontWeight: 700,
        color: "#FFFFFF",
        fontSize: size * 0.56,
      }}
    >
      C
    </div>,
  );
  const png = await renderer.render(node, { width: size, height: size, css, format: "png" });
  // Farcaster asks for icons without an alpha channel.
  return sharp(png).removeAlpha().png().toBuffer();
}

writeFileSync("public/icon.png", await mark(1024));
writeFileSync("public/splash.png", await mark(200));
console.log("wrote public/icon.png and public/splash.png");
