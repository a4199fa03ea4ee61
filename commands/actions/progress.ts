// Progress against the strategy's targets. Every capability contributes the
// figures it knows (`metrics`); targets come from the `actions` config. A
// target whose figure no installed capability provides says so, rather than
// showing a misleading 0.
import { z } from "zod";
import type { BaseContext } from "../../bot/context.ts";
import { defineCommand } from "../../bot/command.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { esc } from "../../bot/markup.ts";
import { actionsDoneBetween } from "../../db/actions.ts";
import { actionsConfig } from "./config.ts";
import { completions } from "./journeys.ts";
import { PERIOD_HELP } from "./periods.ts";
import { periodOrFail } from "./recognition.ts";

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

/** How the strategy's figures read before the capability that counts them is installed. */
const STRATEGY_LABELS: Record<string, string> = {
  "meetings.networks-active": "Active peer networks",
  "meetings.network-participants": "Peer network participants",
  "meetings.webinars": "Webinars and workshops run",
  "clinic.triagers": "Trained clinic triagers",
  "clinic.advisers": "Onboarded clinic advisers",
  "clinic.transactions": "Clinic transactions recorded",
  "clinic.website-enquiries": "Enquiries through the website",
};

const percent = (figure: number, target: number) => `${Math.floor((figure / target) * 100)}%`;

export const progress = defineCommand({
  name: "progress",
  summary: "Progress against the federation's strategy targets, this period and since the start",
  examples: ["progress", "progress quarter", "progress 2026-08"],
  args: z.object({ period: z.string().optional().describe(PERIOD_HELP) }),
  positional: ["period"],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const period = periodOrFail(ctx, args.period);
    const { targets } = actionsConfig(ctx.config);
    const metrics = new Map(ctx.services.metrics.map((m) => [m.key, m]));
    const sinceStart = { to: ctx.now + 1 };
    let untracked = 0;
    const lines = [`*Progress against our targets* (${period.label}, and since the start)`];
    for (const [key, target] of Object.entries(targets)) {
      const metric = metrics.get(key);
      if (!metric) {
        lines.push(`• ${esc(STRATEGY_LABELS[key] ?? key)}: not tracked yet (target ${target})`);
        untracked++;
        continue;
      }
      const now = metric.compute(ctx, { from: period.from, to: period.to });
      const ever = metric.compute(ctx, sinceStart);
      lines.push(`• ${esc(metric.label)}: ${now} in ${period.label} · ${ever} since the start, of ${target} (${percent(ever, target)})${ever >= target ? " ✅" : ""}`);
    }
    const untargeted = [...metrics.values()].filter((m) => !(m.key in targets));
    for (const m of untargeted) lines.push(`• ${esc(m.label)}: ${m.compute(ctx, { from: period.from, to: period.to })} in ${period.label} · ${m.compute(ctx, sinceStart)} since the start (no target set)`);
    if (untracked > 0) lines.push("_Not tracked yet: the part of the bot that counts it isn't installed._");
    ctx.reply(lines.join("\n"));
  },
});
