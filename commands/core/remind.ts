// `remind me`: personal reminders, as Slack's /remind takes them ("tomorrow
// at 9am send the agenda", "in 2 hours stretch", "every weekday at 9 check
// the inbox"), read in the member's own time zone. Each is a numbered job;
// a repeating one schedules its next time when it goes off (the same RRULE
// engine as meetings). Listing, cancelling and snoozing are in reminders.ts.
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { formatDuration } from "../../bot/clock.ts";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext, JobContext } from "../../bot/context.ts";
import type { OutboundMessage } from "../../bot/events.ts";
import { limitNote } from "../../bot/limits.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { localWhen } from "../../bot/natural-time.ts";
import { iso } from "../../db/forget.ts";
import { countPendingWithPrefix, jobsForMember, wipeJob } from "../../db/jobs.ts";
import { nextReminderNumber, reminderKey, reminderPrefix } from "../../db/reminders.ts";
import { describeRule } from "../meetings/describe.ts";
import { nextOccurrence, type Schedule } from "../meetings/recurrence.ts";
import { parseReminder } from "./reminder-input.ts";

const DAY = 24 * 3600_000;
export const REMIND_JOB = "core.remind";

/** A job's payload. `n` and `rule` are missing on reminders set before they were numbered. */
export interface ReminderPayload {
  memberId: number;
  text: string;
  n?: number;
  rule?: Schedule;
  /** A snoozed copy of a reminder that went off. */
  snoozed?: boolean;
}

/** The zone a member reads their reminders in: theirs, else the federation's. */
export function memberZone(ctx: BaseContext, memberId: number): string {
  return ctx.member(memberId).timezone ?? ctx.config.timezone;
}

/** "Tue 18 Aug at 09:00 (Europe/London)" */
export const whenLabel = (ctx: BaseContext, at: number, zone: string) => `${localWhen(at, zone, ctx.now)} (${zone})`;

/** Refuses a reminder past `limits.reminders`: too far ahead, or too many waiting. */
function checkLimits(ctx: CommandContext, at: number): void {
  const { withinDays, perMember } = ctx.config.limits.reminders;
  if (at - ctx.now > withinDays * DAY) ctx.fail(`I can only remind you up to ${withinDays} days ahead. ${limitNote("reminders.withinDays")}`);
  if (countPendingWithPrefix(ctx.db, reminderPrefix(ctx.actor.memberId)) >= perMember) {
    ctx.fail(`You already have ${perMember} reminders waiting, the most one member can have; I'll take new ones as those go off. ${limitNote("reminders.perMember")}`);
  }
}

/** Schedules one job of reminder `payload.n` (the first, a repeat, or a snooze). */
export function scheduleReminder(ctx: BaseContext, payload: ReminderPayload & { n: number }, at: number, suffix?: string): void {
  ctx.schedule({ kind: REMIND_JOB, key: reminderKey(payload.memberId, payload.n, suffix), dueAt: at, payload });
}

export const remind = defineCommand({
  name: "remind me",
  aliases: ["remind"],
  summary: "Have the bot remind you of something: once, or again and again",
  description:
    "Say when and what, in either order, in your own time zone (`profile set timezone` changes it). " +
    "Each reminder gets a number: `remind list` shows yours, `remind cancel <number>` calls one off, and a reminder that goes off can be snoozed.",
  examples: ["remind me tomorrow at 9am send the agenda", "remind me in 2 hours stretch", "remind me to pay the dues on 3 March", "remind me every weekday at 9 check the inbox", "remind me 45m book the room"],
  usage: "remind me <when> <what>  (or <what> <when>)",
  args: z.object({ text: z.string().max(600).optional().describe("when and what, e.g. tomorrow at 9am send the agenda") }),
  positional: ["text..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const me = ctx.actor.memberId;
    const zone = memberZone(ctx, me);
    const parsed = parseReminder(args.text ?? "", ctx.now, zone);
    if (!parsed.ok) return ctx.fail(parsed.error);
    if (parsed.text.length > 500) return ctx.fail(`That's ${parsed.text.length} characters to remind you of; 500 is the most.`);
    const first = parsed.when.kind === "once" ? parsed.when.at : parsed.when.first;
    checkLimits(ctx, first);
    const n = nextReminderNumber(ctx.db, me);
    const rule = parsed.when.kind === "every" ? parsed.when.schedule : undefined;
    scheduleReminder(ctx, { memberId: me, text: parsed.text, n, ...(rule ? { rule } : {}) }, first);
    const how = rule ? `${describeRule(rule)}, first on ${localWhen(first, zone, ctx.now)}` : `on ${whenLabel(ctx, first, zone)}`;
    ctx.reply(`⏰ OK, I'll remind you ${how}: ${esc(parsed.text)}\nThat's reminder ${n}: ${cmd(`remind cancel ${n}`)} calls it off, ${cmd("remind list")} shows all yours.`);
  },
});

/** A reminder's own buttons: snooze it (each has a typed form: `remind snooze 3 1h`). */
export function snoozeButtons(n: number): OutboundMessage["buttons"] {
  return [
    { label: "Snooze 20 min", command: `remind snooze ${n} 20m` },
    { label: "Snooze 1 hour", command: `remind snooze ${n} 1h` },
    { label: "Tomorrow", command: `remind snooze ${n} tomorrow` },
  ];
}

/** The key of the message a reminder job sent, so snoozing can edit its buttons away. */
export const sentKey = (memberId: number, jobId: number) => `reminder:${memberId}:${jobId}`;

export const remindJob = defineJob<ReminderPayload>({
  kind: REMIND_JOB,
  run(ctx, p) {
    const late = ctx.lateMs > 5 * 60_000 ? ` (late by ${formatDuration(ctx.lateMs)}: I was offline)` : "";
    if (p.n === undefined) return void ctx.toMember(p.memberId, `⏰ Reminder${late}: ${esc(p.text)}`);
    const again = p.rule ? `\nIt comes ${describeRule(p.rule)}; ${cmd(`remind cancel ${p.n}`)} stops it.` : "";
    const text = `⏰ Reminder ${p.n}${late}: ${esc(p.text)}${again}\nSnooze it: ${cmd(`remind snooze ${p.n} <when>`)}`;
    ctx.toMember(p.memberId, { text, buttons: snoozeButtons(p.n), key: sentKey(p.memberId, ctx.job.id) });
    if (p.rule && !p.snoozed) scheduleRepeat(ctx, { ...p, n: p.n, rule: p.rule });
  },
});

/** The next time a repeating reminder comes, after now (times missed while the bot was down are not sent again). */
function scheduleRepeat(ctx: JobContext, p: ReminderPayload & { n: number; rule: Schedule }): void {
  const next = nextOccurrence(p.rule, Math.max(ctx.now, ctx.job.dueAt));
  if (next !== null) scheduleReminder(ctx, p, next, String(next));
}

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
  return {
    reminders: pending.map((j) => {
      const p = JSON.parse(j.payload) as ReminderPayload;
      return { ...(p.n === undefined ? {} : { number: p.n }), due: iso(j.dueAt), text: p.text, ...(p.rule ? { repeats: describeRule(p.rule) } : {}) };
    }),
  };
}
