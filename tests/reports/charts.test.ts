// The charts: hand-made SVG that says what it shows (role, title, a
// description with every figure), drawn to a PNG by resvg that a test can
// read back: its size, that it isn't blank, that a bar's length follows its
// figure, and that its words were drawn (a font was found).
import { Resvg } from "@resvg/resvg-js";
import { describe, expect, it } from "vitest";
import { barChart, ofTarget } from "../../commands/reports/charts/bars.ts";
import { columnChart, lineChart, niceMax } from "../../commands/reports/charts/series.ts";
import { PALETTE } from "../../commands/reports/charts/svg.ts";
import { renderPng } from "../../commands/reports/png.ts";
import { decodePng, pixelsNear, pixelsUnlikeBackground } from "../helpers/png.ts";

const months = ["Jun", "Jul", "Aug"].map((m) => ({ short: m, long: `${m} 2026` }));
const progressOf = (value: number) => barChart({ id: "t", title: "Progress against our targets", rows: [{ label: "Activists", value, of: 50, note: ofTarget(value, 50) }] });

/** WCAG 2 relative luminance and contrast ratio. */
function contrast(a: string, b: string): number {
  const lum = (hex: string) => {
    const [r, g, bl] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

describe("charts as SVG", () => {
  it("are images with a title and a description that gives every figure", () => {
    const chart = barChart({ id: "p", title: "Progress", subtitle: "since the start", rows: [{ label: "Activists", value: 37, of: 50, note: ofTarget(37, 50) }, { label: "Webinars", value: 0, missing: true, note: "not tracked yet (target 10)" }] });
    expect(chart.svg).toMatch(/^<svg [^>]*role="img" aria-labelledby="p-title p-desc"/);
    expect(chart.svg).toContain('<title id="p-title">Progress</title>');
    expect(chart.description).toBe("Progress (since the start). Activists: 37 of 50 · 74%. Webinars: not tracked yet (target 10).");
    expect(chart.svg).toContain(`<desc id="p-desc">${chart.description}</desc>`);
    expect(ofTarget(50, 50)).toBe("50 of 50 · 100% ✓");
  });

  it("escape what they are given, so a name can't become markup", () => {
    const chart = barChart({ id: "x", title: "Meetings held per group", rows: [{ label: `<script>alert("x")</script> & co`, value: 1, note: "1 meeting" }] });
    expect(chart.svg).not.toContain("<script>");
    expect(chart.svg).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; co");
  });

  it("describe series month by month, with the target", () => {
    expect(lineChart({ id: "l", title: "Activists", months, values: [1, 4, 9], target: 50 }).description).toBe("Activists, since the start, at the end of each month: Jun 2026 1, Jul 2026 4, Aug 2026 9; target 50.");
    const stacked = columnChart({ id: "c", title: "People who did verified work", months, series: [{ name: "returning", colour: PALETTE.primary, values: [2, 3, 4] }, { name: "new", colour: PALETTE.accent, values: [1, 0, 2] }] });
    expect(stacked.description).toBe("People who did verified work, by month: Jun 2026 3 (returning 2, new 1); Jul 2026 3 (returning 3, new 0); Aug 2026 6 (returning 4, new 2).");
    expect([0, 7, 12, 130, 1000].map(niceMax)).toEqual([1, 8, 15, 150, 1000]);
  });

  it("use colours with enough contrast on white: text 7:1 and more, marks 3:1 and more (WCAG AA and AAA)", () => {
    for (const text of [PALETTE.ink, PALETTE.muted, PALETTE.primary]) expect(contrast(text, PALETTE.background)).toBeGreaterThanOrEqual(7);
    for (const mark of [PALETTE.accent, PALETTE.blue]) expect(contrast(mark, PALETTE.background)).toBeGreaterThanOrEqual(4.5);
    expect(contrast(PALETTE.primary, PALETTE.track)).toBeGreaterThanOrEqual(3);
  });
});

describe("charts as PNG", () => {
  it("are drawn at twice their size, not blank, and read back exactly as resvg drew them", () => {
    const chart = progressOf(20);
    const png = renderPng(chart);
    const decoded = decodePng(png.bytes);
    expect([decoded.width, decoded.height]).toEqual([chart.width * 2, chart.height * 2]);
    expect([png.width, png.height]).toEqual([decoded.width, decoded.height]);
    // The decoder agrees with resvg's own pixels, byte for byte.
    const rgba = new Resvg(chart.svg, { fitTo: { mode: "zoom", value: 2 }, background: PALETTE.background, font: { loadSystemFonts: true, defaultFontFamily: "DejaVu Sans" } }).render().pixels;
    expect(decoded.channels).toBe(4);
    expect(decoded.pixels.equals(rgba)).toBe(true);
    expect(pixelsUnlikeBackground(decoded)).toBeGreaterThan(decoded.width * decoded.height * 0.02);
  });

  it("draw a bar as long as its figure: 40 of 50 has four times the bar of 10 of 50", () => {
    const bar = (value: number) => pixelsNear(decodePng(renderPng(progressOf(value)).bytes), PALETTE.primary, 4);
    const [ten, forty] = [bar(10), bar(40)];
    expect(ten).toBeGreaterThan(500);
    expect(forty / ten).toBeGreaterThan(3.6);
    expect(forty / ten).toBeLessThan(4.4);
  });

  it("draw their words: a chart with no bars at all still has its text on it (a font was found)", () => {
    const words = barChart({ id: "w", title: "Progress against our targets", rows: [{ label: "Webinars and workshops run", value: 0, missing: true, note: "not tracked yet (target 10)" }] });
    const decoded = decodePng(renderPng(words).bytes);
    expect(pixelsNear(decoded, PALETTE.ink, 40)).toBeGreaterThan(1500);
  });
});
