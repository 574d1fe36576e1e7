import { Renderer } from "@takumi-rs/core";
import { fromJsx } from "@takumi-rs/helpers/jsx";
import type { ReactElement } from "react";
import { CARD_HEIGHT, CARD_WIDTH, AVATAR_SRC } from "../card/index";
import type { FontFile } from "../fonts/index";

export interface CardRenderer {
  /** Resolves once fonts are registered; render() waits for it too. */
  ready: Promise<void>;
  /** Renders a card element to PNG. Rejects (never crashes the process) when rendering fails. */
  render(element: ReactElement, avatarPng: Uint8Array | null): Promise<Buffer>;
}

export function createCardRenderer(fonts: FontFile[]): CardRenderer {
  const renderer = new Renderer();
  // The Renderer constructor ignores fonts; they must be registered one by one.
  const ready = Promise.all(fonts.map((f) => renderer.registerFont({ name: f.name, weight: f.weight, data: f.data }))).then(
    () => undefined,
  );
  return {
    ready,
    async render(element, avatarPng) {
      await ready;
      const { node, css } = await fromJsx(element);
      return renderer.render(node, {
        width: CARD_WIDTH,
        height: CARD_HEIGHT,
        format: "png",
        css,
        images: avatarPng ? [{ src: AVATAR_SRC, data: avatarPng }] : [],
      });
    },
  };
}
