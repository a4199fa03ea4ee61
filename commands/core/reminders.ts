// A member's own reminders: `remind list`, `remind cancel <number>`, and
// `remind snooze <number> [when]` (also the buttons on a reminder that went
// off: each button is that typed command).
import { z } from "zod";
import { parseDuration } from "../../bot/clock.ts";
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { localWhen, parseMoment } from "../../bot/natural-time.ts";
import type { JobRow } from "../../db/jobs.ts";
import { jobsOfReminder, lastSentReminder, pendingReminderJobs, reminderNumber } from "../../db/reminders.ts";
import { describeRule } from "../meetings/describe.ts";
import { memberZone, type ReminderPayload, scheduleReminder, sentKey, whenLabel } from "./remind.ts";

const DAY = 24 * 3600_000;
/** How long after it went off a reminder can still be snoozed (its buttons are older than that: set a new one). */
const SNOOZE_WITHIN = DAY;
const payloadOf = (job: JobRow) => JSON.parse(job.payload) as ReminderPayload;

export const remindList = defineCommand({
  name: "remind list",
  aliases: ["reminders", "remind me list"],
  summary: "List your reminders still to come",
  examples: ["remind list"],
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    const me = ctx.actor.memberId;
    const zone = memberZone(ctx, me);
    const pending = pendingReminderJobs(ctx.db, me);
    if (pending.length === 0) return ctx.reply(`You have no reminders waiting. Set one with ${cmd("remind me tomorrow at 9am send the agenda")}.`);
    const lines = pending.map((job) => {
      const p = payloadOf(job);
      const n = reminderNumber(job.key);
      const repeat = p.rule && !p.snoozed ? `, then ${describeRule(p.rule)}` : p.snoozed ? " (snoozed)" : "";
      return `• ${n === undefined ? "" : `${n}: `}${localWhen(job.dueAt, zone, ctx.now)}${repeat} — ${esc(p.text)}`;
    });
    ctx.reply([`*Your reminders* (times in ${zone})`, ...lines, `${cmd("remind cancel <number>")} calls one off.`].join("\n"));
  },
});

const numberArg = z.coerce.number().int().positive().describe("the reminder's number (see `remind list`)");

export const remindCancel = defineCommand({
  name: "remind cancel",
  aliases: ["remind me cancel", "remind delete"],
  summary: "Call off one of your reminders (a repeating one stops)",
  examples: ["remind cancel 3"],
  args: z.object({ reminder: numberArg }),
  positional: ["reminder"],
  allow: "everyone",
  run(ctx, args) {
    const me = ctx.actor.memberId;
    const pending = jobsOfReminder(ctx.db, me, args.reminder).filter((j) => j.state === "pending");
    if (pending.length === 0) return ctx.fail(`You have no reminder ${args.reminder} waiting. ${cmd("remind list")} shows yours.`);
    for (const job of pending) ctx.cancelJob(job.key);
    const p = payloadOf(pending[0]!);
    ctx.reply(`Cancelled reminder ${args.reminder}${p.rule ? " (it won't come again)" : ""}: ${esc(p.text)}`);
  },
});

/** "20m", "1h", "tomorrow", "tomorrow 9am", "friday at 10:00": when to remind again. */
function snoozeUntil(ctx: CommandContext, text: string | undefined, zone: string): number {
  const typed = (text ?? "1h").trim().replace(/^(?:for|until|till)\s+/i, "");
  const span = parseDuration(typed.replace(/\s+/g, ""));
  if (span !== undefined) return ctx.now + span;
  const moment = parseMoment(typed, ctx.now, zone, { sameTimeOfDay: true });
  if (!moment) return ctx.fail(`\`${esc(typed)}\` isn't a time I can snooze to: try 20m, 1h, \`tomorrow\` or \`friday at 10:00\`.`);
  if (moment.at <= ctx.now) return ctx.fail(`${whenLabel(ctx, moment.at, zone)} has already passed.`);
  return moment.at;
}

/** The job a snooze acts on: the reminder's latest one that went off (recently), or a one-off still waiting. */
function snoozeTarget(ctx: CommandContext, n: number | undefined): JobRow {
  const me = ctx.actor.memberId;
  const jobs = n === undefined ? [lastSentReminder(ctx.db, me)].filter((j): j is JobRow => j !== undefined) : jobsOfReminder(ctx.db, me, n);
  if (jobs.length === 0) return ctx.fail(n === undefined ? "Nothing has reminded you lately, so there's nothing to snooze." : `You have no reminder ${n}. ${cmd("remind list")} shows yours.`);
  const waiting = jobs.find((j) => j.state === "pending" && !payloadOf(j).rule);
  if (waiting) return waiting;
  const sent = jobs.filter((j) => j.state === "done").sort((a, b) => (b.finishedAt ?? 0) - (a.finishedAt ?? 0))[0];
  if (!sent) return ctx.fail(`Reminder ${n} hasn't gone off yet; snooze it when it does, or ${cmd(`remind cancel ${n}`)}.`);
  if ((sent.finishedAt ?? sent.dueAt) < ctx.now - SNOOZE_WITHIN) return ctx.fail(`Reminder ${reminderNumber(sent.key)} went off more than a day ago; set a new one with ${cmd("remind me")}.`);
  return sent;
}

export const remindSnooze = defineCommand({
  name: "remind snooze",
  aliases: ["snooze", "remind me snooze"],
  summary: "Have a reminder come again later (the last one you got, or one by its number)",
  examples: ["snooze", "remind snooze 3 1h", "remind snooze 3 tomorrow 9am"],
  usage: "remind snooze [number] [when: 20m, 1h, tomorrow, friday at 10:00]",
  args: z.object({ text: z.string().max(100).optional().describe("the reminder's number, then when (default: 1 hour)") }),
  positional: ["text..."],
  allow: "everyone",
  run(ctx, args) {
    const me = ctx.actor.memberId;
    const zone = memberZone(ctx, me);
    const [, number, rest] = /^\s*(?:#?(\d+)\b)?\s*(.*)$/s.exec(args.text ?? "")!;
    const job = snoozeTarget(ctx, number === undefined ? undefined : Number(number));
    const at = snoozeUntil(ctx, rest || undefined, zone);
    const p = payloadOf(job);
    const n = reminderNumber(job.key)!;
    // One snooze at a time: a second click or a new time replaces the first.
    for (const other of jobsOfReminder(ctx.db, me, n)) if (other.state === "pending" && payloadOf(other).snoozed) ctx.cancelJob(other.key);
    if (job.state === "pending") ctx.cancelJob(job.key);
    scheduleReminder(ctx, { memberId: me, text: p.text, n, ...(p.rule ? { rule: p.rule } : {}), snoozed: true }, at, `snooze:${at}`);
    const until = whenLabel(ctx, at, zone);
    if (job.state === "done") ctx.update(sentKey(me, job.id), `⏰ Reminder ${n}: ${esc(p.text)}\n💤 Snoozed until ${until}.`);
    ctx.reply(job.state === "pending" ? `Reminder ${n} moved to ${until}.` : `💤 Reminder ${n} will come again on ${until}.`);
  },
});

