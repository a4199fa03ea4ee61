// `contributions [period]`: a member's own record, with where every point
// came from, the thanks they received (and how much each counts), their
// journeys, and what is still waiting for verification.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { actionsDoneBetween } from "../../db/actions.ts";
import { thanksBetween } from "../../db/thanks.ts";
import { actionsConfig, JOURNEYS } from "./config.ts";
import { journeyProgress } from "./journeys.ts";
import { dayLabel, PERIOD_HELP } from "./periods.ts";
import { formatPoints, halvingFactor, oneIn, ordinal, POINTS_RULE, scoreActions, THANKS_RULE } from "./points.ts";
import { periodOrFail } from "./recognition.ts";
import { journeyLabel, ref } from "./shared.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export const contributions = defineCommand({
  name: "contributions",
  aliases: ["my actions"],
  summary: "Your record: verified actions and where each point came from, thanks received, journeys",
  description: `${POINTS_RULE}\n${THANKS_RULE}\nA journey (Motivate, Educate, Organise) is completed by verified actions of several different jobs in it. Actions count in the period they were done.`,
  examples: ["contributions", "contributions last-month", "contributions year"],
  args: z.object({ period: z.string().optional().describe(PERIOD_HELP), member: z.string().optional().describe("admins: someone else's record") }),
  positional: ["period"],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const period = periodOrFail(ctx, args.period);
    if (args.member && !ctx.isAdmin) return ctx.fail("Only admins can look at someone else's contributions.");
    const memberId = args.member ? ctx.resolveMember(args.member).id : ctx.actor.memberId;
    const cfg = actionsConfig(ctx.config);
    const zone = ctx.config.timezone;
    const whose = memberId === ctx.actor.memberId ? "Your" : `${mention(memberId)}'s`;
    const scored = scoreActions(actionsDoneBetween(ctx.db, period, { memberId }), cfg.freeTextWeight);
    const total = scored.reduce((sum, s) => sum + s.points, 0);
    const hours = scored.reduce((sum, s) => sum + (s.action.hours ?? 0), 0);
    const lines = [`*${whose} contributions — ${period.label}*`];
    if (scored.length === 0) lines.push("No verified actions in this period.");
    else {
      const journeys = [...new Set(scored.map((s) => journeyLabel(s.action.journey)))];
      lines.push(`⭐ ${formatPoints(total)} ${total === 1 ? "point" : "points"} from ${plural(scored.length, "verified action")} · journeys: ${journeys.join(", ")}${hours ? ` · ${formatPoints(hours)} hours` : ""}`);
      for (const s of scored) {
        const a = s.action;
        const what = a.jobTitle ? `*${esc(a.jobTitle)}* (${journeyLabel(a.journey)})` : `“${esc(a.note)}” (own words)`;
        const factor = s.nth > 1 ? ` × ${halvingFactor(s.nth)} (${ordinal(s.nth)} of this job this period)` : "";
        lines.push(`• ${ref(a.id)} ${dayLabel(a.doneAt, zone)} ${what}: weight ${formatPoints(s.weight)}${factor} → ${formatPoints(s.points)}`);
      }
    }

    const received = thanksBetween(ctx.db, period, memberId);
    if (received.length > 0) {
      const counted = received.reduce((sum, t) => sum + t.weight, 0);
      const givers = new Set(received.map((t) => t.giverId)).size;
      lines.push(`🙏 Thanks received: ${received.length} from ${plural(givers, "person", "people")}, counting ${formatPoints(counted)}`);
      for (const t of received) {
        const repeat = t.nth > 1 ? ` (${ordinal(t.nth)} from them that month)` : "";
        lines.push(`• ${dayLabel(t.createdAt, zone)} ${mention(t.giverId)}: ${esc(t.reason)}${t.value ? ` #${t.value}` : ""} → ${oneIn(t.nth)}${repeat}`);
      }
    } else lines.push("🙏 No thanks received in this period.");

    const progress = journeyProgress(actionsDoneBetween(ctx.db, { to: ctx.now + 1 }, { memberId }), cfg.journeyCompletion).get(memberId);
    const journeyText = JOURNEYS.map((j) => {
      const p = progress?.get(j);
      return p?.completedAt !== undefined ? `${journeyLabel(j)} ✓ completed` : `${journeyLabel(j)} ${p?.jobs.size ?? 0}/${cfg.journeyCompletion} jobs`;
    });
    lines.push(`🧭 Journeys so far: ${journeyText.join(" · ")}`);

    const pending = actionsDoneBetween(ctx.db, { to: ctx.now + 1 }, { memberId, states: ["pending"] });
    if (pending.length) lines.push(`⏳ Waiting for verification: ${pending.map((a) => ref(a.id)).join(", ")}`);
    lines.push(`How points and thanks are counted: ${cmd("help contributions")}`);
    ctx.reply(lines.join("\n"));
  },
});
