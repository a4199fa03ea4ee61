// A group's next meeting as a newcomer reads it: in their own time zone, with
// the RSVP buttons the reminders carry and a way into their calendar.
import type { BaseContext } from "../../bot/context.ts";
import type { Button } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import type { Group } from "../../db/groups.ts";
import { activeMeetingsOf, type Meeting } from "../../db/meetings.ts";
import { shortWhen, spanInZone } from "../meetings/format.ts";
import { seriesOf } from "../meetings/lookup.ts";
import { rsvpButtons } from "../meetings/reminders.ts";
import type { Occurrence } from "../meetings/series.ts";

export interface NextMeeting {
  meeting: Meeting;
  occ: Occurrence;
}

/** The earliest occurrence still to start among the group's active meetings. */
export function nextMeetingOf(ctx: BaseContext, groupId: number): NextMeeting | undefined {
  let best: NextMeeting | undefined;
  for (const meeting of activeMeetingsOf(ctx.db, groupId)) {
    const occ = seriesOf(ctx, meeting).after(ctx.now, 1)[0];
    if (occ && (!best || occ.start < best.occ.start)) best = { meeting, occ };
  }
  return best;
}

/** The zone a member reads times in: their own if they set one, else the meeting's. */
export function zoneFor(ctx: BaseContext, memberId: number, meeting: Pick<Meeting, "zone">): string {
  return ctx.member(memberId).timezone ?? meeting.zone;
}

/**
 * "*Comms call*, Mon 24 Aug 11:00–12:00 BST (Europe/London)", plus where,
 * for a member of the group, in `zone` (the reader's; the meeting's own for
 * a note several drivers read).
 */
export function meetingLine(next: NextMeeting, zone: string): string {
  const { meeting, occ } = next;
  const where = meeting.location ? `\nWhere: ${esc(meeting.location)}` : "";
  return `*${esc(meeting.title)}*, ${spanInZone(occ, zone)}${occ.moved ? " (moved)" : ""}${where}`;
}

/** "Mon 24 Aug 11:00" in `zone`. */
export const meetingDay = (next: NextMeeting, zone: string): string => shortWhen(next.occ.start, zone);

/**
 * The command that puts a group's meetings in someone's calendar: their own
 * feed link when the bot has a public address, else the .ics file.
 */
export function calendarCommand(ctx: BaseContext, group: Group): string {
  return ctx.config.http?.publicUrl ? `meeting feed ${group.slug}` : `meeting ics ${group.slug}`;
}

/** Yes / No / Maybe for this occurrence, then "Add to my calendar". */
export function meetingButtons(ctx: BaseContext, next: NextMeeting, group: Group): Button[] {
  return [...(rsvpButtons(next.meeting, next.occ) ?? []), { label: "Add to my calendar", command: calendarCommand(ctx, group) }];
}

/** The typed forms of those buttons, for the text (Matrix and the console have no buttons). */
export function meetingCommands(ctx: BaseContext, next: NextMeeting, group: Group): string {
  const calendar = ctx.config.http?.publicUrl ? "adds the group's meetings to your calendar" : "gives you the group's meetings as a calendar file";
  return `Coming? ${cmd(`rsvp ${next.meeting.id} yes|no|maybe`)} · ${cmd(calendarCommand(ctx, group))} ${calendar}.`;
}
