// Changing single occurrences, or ending a series: `meeting skip`,
// `meeting move`, `meeting cancel`. Each one replans the meeting's jobs, so
// pending reminders move with it or vanish.
import { DateTime } from "luxon";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { cancelMeeting, putException, updateMeeting, type Meeting } from "../../db/meetings.ts";
import { announce } from "./apply.ts";
import { shortWhen, span } from "./format.ts";
import { withinLimits } from "./input.ts";
import { pickOccurrence, resolveMeeting, meetingScope, seriesOf } from "./lookup.ts";
import { jobPrefix, replan } from "./plan.ts";
import { instantOf, type Occurrence } from "./series.ts";
import { parseSchedule } from "./when.ts";

const meetingArg = z.string().describe("the meeting's number (see `meetings`)");
const dateArg = z.string().describe("the date of the occurrence, e.g. 2026-09-07");

/** An occurrence that has not started yet, for changing it. */
function upcoming(ctx: CommandContext, meeting: Meeting, date: string): Occurrence {
  const occ = pickOccurrence(ctx, seriesOf(ctx, meeting), date, "next");
  if (occ.start <= ctx.now) return ctx.fail(`${esc(meeting.title)} on ${date} has already started; it can't be changed now.`);
  return occ;
}

/** Bumps the revision and plans again, so old reminders are cancelled and new ones get fresh keys. */
function replanAfterChange(ctx: CommandContext, meeting: Meeting): Meeting {
  const updated = updateMeeting(ctx.db, meeting.id, {}, ctx.now);
  replan(ctx, updated);
  return updated;
}

function nextLine(ctx: CommandContext, meeting: Meeting): string {
  const next = seriesOf(ctx, meeting).after(ctx.now, 1)[0];
  return next ? ` Next: ${shortWhen(next.start, meeting.zone)}.` : "";
}

export const meetingSkip = defineCommand({
  name: "meeting skip",
  summary: "Skip one occurrence of a recurring meeting",
  examples: ["meeting skip 3 2026-12-28"],
  args: z.object({ meeting: meetingArg, date: dateArg }),
  positional: ["meeting", "date"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    if (!meeting.rrule) return ctx.fail(`Meeting ${meeting.id} happens only once: ${cmd(`meeting cancel ${meeting.id}`)} calls it off.`);
    const occ = upcoming(ctx, meeting, args.date);
    putException(ctx.db, { meetingId: meeting.id, occurrence: occ.key, kind: "skip", movedTo: null, movedAt: null, by: ctx.actor.memberId, at: ctx.now });
    const updated = replanAfterChange(ctx, meeting);
    const off = `❌ *${esc(meeting.title)}* on ${shortWhen(occ.start, meeting.zone)} is off (skipped by ${mention(ctx.actor.memberId)}).${nextLine(ctx, updated)}`;
    ctx.update(`meeting-reminder:${meeting.id}:${occ.key}`, off);
    announce(ctx, updated, off);
    ctx.reply(`Skipped ${shortWhen(occ.start, meeting.zone)}; its reminders are cancelled.`);
  },
});

const TIME_ONLY = /^\s*\d{1,2}([:.]\d{2})?\s*(am|pm)?\s*$/i;

export const meetingMove = defineCommand({
  name: "meeting move",
  summary: "Move one occurrence of a meeting to another time",
  examples: ["meeting move 3 2026-09-07 14:00", "meeting move 3 2026-09-07 to 2026-09-08 11:00"],
  args: z.object({ meeting: meetingArg, date: dateArg, to: z.string().max(100).describe("the new time (same day), or a date and time") }),
  positional: ["meeting", "date", "to..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    const occ = upcoming(ctx, meeting, args.date);
    const day = DateTime.fromMillis(occ.start, { zone: meeting.zone }).toISODate();
    // "to 15:00" / "at 15:00" read as people say them: the little word is not part of the time.
    const to = args.to.replace(/^\s*(to|at)\s+/i, "");
    const when = TIME_ONLY.test(to) ? `${day} ${to.trim()}` : to;
    const parsed = parseSchedule({ when }, meeting.zone, ctx.now);
    if (!parsed.ok) return ctx.fail(`I couldn't work out the new time: ${esc(parsed.error)}`);
    if (parsed.schedule.rrule) return ctx.fail(`Give one new date and time for this occurrence (to change the whole series, use ${cmd(`meeting edit ${meeting.id} --every <rule>`)}).`);
    const newStart = withinLimits(ctx, parsed.schedule).start;
    const movedAt = instantOf(newStart, meeting.zone);
    if (movedAt === occ.start) return ctx.fail(`That is when it already is: ${shortWhen(occ.start, meeting.zone)}.`);
    const clash = seriesOf(ctx, meeting).after(movedAt - 1, 1)[0];
    if (clash && clash.start === movedAt) return ctx.fail(`${esc(meeting.title)} already meets at ${shortWhen(movedAt, meeting.zone)}.`);
    putException(ctx.db, { meetingId: meeting.id, occurrence: occ.key, kind: "move", movedTo: newStart, movedAt, by: ctx.actor.memberId, at: ctx.now });
    const updated = replanAfterChange(ctx, meeting);
    const moved = { ...occ, start: movedAt, end: movedAt + meeting.durationMinutes * 60_000 };
    announce(ctx, updated, `🕑 *${esc(meeting.title)}* on ${shortWhen(occ.start, meeting.zone)} is moved to ${span(moved, meeting.zone)} (by ${mention(ctx.actor.memberId)}).`);
    ctx.reply(`Moved to ${span(moved, meeting.zone)}; its reminders move with it.`);
  },
});

export const meetingCancel = defineCommand({
  name: "meeting cancel",
  summary: "Cancel a meeting (all its future occurrences)",
  examples: ["meeting cancel 3"],
  args: z.object({ meeting: meetingArg }),
  positional: ["meeting"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    if (!cancelMeeting(ctx.db, meeting.id, ctx.now)) return ctx.fail(`Meeting ${meeting.id} was cancelled a moment ago.`);
    const dropped = ctx.cancelJobs(jobPrefix(meeting.id));
    announce(ctx, meeting, `🚫 *${esc(meeting.title)}* is cancelled by ${mention(ctx.actor.memberId)}: no more meetings or reminders.`);
    ctx.reply(`Cancelled meeting ${meeting.id}${dropped ? "; its pending reminders are gone" : ""}.`);
  },
});
