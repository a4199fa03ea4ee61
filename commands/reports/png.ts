// SVG → PNG for charts in chat, with resvg (Rust, prebuilt in the npm
// package: no browser, no native build). The same SVG the dashboard shows
// inline, drawn at twice its size so it stays sharp on a phone. Text needs
// a font on the machine: Debian's fonts-dejavu-core (in most images) is
// what the SVG asks for first; without any font the bars still draw but
// their words don't, and the message's text and alt text still carry every
// figure.
import { createRequire } from "node:module";
import type { Chart } from "./charts/bars.ts";
import { PALETTE } from "./charts/svg.ts";

export interface Png {
  bytes: Buffer;
  width: number;
  height: number;
}

type ResvgModule = typeof import("@resvg/resvg-js");
let resvg: ResvgModule["Resvg"] | undefined;

/**
 * resvg is loaded with the first chart, not at every start: its native
 * binding costs about 5 MiB of memory and 10 ms, and most runs draw no chart.
 */
function loadResvg(): ResvgModule["Resvg"] {
  return (resvg ??= (createRequire(import.meta.url)("@resvg/resvg-js") as ResvgModule).Resvg);
}

export function renderPng(chart: Pick<Chart, "svg">, zoom = 2): Png {
  const Resvg = loadResvg();
  const image = new Resvg(chart.svg, {
    fitTo: { mode: "zoom", value: zoom },
    background: PALETTE.background,
    font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
    logLevel: "off",
  }).render();
  return { bytes: image.asPng(), width: image.width, height: image.height };
}
