// A member's part in meetings: what `export me` shows, and what `forget me`
// erases. Attendance stays (the figures for active networks and their
// participants count it) and so do answers for meetings already over; an
// answer for one still to come goes, so a driver's head count is true.
import type { BaseContext } from "../../bot/context.ts";
import { ERASED, iso } from "../../db/forget.ts";
import { attendanceOf, deleteRsvp, eraseNoteWords, notesBy, rsvpsOf } from "../../db/meeting-records.ts";
import { deleteDraftsAndFeedsOf, getMeeting } from "../../db/meetings.ts";
import { seriesOf } from "./lookup.ts";

/** When an occurrence ends (moves included); undefined for one the series no longer has. */
function endOf(ctx: BaseContext, meetingId: number, occurrence: string): number | undefined {
  const meeting = getMeeting(ctx.db, meetingId);
  return meeting ? seriesOf(ctx, meeting).find(occurrence)?.end : undefined;
}

export function forgetMeetingsMember(ctx: BaseContext, memberId: number): string[] {
  for (const r of rsvpsOf(ctx.db, memberId)) {
    const end = endOf(ctx, r.meetingId, r.occurrence);
    if (end === undefined || end > ctx.now) deleteRsvp(ctx.db, r.meetingId, r.occurrence, memberId);
  }
  const texts = notesBy(ctx.db, "author", memberId).map((n) => n.text);
  eraseNoteWords(ctx.db, memberId, ERASED);
  for (const id of deleteDraftsAndFeedsOf(ctx.db, memberId)) ctx.cancelJobs(`meeting-draft:${id}:`);
  return texts;
}

const titleOf = (ctx: BaseContext, meetingId: number) => getMeeting(ctx.db, meetingId)?.title ?? null;

export function exportMeetingsMember(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const note = (n: ReturnType<typeof notesBy>[number]) => ({ meeting: titleOf(ctx, n.meetingId), date: n.occurrence, kind: n.kind, text: n.text, state: n.state, when: iso(n.createdAt) });
  return {
    rsvps: rsvpsOf(ctx.db, memberId).map((r) => ({ meeting: titleOf(ctx, r.meetingId), date: r.occurrence, answer: r.answer, when: iso(r.answeredAt) })),
    attendance: attendanceOf(ctx.db, memberId).map((a) => ({ meeting: titleOf(ctx, a.meetingId), date: a.occurrence })),
    meetingNotesYouWrote: notesBy(ctx.db, "author", memberId).map(note),
    meetingActionsForYou: notesBy(ctx.db, "owner", memberId).map(note),
  };
}
