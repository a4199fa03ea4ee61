// Two members turned out to be one person (linked accounts): their RSVPs,
// attendance, notes and drafts become one member's, one row per occurrence;
// the merged-away member's calendar links end.
import { sql } from "drizzle-orm";
import type { BaseContext } from "../../bot/context.ts";
import { dropFeedsOf } from "../../db/meetings.ts";

export function mergeMeetingMembers(ctx: BaseContext, from: number, into: number): void {
  const { db } = ctx;
  // Both answered for the same occurrence: the later answer stands.
  db.run(sql`update meeting_rsvps as kept set answer = other.answer, answered_at = other.answered_at
             from meeting_rsvps as other
             where kept.member_id = ${into} and other.member_id = ${from}
               and other.meeting_id = kept.meeting_id and other.occurrence = kept.occurrence
               and other.answered_at > kept.answered_at`);
  db.run(sql`update or ignore meeting_rsvps set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from meeting_rsvps where member_id = ${from}`);
  // Attendance recorded for both accounts at one occurrence is one attendance.
  db.run(sql`update or ignore meeting_attendance set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from meeting_attendance where member_id = ${from}`);
  db.run(sql`update meeting_attendance set recorded_by = ${into} where recorded_by = ${from}`);
  db.run(sql`update meeting_notes set owner_id = ${into} where owner_id = ${from}`);
  db.run(sql`update meeting_notes set author_id = ${into} where author_id = ${from}`);
  db.run(sql`update meeting_drafts set member_id = ${into} where member_id = ${from}`);
  db.run(sql`update meeting_exceptions set "by" = ${into} where "by" = ${from}`);
  db.run(sql`update meetings set created_by = ${into} where created_by = ${from}`);
  // Each link was given to one member id and is checked as that member: the
  // person asks again as the member they now are.
  dropFeedsOf(db, from);
}
