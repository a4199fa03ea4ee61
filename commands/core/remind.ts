// `remind` — a personal reminder. Small, but it is the plainest use of the
// scheduler, and transcripts use it to show jobs running on the virtual clock.
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { formatDuration, parseDuration } from "../../bot/clock.ts";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { limitNote } from "../../bot/limits.ts";
import { esc } from "../../bot/markup.ts";
import { iso } from "../../db/forget.ts";
import { countPendingWithPrefix, jobsForMember, wipeJob } from "../../db/jobs.ts";

const DAY = 24 * 3600_000;

/** The member is in the key, so their waiting reminders are one index range to count. */
const keyPrefix = (memberId: number) => `remind:${memberId}:`;

/** Refuses a reminder past `limits.reminders`: too far ahead, or too many waiting. */
function checkLimits(ctx: CommandContext, ms: number): void {
  const { withinDays, perMember } = ctx.config.limits.reminders;
  if (ms > withinDays * DAY) ctx.fail(`I can only remind you up to ${withinDays} days ahead. ${limitNote("reminders.withinDays")}`);
  if (countPendingWithPrefix(ctx.db, keyPrefix(ctx.actor.memberId)) >= perMember) {
    ctx.fail(`You already have ${perMember} reminders waiting, the most one member can have; I'll take new ones as those go off. ${limitNote("reminders.perMember")}`);
  }
}

export const remind = defineCommand({
  name: "remind me",
  aliases: ["remind"],
  summary: "Have the bot remind you of something later",
  examples: ["remind me 2h send the agenda", "remind me 3d chase the minutes"],
  args: z.object({
    after: z.string().describe("how long from now: 45m, 2h30m, 3d, 1w"),
    text: z.string().min(1).max(500).describe("what to remind you of"),
  }),
  positional: ["after", "text..."],
  allow: "everyone",
  run(ctx, { after, text }) {
    const ms = parseDuration(after);
    if (ms === undefined) return ctx.fail(`\`${esc(after)}\` is not a duration; write it like 45m, 2h30m or 3d.`, { showUsage: true });
    checkLimits(ctx, ms);
    const key = `${keyPrefix(ctx.actor.memberId)}${ctx.source}`;
    ctx.schedule({ kind: "core.remind", key, dueAt: ctx.now + ms, payload: { memberId: ctx.actor.memberId, text } });
    ctx.reply(`OK, I'll remind you in ${formatDuration(ms)}.`);
  },
});

export const remindJob = defineJob<{ memberId: number; text: string }>({
  kind: "core.remind",
  run(ctx, { memberId, text }) {
    const late = ctx.lateMs > 5 * 60_000 ? ` (late by ${formatDuration(ctx.lateMs)}: I was offline)` : "";
    ctx.toMember(memberId, `⏰ Reminder${late}: ${esc(text)}`);
  },
});

/** `forget me`: their reminders are cancelled and what they said goes, sent or not. */
export function forgetReminders(ctx: BaseContext, memberId: number): string[] {
  const texts: string[] = [];
  for (const job of jobsForMember(ctx.db, remindJob.kind, memberId)) {
    texts.push((JSON.parse(job.payload) as { text?: string }).text ?? "");
    wipeJob(ctx.db, job.id, ctx.now);
  }
  return texts;
}

/** `export me`: the reminders still to come. */
export function exportReminders(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const pending = jobsForMember(ctx.db, remindJob.kind, memberId).filter((j) => j.state === "pending");
  return { reminders: pending.map((j) => ({ due: iso(j.dueAt), text: (JSON.parse(j.payload) as { text: string }).text })) };
}
