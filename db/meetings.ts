// Queries for meetings, their exceptions, pending confirmations and personal calendar feeds.
// (RSVPs, attendance and notes are in db/meeting-records.ts.)
import { and, asc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { memo } from "./memo.ts";
import { perDb } from "./prepared.ts";
import { calendarFeeds, meetingDrafts, meetingExceptions, meetings } from "./schema/meetings.ts";

export type Meeting = typeof meetings.$inferSelect;
export type NewMeeting = typeof meetings.$inferInsert;
export type MeetingException = typeof meetingExceptions.$inferSelect;
export type MeetingDraft = typeof meetingDrafts.$inferSelect;
export type CalendarFeed = typeof calendarFeeds.$inferSelect;
export type NewCalendarFeed = typeof calendarFeeds.$inferInsert;

const queries = perDb((db) => ({
  get: db.select().from(meetings).where(eq(meetings.id, sql.placeholder("id"))).prepare(),
  activeOf: db
    .select()
    .from(meetings)
    .where(and(eq(meetings.groupId, sql.placeholder("groupId")), eq(meetings.state, "active")))
    .orderBy(asc(meetings.id))
    .prepare(),
  insert: db
    .insert(meetings)
    .values({
      groupId: sql.placeholder("groupId"),
      title: sql.placeholder("title"),
      kind: sql.placeholder("kind"),
      start: sql.placeholder("start"),
      zone: sql.placeholder("zone"),
      rrule: sql.placeholder("rrule"),
      durationMinutes: sql.placeholder("durationMinutes"),
      location: sql.placeholder("location"),
      remindMinutes: sql.placeholder("remindMinutes"),
      createdBy: sql.placeholder("createdBy"),
      createdAt: sql.placeholder("now"),
      updatedAt: sql.placeholder("now"),
    })
    .returning()
    .prepare(),
  exceptions: db.select().from(meetingExceptions).where(eq(meetingExceptions.meetingId, sql.placeholder("id"))).prepare(),
  cursor: db
    .update(meetings)
    .set({ nextOccurrence: sql`${sql.placeholder("occurrence")}`, nextPlanAt: sql`${sql.placeholder("planAt")}` })
    .where(eq(meetings.id, sql.placeholder("id")))
    .prepare(),
}));

export type MeetingInsert = Pick<NewMeeting, "groupId" | "title" | "kind" | "start" | "zone" | "rrule" | "durationMinutes" | "location" | "remindMinutes" | "createdBy">;

/** Prepared: the bulk path (benchmarks schedule thousands) goes through here. */
export function insertMeeting(db: Db, row: MeetingInsert, now: number): Meeting {
  return queries(db).insert.get({ ...row, rrule: row.rrule ?? null, location: row.location ?? null, kind: row.kind ?? "meeting", now });
}

export function getMeeting(db: Db, id: number): Meeting | undefined {
  return queries(db).get.get({ id });
}

/** Cached: the directory asks this for every group it lists, and meetings change rarely. */
export const activeMeetingsOf: (db: Db, groupId: number) => readonly Meeting[] = memo(["meetings"], (groupId) => groupId, (db, groupId: number) => queries(db).activeOf.all({ groupId }));

export function activeMeetings(db: Db, groupIds?: number[]): Meeting[] {
  const where = groupIds ? and(eq(meetings.state, "active"), inArray(meetings.groupId, groupIds)) : eq(meetings.state, "active");
  return db.select().from(meetings).where(where).orderBy(asc(meetings.id)).all();
}

export function meetingsOfKinds(db: Db, kinds: string[]): Meeting[] {
  return db.select().from(meetings).where(inArray(meetings.kind, kinds)).all();
}

/** Applies a change and bumps the revision, so every job planned from now on has new keys. */
export function updateMeeting(db: Db, id: number, values: Partial<NewMeeting>, now: number): Meeting {
  return db
    .update(meetings)
    .set({ ...values, revision: sql`${meetings.revision} + 1`, updatedAt: now })
    .where(eq(meetings.id, id))
    .returning()
    .get();
}

/** Cancels an active meeting; false if it was already cancelled (a racing second click). */
export function cancelMeeting(db: Db, id: number, now: number): boolean {
  return (
    db
      .update(meetings)
      .set({ state: "cancelled", cancelledAt: now, updatedAt: now, revision: sql`${meetings.revision} + 1`, nextOccurrence: null, nextPlanAt: null })
      .where(and(eq(meetings.id, id), eq(meetings.state, "active")))
      .run().changes > 0
  );
}

/** Moves the planning cursor: the next occurrence to plan and when. */
export function setCursor(db: Db, id: number, occurrence: string | null, planAt: number | null): void {
  queries(db).cursor.run({ id, occurrence, planAt });
}

export function exceptionsOf(db: Db, meetingId: number): MeetingException[] {
  return queries(db).exceptions.all({ id: meetingId });
}

/** Skips or moves one occurrence (a later call for the same occurrence replaces it). */
export function putException(db: Db, row: MeetingException): void {
  db.insert(meetingExceptions)
    .values(row)
    .onConflictDoUpdate({ target: [meetingExceptions.meetingId, meetingExceptions.occurrence], set: { kind: row.kind, movedTo: row.movedTo, movedAt: row.movedAt, by: row.by, at: row.at } })
    .run();
}

/** After a schedule change the old occurrences' exceptions still ahead no longer mean anything. */
export function dropExceptions(db: Db, meetingId: number, occurrences: string[]): void {
  if (occurrences.length === 0) return;
  db.delete(meetingExceptions).where(and(eq(meetingExceptions.meetingId, meetingId), inArray(meetingExceptions.occurrence, occurrences))).run();
}

// ---- Pending confirmations ---------------------------------------------

export function insertDraft(db: Db, row: { memberId: number; action: "schedule" | "edit"; meetingId: number | null; payload: unknown; expiresAt: number; now: number }): MeetingDraft {
  return db
    .insert(meetingDrafts)
    .values({ memberId: row.memberId, action: row.action, meetingId: row.meetingId, payload: JSON.stringify(row.payload), expiresAt: row.expiresAt, createdAt: row.now })
    .returning()
    .get();
}

export function getDraft(db: Db, id: number): MeetingDraft | undefined {
  return db.select().from(meetingDrafts).where(eq(meetingDrafts.id, id)).get();
}

/** The member's newest draft still waiting (and not expired). */
export function latestPendingDraft(db: Db, memberId: number, now: number): MeetingDraft | undefined {
  return db
    .select()
    .from(meetingDrafts)
    .where(and(eq(meetingDrafts.memberId, memberId), eq(meetingDrafts.state, "pending"), gt(meetingDrafts.expiresAt, now)))
    .orderBy(sql`${meetingDrafts.id} desc`)
    .get();
}

export function pendingDraftsOf(db: Db, memberId: number): MeetingDraft[] {
  return db.select().from(meetingDrafts).where(and(eq(meetingDrafts.memberId, memberId), eq(meetingDrafts.state, "pending"))).all();
}

/**
 * Decides a draft. The state and expiry checks are in the UPDATE itself, so
 * of a typed `confirm` and a button click racing, exactly one wins.
 */
export function decideDraft(db: Db, id: number, state: "confirmed" | "discarded" | "superseded" | "expired", now: number): boolean {
  const stillValid = state === "confirmed" ? gt(meetingDrafts.expiresAt, now) : undefined;
  return (
    db
      .update(meetingDrafts)
      .set({ state, decidedAt: now })
      .where(and(eq(meetingDrafts.id, id), eq(meetingDrafts.state, "pending"), stillValid))
      .run().changes > 0
  );
}

// ---- Personal calendar feeds ------------------------------------------

const feedQueries = perDb((db) => ({
  // Prepared: calendar apps poll every feed every few minutes.
  byTokenHash: db.select().from(calendarFeeds).where(eq(calendarFeeds.tokenHash, sql.placeholder("tokenHash"))).prepare(),
}));

/** The member's feed of a group, if they asked for one. */
export function feedOf(db: Db, memberId: number, groupId: number): CalendarFeed | undefined {
  return db.select().from(calendarFeeds).where(and(eq(calendarFeeds.memberId, memberId), eq(calendarFeeds.groupId, groupId))).get();
}

/**
 * The feed a token's hash belongs to, by the unique index. The comparison
 * isn't constant-time and needn't be: what the index compares is a SHA-256
 * of what the caller sent, so its timing could tell at most how many
 * leading bytes of that hash some stored hash shares, and choosing guesses
 * whose hash shares more is a preimage search, not a way to a token.
 */
export function feedByTokenHash(db: Db, tokenHash: string): CalendarFeed | undefined {
  return feedQueries(db).byTokenHash.get({ tokenHash });
}

/**
 * Stores the member's feed of the group, replacing the one they had (a
 * reset): the old token's hash is gone, so it matches nothing from now on.
 * Commands run in an immediate transaction, so an ask that read "no feed
 * yet" can't be overtaken by another between that read and this write.
 */
export function putFeed(db: Db, row: NewCalendarFeed): void {
  db.insert(calendarFeeds)
    .values(row)
    .onConflictDoUpdate({ target: [calendarFeeds.memberId, calendarFeeds.groupId], set: { tokenHash: row.tokenHash, nonce: row.nonce, createdAt: row.createdAt } })
    .run();
}

/** Forgets a member's feed of one group (they left it or were removed); true if they had one. */
export function dropFeed(db: Db, memberId: number, groupId: number): boolean {
  return db.delete(calendarFeeds).where(and(eq(calendarFeeds.memberId, memberId), eq(calendarFeeds.groupId, groupId))).run().changes > 0;
}

/** Forgets every feed of a member (merged into another, or forgotten). */
export function dropFeedsOf(db: Db, memberId: number): number {
  return db.delete(calendarFeeds).where(eq(calendarFeeds.memberId, memberId)).run().changes;
}

/**
 * `forget me`: a member's schedule drafts (what they were about to set up)
 * and their personal calendar feeds go. Returns the drafts' ids, so their
 * expiry jobs can be cancelled.
 */
export function deleteDraftsAndFeedsOf(db: Db, memberId: number): number[] {
  const ids = db.delete(meetingDrafts).where(eq(meetingDrafts.memberId, memberId)).returning({ id: meetingDrafts.id }).all().map((d) => d.id);
  db.delete(calendarFeeds).where(eq(calendarFeeds.memberId, memberId)).run();
  return ids;
}
