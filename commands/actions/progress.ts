// `progress`: the federation's figures against its strategy's targets, this
// period and since the start (commands/actions/targets.ts counts them).
// `--chart` posts the same figures as a picture to the room it was typed
// in (a PNG, its alt text the figures), for a meeting or a channel to see.
import { z } from "zod";
import type { BaseContext } from "../../bot/context.ts";
import { defineCommand } from "../../bot/command.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { esc } from "../../bot/markup.ts";
import { actionsDoneBetween } from "../../db/actions.ts";
import { dropBytesOnceSent } from "../core/files.ts";
import { progressChartMessage } from "../reports/progress-chart.ts";
import { actionsConfig } from "./config.ts";
import { completions } from "./journeys.ts";
import { PERIOD_HELP, type Period } from "./periods.ts";
import { periodOrFail } from "./recognition.ts";
import { figureText, percentOf, targetRows, type TargetRow } from "./targets.ts";

export const activists: MetricSpec = {
  key: "actions.activists",
  label: "Activists carrying out actions (members with verified actions)",
  compute(ctx, range) {
    return new Set(actionsDoneBetween(ctx.db, range).map((a) => a.memberId)).size;
  },
};

export const supporters: MetricSpec = {
  key: "actions.supporters",
  label: "Supporters taken through the programme (completed a journey)",
  /** Members whose first completed journey was completed in the range. */
  compute(ctx: BaseContext, range) {
    const all = actionsDoneBetween(ctx.db, { to: range.to });
    const completed = completions(all, actionsConfig(ctx.config).journeyCompletion);
    return [...completed.values()].filter((at) => range.from === undefined || at >= range.from).length;
  },
};

function rowLine(row: TargetRow, period: Period): string {
  if (row.sinceStart === undefined) return `• ${esc(row.label)}: not tracked yet (target ${row.target})`;
  const figures = `${figureText(row, row.inPeriod!)} in ${period.label} · ${figureText(row, row.sinceStart)} since the start`;
  if (row.target === undefined) return `• ${esc(row.label)}: ${figures} (no target set)`;
  return `• ${esc(row.label)}: ${figures}, of ${row.target} (${percentOf(row.sinceStart, row.target)}%)${row.sinceStart >= row.target ? " ✅" : ""}`;
}

/** The figures in words, as `progress` answers. */
export function progressText(rows: readonly TargetRow[], period: Period): string {
  const lines = [`*Progress against our targets* (${period.label}, and since the start)`, ...rows.map((r) => rowLine(r, period))];
  if (rows.some((r) => r.sinceStart === undefined)) lines.push("_Not tracked yet: the part of the bot that counts it isn't installed._");
  return lines.join("\n");
}

export const progress = defineCommand({
  name: "progress",
  summary: "Progress against the federation's strategy targets, this period and since the start (--chart posts it as a picture)",
  description: "With --chart the figures since the start are posted as a chart (a PNG whose alt text gives every figure) to the room you type it in, for everyone there to see.",
  examples: ["progress", "progress quarter", "progress 2026-08", "progress --chart"],
  args: z.object({
    period: z.string().optional().describe(PERIOD_HELP),
    chart: z.boolean().optional().describe("post the figures as a chart to this room"),
  }),
  positional: ["period"],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const period = periodOrFail(ctx, args.period);
    const rows = targetRows(ctx, period);
    if (!args.chart) return void ctx.reply(progressText(rows, period));
    dropBytesOnceSent(ctx, ctx.reply(progressChartMessage(ctx, rows), { public: true }));
  },
});
