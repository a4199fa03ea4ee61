// The progress chart: each target's figure since the start as a share of
// it. One chart for the dashboard, `progress --chart` and the weekly
// digest, so chat and the page never disagree.
import { DateTime } from "luxon";
import type { BaseContext } from "../../bot/context.ts";
import type { OutboundMessage } from "../../bot/events.ts";
import { figureText, type TargetRow } from "../actions/targets.ts";
import { type BarRow, barChart, type Chart, ofTarget } from "./charts/bars.ts";
import { figure } from "./charts/svg.ts";
import { attachment, withFile } from "../core/files.ts";
import { renderPng } from "./png.ts";

function barRow(row: TargetRow): BarRow {
  if (row.sinceStart === undefined) return { label: row.label, value: 0, missing: true, note: `not tracked yet (target ${figure(row.target ?? 0)})` };
  // A median with nothing to take one of is NaN: no bar, its words ("none yet") in the note.
  if (row.target === undefined) return { label: row.label, value: Number.isFinite(row.sinceStart) ? row.sinceStart : 0, missing: true, note: `${figureText(row, row.sinceStart, figure)} (no target set)` };
  return { label: row.label, value: row.sinceStart, of: row.target, note: ofTarget(row.sinceStart, row.target) };
}

export const asOfLabel = (ctx: BaseContext): string => DateTime.fromMillis(ctx.now, { zone: ctx.config.timezone }).toFormat("d LLL yyyy");

/** `asOf`: when the figures were counted, as people read it (`17 Aug 2026`). */
export function progressChart(rows: readonly TargetRow[], asOf: string, id = "progress"): Chart {
  return barChart({ id, title: "Progress against our targets", subtitle: `since the start, as of ${asOf}`, rows: rows.map(barRow) });
}

/** The chart as a PNG message: a one-line caption, the figures as the image's alt text. */
export function progressChartMessage(ctx: BaseContext, rows: readonly TargetRow[]): OutboundMessage {
  const chart = progressChart(rows, asOfLabel(ctx));
  const png = renderPng(chart);
  const day = DateTime.fromMillis(ctx.now, { zone: ctx.config.timezone }).toFormat("yyyy-LL-dd");
  const file = attachment(`progress-${day}.png`, "image/png", png.bytes, chart.description, png);
  return withFile(`📊 *Progress against our targets*, since the start (as of ${asOfLabel(ctx)})`, file);
}
