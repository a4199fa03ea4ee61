// `meeting edit`: change a meeting's title, place, length, reminders, kind
// or schedule. A new recurring schedule waits for confirmation like a new
// meeting does; everything else applies at once.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { exceptionsOf, type Meeting } from "../../db/meetings.ts";
import { announce, changeMeeting, type MeetingChanges } from "./apply.ts";
import { proposeDraft } from "./drafts.ts";
import { describeMeeting, durationMinutes, gapWarning, meetingOptions, remindMinutes, withinLimits } from "./input.ts";
import { meetingScope, resolveMeeting } from "./lookup.ts";
import { localStart, type Schedule } from "./recurrence.ts";
import { nextDates } from "./schedule.ts";
import { clashNote, passedRemindersNote } from "./warnings.ts";
import { parseSchedule } from "./when.ts";

/**
 * The new schedule. With only `--every`, the meeting keeps its time of day
 * unless the new rule names one ("--every month on the first tuesday").
 */
function newSchedule(ctx: CommandContext, meeting: Meeting, when: string | undefined, every: string | undefined): Schedule {
  const first = parseSchedule({ when: when ?? "", every }, meeting.zone, ctx.now);
  if (first.ok) return withinLimits(ctx, first.schedule);
  if (when === undefined && every !== undefined) {
    const keepTime = parseSchedule({ when: meeting.start.slice(11, 16), every }, meeting.zone, ctx.now);
    if (keepTime.ok) return withinLimits(ctx, keepTime.schedule);
  }
  return ctx.fail(esc(first.error));
}

const NONE = /^(none|-)$/i;

/** Another meeting at the new time, and reminders the first date is already too close for (`saved`: the change is made, so its moves count). */
function timingNotes(ctx: CommandContext, after: Meeting, saved: boolean): string[] {
  return [clashNote(ctx, after, { id: after.id, saved }), passedRemindersNote(ctx, after, saved ? after.id : undefined)].filter((n): n is string => n !== undefined);
}

export const meetingEdit = defineCommand({
  name: "meeting edit",
  summary: "Change a meeting: title, place, length, reminders or schedule",
  examples: ['meeting edit 3 --title "Planning check-in"', "meeting edit 3 --where https://meet.example.org/bp --for 90m", 'meeting edit 3 --every "week on wednesday at 18:00"', "meeting edit 3 --remind 2d,1h"],
  args: z.object({
    meeting: z.string().describe("the meeting's number (see `meetings`)"),
    title: z.string().min(1).max(200).optional().describe("a new name"),
    when: z.string().max(200).optional().describe('a new date and time, or a new start for the rule ("2026-09-07 11:00")'),
    ...meetingOptions,
  }),
  positional: ["meeting"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    const changes: MeetingChanges = {};
    if (args.title !== undefined) changes.title = args.title.trim();
    if (args.where !== undefined) changes.location = NONE.test(args.where.trim()) ? null : args.where.trim();
    if (args.for !== undefined) changes.durationMinutes = durationMinutes(ctx, args.for);
    if (args.remind !== undefined) changes.remindMinutes = remindMinutes(ctx, args.remind);
    if (args.kind !== undefined) changes.kind = args.kind;
    let schedule: Schedule | undefined;
    if (args.when !== undefined && args.every === undefined && meeting.rrule) {
      return ctx.fail(`Meeting ${meeting.id} repeats: give the whole new rule with --every (e.g. --every "fortnight on monday at 14:00"), or move one date with ${cmd(`meeting move ${meeting.id} <date> <new time>`)}.`);
    }
    if (args.when !== undefined || args.every !== undefined) {
      schedule = newSchedule(ctx, meeting, args.when, args.every);
      Object.assign(changes, { start: schedule.start, zone: schedule.zone, rrule: schedule.rrule ?? null });
    }
    if (Object.keys(changes).length === 0) return ctx.fail("Say what to change, e.g. --title, --where, --for, --remind, --kind, --when or --every.", { showUsage: true });
    const after = { ...meeting, ...changes };
    if (schedule?.rrule) {
      const lines = [`Meeting ${meeting.id}, *${esc(after.title)}*, would become: ${describeMeeting(after)}.`, `Next: ${nextDates(schedule, ctx.now)}.`, gapWarning(schedule, ctx.now), ...timingNotes(ctx, after, false)];
      proposeDraft(ctx, { action: "edit", meetingId: meeting.id, revision: meeting.revision, changes, groupId: meeting.groupId }, lines.filter(Boolean).join("\n"));
      return;
    }
    const updated = changeMeeting(ctx, meeting, changes);
    const described = describeAsItStands(ctx, updated);
    announce(ctx, updated, `✏️ *${esc(updated.title)}* was changed by ${mention(ctx.actor.memberId)}: ${described}.`);
    const notes = schedule || changes.remindMinutes !== undefined ? timingNotes(ctx, updated, true) : [];
    ctx.reply([`Meeting ${updated.id} is now: ${described}.`, ...notes].join("\n"));
  },
});

/**
 * The meeting as it now stands: a one-off meeting that was moved (`meeting
 * move`) is described at its new time, not the one it was first set for.
 * (A new time given to `meeting edit` drops the move: see changeMeeting.)
 */
function describeAsItStands(ctx: CommandContext, meeting: Meeting): string {
  const moved = meeting.rrule ? undefined : exceptionsOf(ctx.db, meeting.id).find((e) => e.kind === "move" && e.movedAt !== null);
  return moved ? describeMeeting({ ...meeting, start: localStart(moved.movedAt!, meeting.zone) }) : describeMeeting(meeting);
}
