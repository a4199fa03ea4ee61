// Writing a new or changed meeting, replanning its jobs and telling the
// group's rooms. Used directly (one-offs, small edits) and on confirmation.
import type { BaseContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { getGroup } from "../../db/groups.ts";
import { dropExceptions, exceptionsOf, updateMeeting, type Meeting, type MeetingInsert, type NewMeeting } from "../../db/meetings.ts";
import { postToGroupRooms } from "../groups/lookup.ts";
import { shortWhen } from "./format.ts";
import { describeMeeting } from "./input.ts";
import { seriesOf } from "./lookup.ts";
import { replan, scheduleMeeting } from "./plan.ts";
import { instantOf } from "./series.ts";

/** What a change may touch. */
export type MeetingChanges = Partial<Pick<NewMeeting, "title" | "kind" | "start" | "zone" | "rrule" | "durationMinutes" | "location" | "remindMinutes">>;

function firstLine(ctx: BaseContext, meeting: Meeting): string {
  const next = seriesOf(ctx, meeting).after(ctx.now, 1)[0];
  return next ? ` Next: ${shortWhen(next.start, meeting.zone)}.` : "";
}

/** Saves and plans a meeting, and announces it in the group's rooms (after `before`, e.g. the driver's confirmation). */
export function createMeeting(ctx: BaseContext, row: MeetingInsert, before?: (meeting: Meeting) => void): Meeting {
  const meeting = scheduleMeeting(ctx, row);
  before?.(meeting);
  const group = getGroup(ctx.db, meeting.groupId)!;
  postToGroupRooms(
    ctx,
    group.id,
    `📅 New ${meeting.kind} for *${esc(group.name)}*: *${esc(meeting.title)}* — ${describeMeeting(meeting)}.${firstLine(ctx, meeting)} Scheduled by ${mention(meeting.createdBy)}; ${cmd(`meetings ${group.slug}`)} lists what's coming.`,
  );
  return meeting;
}

const SCHEDULE_FIELDS = ["start", "zone", "rrule"] as const;

/**
 * Applies a change: the revision is bumped (so every job planned from now
 * has a fresh key), pending jobs are cancelled and the meeting is planned
 * again from now. A new schedule drops the skips and moves still ahead,
 * which named the old schedule's occurrences.
 */
export function changeMeeting(ctx: BaseContext, meeting: Meeting, changes: MeetingChanges): Meeting {
  const newSchedule = SCHEDULE_FIELDS.some((k) => k in changes && changes[k] !== meeting[k]);
  if (newSchedule) {
    const ahead = exceptionsOf(ctx.db, meeting.id).filter((e) => (e.movedAt ?? instantOf(e.occurrence, meeting.zone)) > ctx.now);
    dropExceptions(ctx.db, meeting.id, ahead.map((e) => e.occurrence));
  }
  const updated = updateMeeting(ctx.db, meeting.id, changes, ctx.now);
  replan(ctx, updated);
  return updated;
}

/** Tells the group's rooms about a change to a meeting. */
export function announce(ctx: BaseContext, meeting: Meeting, text: string): void {
  postToGroupRooms(ctx, meeting.groupId, text);
}
