// Horizontal bars, one row per figure, the label above its bar and the
// figure in words at its end: narrow enough to read on a phone and in a chat
// preview. Used for progress against targets (the bar is the share of the
// target), the clinic funnel and meetings held per group (the bar is the
// share of the largest).
import { figure, frame, PALETTE, rect, text, textWidth, wrap } from "./svg.ts";

export interface BarRow {
  label: string;
  value: number;
  /** What a full bar stands for (a target); by default the largest value in the list. */
  of?: number;
  /** The words at the bar's end: `37 of 50 · 74%`. */
  note: string;
  /** Not counted by anything installed: no bar, the note says so. */
  missing?: boolean;
}

export interface BarChart {
  id: string;
  title: string;
  subtitle?: string;
  rows: readonly BarRow[];
  width?: number;
  /** Colour of the bars (default the palette's primary). */
  colour?: string;
}

export interface Chart {
  svg: string;
  width: number;
  height: number;
  /** The chart's figures in words: its <desc>, and the alt text of its PNG. */
  description: string;
}

const PAD = 20;
const LABEL = 15;
const NOTE = 14;
const BAR = 16;

export function barChart(chart: BarChart): Chart {
  const width = chart.width ?? 560;
  const noteWidth = Math.min(width * 0.45, Math.max(60, ...chart.rows.map((r) => textWidth(r.note, NOTE))));
  const trackWidth = width - 2 * PAD - noteWidth - 10;
  const scale = Math.max(1, ...chart.rows.map((r) => r.value));
  const body: string[] = [text(PAD, PAD + 18, chart.title, { size: 20, bold: true })];
  let y = PAD + 18;
  if (chart.subtitle) body.push(text(PAD, (y += 24), chart.subtitle, { size: 14, fill: PALETTE.muted }));
  y += 16;
  for (const row of chart.rows) {
    const lines = wrap(row.label, LABEL, width - 2 * PAD, 2);
    for (const l of lines) body.push(text(PAD, (y += LABEL + 4), l, { size: LABEL }));
    const top = y + 6;
    if (!row.missing) {
      const share = Math.min(1, row.value / Math.max(row.of ?? scale, 1));
      body.push(rect(PAD, top, trackWidth, BAR, PALETTE.track, 'rx="3"'));
      if (share > 0) body.push(rect(PAD, top, Math.max(3, trackWidth * share), BAR, chart.colour ?? PALETTE.primary, 'rx="3"'));
    }
    body.push(text(row.missing ? PAD : PAD + trackWidth + 10, top + BAR - 3, row.note, { size: NOTE, fill: row.missing ? PALETTE.muted : PALETTE.ink }));
    y = top + BAR + 14;
  }
  const height = Math.round(y + PAD - 6);
  const description = `${chart.title}${chart.subtitle ? ` (${chart.subtitle})` : ""}. ${chart.rows.map((r) => `${r.label}: ${r.note}.`).join(" ")}`;
  return { svg: frame({ id: chart.id, width, height, title: chart.title, description }, body), width, height, description };
}

/** `37 of 50 · 74%`, with a tick once the target is reached. */
export function ofTarget(value: number, target: number): string {
  const percent = Math.floor((value / target) * 100);
  return `${figure(value)} of ${figure(target)} · ${percent}%${value >= target ? " ✓" : ""}`;
}
