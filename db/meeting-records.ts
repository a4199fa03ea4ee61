// What happens at a meeting: RSVPs, attendance, and MeetBot-style notes.
import { and, asc, countDistinct, desc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { groups } from "./schema/groups.ts";
import { meetingAttendance, meetingNotes, meetingRsvps, meetings } from "./schema/meetings.ts";

export type Rsvp = typeof meetingRsvps.$inferSelect;
export type Note = typeof meetingNotes.$inferSelect;
export type Answer = "yes" | "no" | "maybe";

// ---- RSVPs ---------------------------------------------------------------

export function getRsvp(db: Db, meetingId: number, occurrence: string, memberId: number): Rsvp | undefined {
  return db
    .select()
    .from(meetingRsvps)
    .where(and(eq(meetingRsvps.meetingId, meetingId), eq(meetingRsvps.occurrence, occurrence), eq(meetingRsvps.memberId, memberId)))
    .get();
}

/** One row per member and occurrence: answering again replaces the answer. */
export function upsertRsvp(db: Db, row: { meetingId: number; occurrence: string; memberId: number; answer: Answer; now: number }): void {
  db.insert(meetingRsvps)
    .values({ meetingId: row.meetingId, occurrence: row.occurrence, memberId: row.memberId, answer: row.answer, answeredAt: row.now })
    .onConflictDoUpdate({ target: [meetingRsvps.meetingId, meetingRsvps.occurrence, meetingRsvps.memberId], set: { answer: row.answer, answeredAt: row.now } })
    .run();
}

export function rsvpsFor(db: Db, meetingId: number, occurrence: string): Rsvp[] {
  return db
    .select()
    .from(meetingRsvps)
    .where(and(eq(meetingRsvps.meetingId, meetingId), eq(meetingRsvps.occurrence, occurrence)))
    .orderBy(asc(meetingRsvps.answeredAt), asc(meetingRsvps.memberId))
    .all();
}

// ---- Attendance ----------------------------------------------------------

/** True if newly recorded; false if this member's attendance was already there. */
export function recordAttendance(db: Db, row: { meetingId: number; occurrence: string; memberId: number; groupId: number; occurrenceAt: number; recordedBy: number; now: number }): boolean {
  return (
    db
      .insert(meetingAttendance)
      .values({ meetingId: row.meetingId, occurrence: row.occurrence, memberId: row.memberId, groupId: row.groupId, occurrenceAt: row.occurrenceAt, recordedBy: row.recordedBy, recordedAt: row.now })
      .onConflictDoNothing()
      .run().changes > 0
  );
}

export function attendeesOf(db: Db, meetingId: number, occurrence: string): number[] {
  return db
    .select({ memberId: meetingAttendance.memberId })
    .from(meetingAttendance)
    .where(and(eq(meetingAttendance.meetingId, meetingId), eq(meetingAttendance.occurrence, occurrence)))
    .all()
    .map((r) => r.memberId);
}

/** Attendance at meetings of peer networks (groups of kind 'network') in [from, to). */
function networkAttendance(range: { from?: number; to: number }) {
  return and(eq(groups.kind, "network"), range.from === undefined ? undefined : gte(meetingAttendance.occurrenceAt, range.from), lt(meetingAttendance.occurrenceAt, range.to));
}

export function activeNetworkCount(db: Db, range: { from?: number; to: number }): number {
  return db
    .select({ n: countDistinct(meetingAttendance.groupId) })
    .from(meetingAttendance)
    .innerJoin(groups, eq(groups.id, meetingAttendance.groupId))
    .where(networkAttendance(range))
    .get()!.n;
}

export function networkParticipantCount(db: Db, range: { from?: number; to: number }): number {
  return db
    .select({ n: countDistinct(meetingAttendance.memberId) })
    .from(meetingAttendance)
    .innerJoin(groups, eq(groups.id, meetingAttendance.groupId))
    .where(networkAttendance(range))
    .get()!.n;
}

// ---- Notes ---------------------------------------------------------------

export function insertNote(db: Db, row: { meetingId: number; occurrence: string; kind: "action" | "info" | "agreed"; text: string; ownerId: number | null; authorId: number; now: number }): Note {
  return db
    .insert(meetingNotes)
    .values({ meetingId: row.meetingId, occurrence: row.occurrence, kind: row.kind, text: row.text, ownerId: row.ownerId, authorId: row.authorId, createdAt: row.now })
    .returning()
    .get();
}

export function notesFor(db: Db, meetingId: number, occurrence: string): Note[] {
  return db.select().from(meetingNotes).where(and(eq(meetingNotes.meetingId, meetingId), eq(meetingNotes.occurrence, occurrence))).orderBy(asc(meetingNotes.id)).all();
}

export function getNote(db: Db, id: number): Note | undefined {
  return db.select().from(meetingNotes).where(eq(meetingNotes.id, id)).get();
}

/** A meeting's open actions that have an owner, oldest first. */
export function openActions(db: Db, meetingId: number): Note[] {
  return db
    .select()
    .from(meetingNotes)
    .where(and(eq(meetingNotes.meetingId, meetingId), eq(meetingNotes.kind, "action"), eq(meetingNotes.state, "open"), sql`${meetingNotes.ownerId} is not null`))
    .orderBy(asc(meetingNotes.id))
    .all();
}

/** Closes an open action; false if it was already done. */
export function closeAction(db: Db, id: number, now: number): boolean {
  return db.update(meetingNotes).set({ state: "done", doneAt: now }).where(and(eq(meetingNotes.id, id), eq(meetingNotes.kind, "action"), eq(meetingNotes.state, "open"))).run().changes > 0;
}

export function noteCounts(db: Db, meetingId: number, occurrences: string[]): Map<string, number> {
  if (occurrences.length === 0) return new Map();
  const rows = db
    .select({ occurrence: meetingNotes.occurrence, n: sql<number>`count(*)` })
    .from(meetingNotes)
    .where(and(eq(meetingNotes.meetingId, meetingId), inArray(meetingNotes.occurrence, occurrences)))
    .groupBy(meetingNotes.occurrence)
    .all();
  return new Map(rows.map((r) => [r.occurrence, r.n]));
}

// ---- a member's own record (`export me`, `forget me`) ---------------------

export function rsvpsOf(db: Db, memberId: number): Rsvp[] {
  return db.select().from(meetingRsvps).where(eq(meetingRsvps.memberId, memberId)).orderBy(asc(meetingRsvps.meetingId), asc(meetingRsvps.occurrence)).all();
}

export function deleteRsvp(db: Db, meetingId: number, occurrence: string, memberId: number): void {
  db.delete(meetingRsvps).where(and(eq(meetingRsvps.meetingId, meetingId), eq(meetingRsvps.occurrence, occurrence), eq(meetingRsvps.memberId, memberId))).run();
}

export function attendanceOf(db: Db, memberId: number): { meetingId: number; occurrence: string; occurrenceAt: number }[] {
  return db
    .select({ meetingId: meetingAttendance.meetingId, occurrence: meetingAttendance.occurrence, occurrenceAt: meetingAttendance.occurrenceAt })
    .from(meetingAttendance)
    .where(eq(meetingAttendance.memberId, memberId))
    .orderBy(asc(meetingAttendance.occurrenceAt))
    .all();
}

/** Notes a member said (`author`) or meeting actions given to them (`owner`), oldest first. */
export function notesBy(db: Db, role: "author" | "owner", memberId: number): Note[] {
  return db
    .select()
    .from(meetingNotes)
    .where(eq(role === "author" ? meetingNotes.authorId : meetingNotes.ownerId, memberId))
    .orderBy(asc(meetingNotes.id))
    .all();
}

/**
 * `forget me`: the words of the notes they said go (the note stays, so a
 * meeting still shows that something was agreed or actioned), and actions
 * given to them have no owner any more (nobody is reminded of them).
 */
export function eraseNoteWords(db: Db, memberId: number, erased: string): void {
  db.update(meetingNotes).set({ text: erased }).where(eq(meetingNotes.authorId, memberId)).run();
  db.update(meetingNotes).set({ ownerId: null }).where(eq(meetingNotes.ownerId, memberId)).run();
}

// ---- unowned actions: ways for a newcomer to help ---------------------------

/** Open `#action` items nobody owns, from any of a group's meetings, newest first. */
export function unownedOpenActions(db: Db, groupId: number, limit: number): (Note & { title: string })[] {
  return db
    .select({ note: meetingNotes, title: meetings.title })
    .from(meetingNotes)
    .innerJoin(meetings, eq(meetings.id, meetingNotes.meetingId))
    .where(and(eq(meetings.groupId, groupId), eq(meetingNotes.kind, "action"), eq(meetingNotes.state, "open"), isNull(meetingNotes.ownerId)))
    .orderBy(desc(meetingNotes.id))
    .limit(limit)
    .all()
    .map((r) => ({ ...r.note, title: r.title }));
}

/** Takes an open action nobody owns; false if it has an owner (or is done) by now. */
export function takeAction(db: Db, id: number, memberId: number): boolean {
  return (
    db
      .update(meetingNotes)
      .set({ ownerId: memberId })
      .where(and(eq(meetingNotes.id, id), eq(meetingNotes.kind, "action"), eq(meetingNotes.state, "open"), isNull(meetingNotes.ownerId)))
      .run().changes > 0
  );
}
