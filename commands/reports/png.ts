// SVG → PNG for charts in chat, with resvg (Rust, prebuilt in the npm
// package: no browser, no native build). The same SVG the dashboard shows
// inline, drawn at twice its size so it stays sharp on a phone. Text needs
// a font on the machine: Debian's fonts-dejavu-core (in most images) is
// what the SVG asks for first; without any font the bars still draw but
// their words don't, and the message's text and alt text still carry every
// figure.
import { Resvg } from "@resvg/resvg-js";
import type { Chart } from "./charts/bars.ts";
import { PALETTE } from "./charts/svg.ts";

export interface Png {
  bytes: Buffer;
  width: number;
  height: number;
}

export function renderPng(chart: Pick<Chart, "svg">, zoom = 2): Png {
  const image = new Resvg(chart.svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: PALETTE.background,
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    logLevel: "off",
  }).render();
  return { bytes: image.asPng(), width: image.width, height: image.height };
}
