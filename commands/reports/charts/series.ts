// Charts over months: a line for one figure against its target (the small
// multiples of "progress over time"), columns for counts per month
// (stacked when they are parts of one whole, like newcomers and returning
// contributors), and a sparkline for a table cell.
import type { Chart } from "./bars.ts";
import { figure, frame, line, PALETTE, rect, round, text, wrap, xml } from "./svg.ts";

/** 0–7 → 10, 12 → 15, 130 → 150: a round top for an axis. */
export function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

export interface LineChart {
  id: string;
  title: string;
  /** Month labels, oldest first (`Sep`, `Oct`, ...), and the full names for the description. */
  months: readonly { short: string; long: string }[];
  values: readonly number[];
  target?: number;
  width?: number;
  height?: number;
}

export function lineChart(chart: LineChart): Chart {
  const width = chart.width ?? 300;
  const height = chart.height ?? 200;
  const pad = 14;
  const titleLines = wrap(chart.title, 14, width - 2 * pad, 2);
  const body = titleLines.map((l, i) => text(pad, pad + 14 + i * 18, l, { size: 14, bold: true }));
  const top = pad + 14 + titleLines.length * 18 + 6;
  const bottom = height - 26;
  const left = 40;
  const right = width - pad - 24;
  const max = niceMax(Math.max(chart.target ?? 0, ...chart.values) * 1.08);
  const x = (i: number) => left + (chart.values.length <= 1 ? 0 : ((right - left) * i) / (chart.values.length - 1));
  const y = (v: number) => bottom - ((bottom - top) * v) / max;
  body.push(line(left, bottom, right, bottom, PALETTE.grid), text(left - 6, bottom + 4, "0", { size: 12, anchor: "end", fill: PALETTE.muted }));
  body.push(text(left - 6, top + 4, figure(max), { size: 12, anchor: "end", fill: PALETTE.muted }), line(left, top, right, top, PALETTE.grid, 'stroke-dasharray="2 3"'));
  if (chart.target !== undefined) {
    body.push(line(left, y(chart.target), right, y(chart.target), PALETTE.accent, 'stroke-width="2" stroke-dasharray="6 4"'));
    body.push(text(right, y(chart.target) - 5, `target ${figure(chart.target)}`, { size: 12, anchor: "end", fill: PALETTE.accent }));
  }
  const points = chart.values.map((v, i) => `${round(x(i))},${round(y(v))}`).join(" ");
  body.push(`<polyline points="${points}" fill="none" stroke="${PALETTE.primary}" stroke-width="2.5"/>`);
  chart.values.forEach((v, i) => body.push(`<circle cx="${round(x(i))}" cy="${round(y(v))}" r="3" fill="${PALETTE.primary}"/>`));
  const last = chart.values.length - 1;
  if (last >= 0) body.push(text(x(last) + 6, y(chart.values[last]!) + 4, figure(chart.values[last]!), { size: 12, bold: true }));
  const first = chart.months[0];
  const end = chart.months[last];
  if (first) body.push(text(left, bottom + 18, first.short, { size: 12, fill: PALETTE.muted }));
  if (end && last > 0) body.push(text(x(last), bottom + 18, end.short, { size: 12, anchor: "end", fill: PALETTE.muted }));
  const byMonth = chart.months.map((m, i) => `${m.long} ${figure(chart.values[i] ?? 0)}`).join(", ");
  const description = `${chart.title}, since the start, at the end of each month: ${byMonth}${chart.target === undefined ? "" : `; target ${figure(chart.target)}`}.`;
  return { svg: frame({ id: chart.id, width, height, title: chart.title, description }, body), width, height, description };
}

export interface ColumnSeries {
  name: string;
  colour: string;
  values: readonly number[];
}

export interface ColumnChart {
  id: string;
  title: string;
  subtitle?: string;
  months: readonly { short: string; long: string }[];
  /** Stacked bottom to top, in this order. */
  series: readonly ColumnSeries[];
  width?: number;
  height?: number;
}

export function columnChart(chart: ColumnChart): Chart {
  const width = chart.width ?? 560;
  const height = chart.height ?? 280;
  const pad = 20;
  const body: string[] = [text(pad, pad + 16, chart.title, { size: 18, bold: true })];
  let top = pad + 16;
  if (chart.subtitle) body.push(text(pad, (top += 22), chart.subtitle, { size: 13, fill: PALETTE.muted }));
  top = legend(chart.series, pad, top + 22, body) + 16;
  const bottom = height - 30;
  const left = pad + 30;
  const right = width - pad;
  const totals = chart.months.map((_, i) => chart.series.reduce((sum, s) => sum + (s.values[i] ?? 0), 0));
  const max = niceMax(Math.max(...totals, 1));
  const band = (right - left) / Math.max(1, chart.months.length);
  const bar = Math.min(44, band * 0.62);
  const scale = (v: number) => ((bottom - top) * v) / max;
  body.push(line(left, bottom, right, bottom, PALETTE.ink), text(left - 6, bottom + 4, "0", { size: 12, anchor: "end", fill: PALETTE.muted }));
  body.push(line(left, top, right, top, PALETTE.grid, 'stroke-dasharray="2 3"'), text(left - 6, top + 4, figure(max), { size: 12, anchor: "end", fill: PALETTE.muted }));
  chart.months.forEach((m, i) => {
    const cx = left + band * i + band / 2;
    let base = bottom;
    for (const s of chart.series) {
      const h = scale(s.values[i] ?? 0);
      if (h > 0) body.push(rect(cx - bar / 2, base - h, bar, h, s.colour));
      base -= h;
    }
    if (totals[i]! > 0) body.push(text(cx, base - 5, figure(totals[i]!), { size: 12, anchor: "middle", bold: true }));
    body.push(text(cx, bottom + 18, m.short, { size: 12, anchor: "middle", fill: PALETTE.muted }));
  });
  const parts = (i: number) => (chart.series.length > 1 ? ` (${chart.series.map((s) => `${s.name} ${figure(s.values[i] ?? 0)}`).join(", ")})` : "");
  const description = `${chart.title}${chart.subtitle ? ` (${chart.subtitle})` : ""}, by month: ${chart.months.map((m, i) => `${m.long} ${figure(totals[i]!)}${parts(i)}`).join("; ")}.`;
  return { svg: frame({ id: chart.id, width, height, title: chart.title, description }, body), width, height, description };
}

/** Colour swatches with names, left to right; returns the y below them. */
function legend(series: readonly ColumnSeries[], x: number, y: number, body: string[]): number {
  if (series.length < 2) return y - 14;
  let at = x;
  for (const s of series) {
    body.push(rect(at, y - 11, 12, 12, s.colour), text(at + 17, y, s.name, { size: 13 }));
    at += 17 + s.name.length * 13 * 0.6 + 18;
  }
  return y;
}

/** A row's trend in a table cell: tiny columns, no axes; the cell's text says the figures. */
export function sparkline(values: readonly number[], label: string): string {
  const width = 96;
  const height = 24;
  const max = Math.max(1, ...values);
  const band = width / Math.max(1, values.length);
  const bars = values.map((v, i) => (v > 0 ? rect(i * band + 1, height - (height - 2) * (v / max), Math.max(1, band - 2), (height - 2) * (v / max), PALETTE.primary) : rect(i * band + 1, height - 1, Math.max(1, band - 2), 1, PALETTE.grid)));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${xml(label)}">${bars.join("")}</svg>`;
}
