// `recognition [period] [group]` for drivers and admins: who contributed,
// who is new, journeys and groups covered, hours, and who did verified work
// but hasn't been thanked, so quiet work is seen. Never a ranking: names are
// alphabetical. `leaderboard` exists only when the config turns it on.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import type { Group } from "../../db/groups.ts";
import { groupScope, resolveGroup } from "../groups/lookup.ts";
import { actionsConfig } from "./config.ts";
import { parsePeriod, PERIOD_HELP, type Period } from "./periods.ts";
import { formatPoints, pointsByMember, POINTS_RULE, scoreActions } from "./points.ts";
import { journeyLabel } from "./shared.ts";
import { contributorList, summarise, type Tally } from "./summary.ts";

const periodArg = z.string().optional().describe(PERIOD_HELP);

/** The period typed (default: this month), or a refusal listing what works. */
export function periodOrFail(ctx: CommandContext, typed: string | undefined): Period {
  const period = parsePeriod(typed, ctx.now, ctx.config.timezone);
  return period ?? ctx.fail(`\`${esc(typed ?? "")}\` is not a period I know: try ${PERIOD_HELP}.`);
}

const names = (ids: number[]) => ids.map(mention).join(", ");
const tallyText = (label: string, t: Tally) => `${label} ${t.actions} ${t.actions === 1 ? "action" : "actions"} by ${t.people.size} ${t.people.size === 1 ? "person" : "people"}`;

/** `recognition comms` means the group, this month: a period that isn't one may be a group. */
function periodAndGroup(ctx: CommandContext, args: { period?: string; group?: string }): { period: Period; group?: Group } {
  if (args.period && !args.group && !parsePeriod(args.period, ctx.now, ctx.config.timezone) && groupScope(ctx, args.period)) {
    return { period: periodOrFail(ctx, undefined), group: resolveGroup(ctx, args.period, { includeArchived: true }) };
  }
  return { period: periodOrFail(ctx, args.period), group: args.group ? resolveGroup(ctx, args.group, { includeArchived: true }) : undefined };
}

/** The figures other capabilities offer to recognition (newcomers welcomed, ...), for the period and group. */
function recognitionFigures(ctx: CommandContext, period: Period, group?: Group): string[] {
  const metrics = ctx.services.metrics.filter((m) => m.inRecognition);
  if (metrics.length === 0) return [];
  const range = { from: period.from, to: period.to, groupId: group?.id };
  const figures = metrics.map((m) => {
    const value = m.compute(ctx, range);
    return `${esc(m.label)}: ${m.format ? m.format(value) : value}`;
  });
  return [`👋 ${figures.join(" · ")}`];
}

export const recognition = defineCommand({
  name: "recognition",
  summary: "Who contributed in a period: newcomers, journeys, groups, hours, and who hasn't been thanked yet",
  description: "For drivers and admins. People are listed alphabetically — this is not a ranking. The “not yet thanked” list shows verified work nobody has thanked in the period, so quiet work is seen.",
  examples: ["recognition", "recognition last-month", "recognition quarter comms", "recognition 2026-08"],
  args: z.object({ period: periodArg, group: z.string().optional().describe("only this group") }),
  positional: ["period", "group"],
  allow: ["driver", "admin"],
  readOnly: true,
  scope: (ctx, args) => groupScope(ctx, args.group ?? (args.period && !parsePeriod(args.period, ctx.now, ctx.config.timezone) ? args.period : undefined)),
  run(ctx, args) {
    const { period, group } = periodAndGroup(ctx, args);
    const s = summarise(ctx, period, group?.id);
    const lines = [`*Recognition — ${period.label}*${group ? ` (${esc(group.name)})` : ""}`];
    if (s.contributors.length === 0) {
      lines.push("No verified actions in this period yet.");
    } else {
      lines.push(`👥 ${s.contributors.length} ${s.contributors.length === 1 ? "person" : "people"} did verified work (alphabetical — not a ranking): ${contributorList(s)}`);
      lines.push(`🌱 New contributors (first verified action ever): ${s.newcomers.length ? names(s.newcomers) : "none this time"}`);
      lines.push(`🧭 Journeys: ${[...s.journeys].map(([j, t]) => (t.actions > 0 ? tallyText(journeyLabel(j === "other" ? null : j), t) : `${journeyLabel(j)} none yet`)).join(" · ")}`);
      lines.push(`🏷 Groups: ${[...s.groups].map(([name, t]) => tallyText(esc(name), t)).join(" · ")}`);
      lines.push(`⏱ Verified hours: ${formatPoints(s.hours)}`);
      lines.push(
        s.notYetThanked.length
          ? `🙏 Not yet thanked this period: ${names(s.notYetThanked)} — a thanks goes a long way: ${cmd("thanks @someone for <what they did>")}`
          : "🙏 Everyone who contributed has been thanked this period.",
      );
    }
    lines.push(...recognitionFigures(ctx, period, group));
    if (s.pending > 0) lines.push(`⏳ ${s.pending} ${s.pending === 1 ? "action is" : "actions are"} waiting for verification (${cmd("verify queue")}).`);
    ctx.reply(lines.join("\n"));
  },
});

export const leaderboard = defineCommand({
  name: "leaderboard",
  summary: "Points this period, highest first (this federation turned it on)",
  description: `Only there when the config says \`leaderboard: true\`. ${POINTS_RULE}`,
  examples: ["leaderboard", "leaderboard quarter"],
  args: z.object({ period: periodArg }),
  positional: ["period"],
  allow: "everyone",
  enabled: (config) => actionsConfig(config).leaderboard,
  run(ctx, args) {
    const period = periodOrFail(ctx, args.period);
    const s = summarise(ctx, period);
    const totals = pointsByMember(scoreActions(s.actions, actionsConfig(ctx.config).freeTextWeight));
    if (totals.size === 0) return ctx.reply(`No verified actions in ${period.label} yet.`);
    const rows = [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10);
    const lines = [`*Leaderboard — ${period.label}* (points reward breadth: ${cmd("help contributions")})`, ...rows.map(([id, pts], i) => `${i + 1}. ${mention(id)} ${formatPoints(pts)}`)];
    ctx.reply(lines.join("\n"));
  },
});
