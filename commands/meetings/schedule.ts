// `meeting schedule`: one-offs are saved at once; a recurring schedule is
// shown in words with its next three dates and waits for confirmation.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { roomsOf, type Group } from "../../db/groups.ts";
import type { MeetingInsert } from "../../db/meetings.ts";
import { groupScope, resolveGroup } from "../groups/lookup.ts";
import { createMeeting } from "./apply.ts";
import { proposeDraft } from "./drafts.ts";
import { shortWhen } from "./format.ts";
import { clashNote, duplicateOf, passedRemindersNote } from "./warnings.ts";
import { describeMeeting, durationMinutes, gapWarning, meetingOptions, remindMinutes, scheduleFrom, zoneOf } from "./input.ts";
import { nextOccurrences, type Schedule } from "./recurrence.ts";

/** "Mon 24 Aug 11:00, Mon 7 Sep 11:00, Mon 21 Sep 11:00" */
export function nextDates(schedule: Schedule, now: number, count = 3): string {
  return nextOccurrences(schedule, now, count).map((t) => shortWhen(t, schedule.zone)).join(", ");
}

/** Said whenever a meeting is scheduled for a group whose reminders would have nowhere to go. */
export function roomWarning(ctx: BaseContext, group: Group): string | undefined {
  if (roomsOf(ctx.db, group.id).length > 0) return undefined;
  return `⚠️ ${esc(group.name)} has no linked room, so reminders have nowhere to go: run ${cmd(`group link ${group.slug}`)} in its room.`;
}

/** The same meeting typed twice (or sent twice) would double every reminder: say where the first one is instead. */
export function refuseDuplicate(ctx: BaseContext, row: MeetingInsert, group: Pick<Group, "slug">): void {
  const dup = duplicateOf(ctx, row);
  if (dup) ctx.fail(`*${esc(dup.title)}* is already scheduled then: it is meeting ${dup.id} (${cmd(`meetings ${group.slug}`)} lists it). Nothing new was saved; to have a second one, give it another title.`);
}

export const meetingSchedule = defineCommand({
  name: "meeting schedule",
  summary: "Schedule a meeting (one-off or recurring) for your group",
  description:
    "Times are in the group's time zone and stay at the same local time across clock changes. Recurring schedules are shown with their next dates for you to confirm before they are saved.",
  examples: [
    'meeting schedule business-planning "Fortnightly check-in" every fortnight on monday at 11:00',
    'meeting schedule mission "Council" monthly on the first tuesday at 18:30 --for 2h',
    'meeting schedule comms "Newsletter sprint" 2026-08-23 11:00 --where https://meet.example.org/comms',
    'meeting schedule tech "Intro to co-op finance" next thursday 18:00 --kind webinar --remind 1w,1d,1h',
  ],
  args: z.object({
    group: z.string().describe("the group's slug"),
    title: z.string().min(1).max(200).describe("the meeting's name, in quotes"),
    when: z.string().max(200).describe('e.g. "2026-08-23 11:00", "next monday 11:00", "every fortnight on monday at 11:00"'),
    ...meetingOptions,
  }),
  positional: ["group", "title", "when..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const schedule = scheduleFrom(ctx, args.when, args.every, zoneOf(ctx, group));
    const row: MeetingInsert = {
      groupId: group.id,
      title: args.title.trim(),
      kind: args.kind ?? "meeting",
      start: schedule.start,
      zone: schedule.zone,
      rrule: schedule.rrule ?? null,
      durationMinutes: durationMinutes(ctx, args.for),
      location: args.where?.trim() || null,
      remindMinutes: remindMinutes(ctx, args.remind),
      createdBy: ctx.actor.memberId,
    };
    refuseDuplicate(ctx, row, group);
    const notes = [gapWarning(schedule, ctx.now), clashNote(ctx, row), passedRemindersNote(ctx, row), roomWarning(ctx, group)].filter(Boolean);
    if (!schedule.rrule) {
      createMeeting(ctx, row, (meeting) => ctx.reply([`📅 Scheduled meeting ${meeting.id}: *${esc(meeting.title)}* — ${describeMeeting(meeting)}.`, ...notes].join("\n")));
      return;
    }
    proposeDraft(
      ctx,
      { action: "schedule", meeting: row },
      [`*${esc(row.title)}* for ${esc(group.name)}: ${describeMeeting(row)}.`, `Next: ${nextDates(schedule, ctx.now)}.`, ...notes].join("\n"),
    );
  },
});
