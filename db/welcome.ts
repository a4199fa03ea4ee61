// Queries for welcomes into groups, drivers' meeting invitations, newcomers
// and the onboarding tour.
import { and, asc, eq, gte, isNull, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";
import { meetingInvitations, newcomers, onboarding, welcomes } from "./schema/welcome.ts";

export type Welcome = typeof welcomes.$inferSelect;
export type NewWelcome = typeof welcomes.$inferInsert;
export type Invitation = typeof meetingInvitations.$inferSelect;
export type Onboarding = typeof onboarding.$inferSelect;
export type Newcomer = typeof newcomers.$inferSelect;

// ---- welcomes into groups --------------------------------------------------

export function insertWelcome(db: Db, row: NewWelcome): Welcome {
  return db.insert(welcomes).values(row).returning().get();
}

export function getWelcome(db: Db, id: number): Welcome | undefined {
  return db.select().from(welcomes).where(eq(welcomes.id, id)).get();
}

/** The member was welcomed into this group since `since` (they left and joined again). */
export function welcomedSince(db: Db, memberId: number, groupId: number, since: number): boolean {
  return db.select({ one: sql`1` }).from(welcomes).where(and(eq(welcomes.memberId, memberId), eq(welcomes.groupId, groupId), gte(welcomes.at, since))).get() !== undefined;
}

/** The group's drivers were told since `since` that it has no meeting coming up. */
export function toldNoMeetingSince(db: Db, groupId: number, since: number): boolean {
  return db.select({ one: sql`1` }).from(welcomes).where(and(eq(welcomes.groupId, groupId), eq(welcomes.toldNoMeeting, true), gte(welcomes.at, since))).get() !== undefined;
}

export function markToldNoMeeting(db: Db, id: number): void {
  db.update(welcomes).set({ toldNoMeeting: true }).where(eq(welcomes.id, id)).run();
}

export function welcomesOf(db: Db, memberId: number): Welcome[] {
  return db.select().from(welcomes).where(eq(welcomes.memberId, memberId)).orderBy(asc(welcomes.id)).all();
}

/** `forget me`: what they offered goes; that they were welcomed stays (it is counted). */
export function eraseWelcomeNotes(db: Db, memberId: number): void {
  db.update(welcomes).set({ note: null }).where(eq(welcomes.memberId, memberId)).run();
}

// ---- personal invitations to a meeting --------------------------------------

/** False when this member was already invited to this occurrence. */
export function insertInvitation(db: Db, row: Invitation): boolean {
  return db.insert(meetingInvitations).values(row).onConflictDoNothing().run().changes > 0;
}

export function getInvitation(db: Db, meetingId: number, occurrence: string, memberId: number): Invitation | undefined {
  return db
    .select()
    .from(meetingInvitations)
    .where(and(eq(meetingInvitations.meetingId, meetingId), eq(meetingInvitations.occurrence, occurrence), eq(meetingInvitations.memberId, memberId)))
    .get();
}

export function invitationsFor(db: Db, meetingId: number, occurrence: string): Invitation[] {
  return db
    .select()
    .from(meetingInvitations)
    .where(and(eq(meetingInvitations.meetingId, meetingId), eq(meetingInvitations.occurrence, occurrence)))
    .orderBy(asc(meetingInvitations.invitedAt), asc(meetingInvitations.memberId))
    .all();
}

export function invitationsOf(db: Db, memberId: number): Invitation[] {
  return db.select().from(meetingInvitations).where(eq(meetingInvitations.memberId, memberId)).orderBy(asc(meetingInvitations.invitedAt)).all();
}

// ---- newcomers -------------------------------------------------------------

/** Records someone new; false if they already were. */
export function addNewcomer(db: Db, memberId: number, welcomedAt: number, via: "tour" | "group"): boolean {
  return db.insert(newcomers).values({ memberId, welcomedAt, via }).onConflictDoNothing().run().changes > 0;
}

export function getNewcomer(db: Db, memberId: number): Newcomer | undefined {
  return db.select().from(newcomers).where(eq(newcomers.memberId, memberId)).get();
}

/** Whether a member has any history that makes them not new: a group, or an action logged by or for them. */
export function hasHistory(db: Db, memberId: number, exceptGroupId?: number): boolean {
  const row = db.get<{ n: number }>(sql`select
      (select count(*) from group_members where member_id = ${memberId} and group_id != ${exceptGroupId ?? -1})
    + (select count(*) from actions where member_id = ${memberId} or logged_by = ${memberId}) as n`);
  return (row?.n ?? 0) > 0;
}

const DAY = 86_400_000;

/**
 * Newcomers welcomed in [from, to), each with: whether they joined a group
 * within 14 days of their welcome (welcomed into one, or added to one), and
 * when they first did something the federation verified (an action logged
 * after the welcome, by its date), if they have.
 */
export function newcomerFigures(db: Db, range: { from?: number; to: number }): { memberId: number; welcomedAt: number; joinedGroupSoon: boolean; firstVerifiedAt: number | null }[] {
  const rows = db.all<{ memberId: number; welcomedAt: number; joined: number; first: number | null }>(sql`
    select n.member_id as memberId, n.welcomed_at as welcomedAt,
      (exists (select 1 from welcomes w where w.member_id = n.member_id and w.at >= n.welcomed_at and w.at <= n.welcomed_at + ${14 * DAY})
       or exists (select 1 from group_members g where g.member_id = n.member_id and g.joined_at >= n.welcomed_at and g.joined_at <= n.welcomed_at + ${14 * DAY})) as joined,
      (select min(a.done_at) from actions a where a.member_id = n.member_id and a.state = 'verified' and a.created_at >= n.welcomed_at) as first
    from newcomers n
    where n.welcomed_at >= ${range.from ?? 0} and n.welcomed_at < ${range.to}
    order by n.welcomed_at`);
  return rows.map((r) => ({ memberId: r.memberId, welcomedAt: r.welcomedAt, joinedGroupSoon: r.joined === 1, firstVerifiedAt: r.first }));
}

/** Members welcomed into a group in [from, to), with when they first did verified work after it. */
export function groupWelcomeFigures(db: Db, groupId: number, range: { from?: number; to: number }): { memberId: number; at: number; firstVerifiedAt: number | null }[] {
  return db.all<{ memberId: number; at: number; firstVerifiedAt: number | null }>(sql`
    select w.member_id as memberId, min(w.at) as at,
      (select min(a.done_at) from actions a where a.member_id = w.member_id and a.state = 'verified' and a.created_at >= min(w.at)) as firstVerifiedAt
    from welcomes w
    where w.group_id = ${groupId} and w.at >= ${range.from ?? 0} and w.at < ${range.to}
    group by w.member_id`);
}

// ---- the onboarding tour -----------------------------------------------------

const tour = perDb((db) => ({
  // Prepared: every message typed in a DM that isn't a command asks it.
  get: db.select().from(onboarding).where(eq(onboarding.memberId, sql.placeholder("memberId"))).prepare(),
}));

export function getOnboarding(db: Db, memberId: number): Onboarding | undefined {
  return tour(db).get.get({ memberId });
}

/** Starts the tour (again) from the first question. A follow-up already sent stays sent: there is never a second. */
export function startOnboarding(db: Db, memberId: number, now: number): Onboarding {
  return db
    .insert(onboarding)
    .values({ memberId, state: "active", step: 0, prompts: 1, startedAt: now, promptedAt: now })
    .onConflictDoUpdate({ target: onboarding.memberId, set: { state: "active", step: 0, prompts: sql`${onboarding.prompts} + 1`, startedAt: now, promptedAt: now, finishedAt: null } })
    .returning()
    .get();
}

/** Moves to `step` and puts its question: a new prompt. */
export function promptOnboarding(db: Db, memberId: number, step: number, now: number): Onboarding {
  return db
    .update(onboarding)
    .set({ step, prompts: sql`${onboarding.prompts} + 1`, promptedAt: now })
    .where(eq(onboarding.memberId, memberId))
    .returning()
    .get();
}

export function finishOnboarding(db: Db, memberId: number, state: "done" | "stopped", step: number, now: number): void {
  db.update(onboarding).set({ state, step, finishedAt: now }).where(eq(onboarding.memberId, memberId)).run();
}

/**
 * Claims the one follow-up: only while the tour is still where it was when
 * the follow-up was planned (prompt `prompts`), and only if none was ever
 * sent. The question counts as put again from now.
 */
export function claimFollowUp(db: Db, memberId: number, prompts: number, now: number): boolean {
  return (
    db
      .update(onboarding)
      .set({ followedUpAt: now, promptedAt: now })
      .where(and(eq(onboarding.memberId, memberId), eq(onboarding.state, "active"), eq(onboarding.prompts, prompts), isNull(onboarding.followedUpAt)))
      .run().changes > 0
  );
}

// ---- members merged into one, and members forgotten ----------------------------

/** Linked accounts: one welcome history, one newcomer (the earliest), one tour (the one further on). */
export function mergeWelcomeMembers(db: Db, from: number, into: number): void {
  db.run(sql`update welcomes set member_id = ${into} where member_id = ${from}`);
  db.run(sql`update welcomes set "by" = ${into} where "by" = ${from}`);
  db.run(sql`update or ignore meeting_invitations set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from meeting_invitations where member_id = ${from}`);
  db.run(sql`update meeting_invitations set invited_by = ${into} where invited_by = ${from}`);
  db.run(sql`update newcomers set welcomed_at = min(welcomed_at, (select welcomed_at from newcomers where member_id = ${from}))
             where member_id = ${into} and exists (select 1 from newcomers where member_id = ${from})`);
  db.run(sql`update or ignore newcomers set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from newcomers where member_id = ${from}`);
  // The tour: whichever account got further (done beats active beats stopped); a follow-up sent to either counts for both.
  db.run(sql`update onboarding set followed_up_at = coalesce(followed_up_at, (select followed_up_at from onboarding where member_id = ${from}))
             where member_id = ${into}`);
  db.run(sql`update or ignore onboarding set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from onboarding where member_id = ${from}`);
}

/** `forget me`: where they were in the tour goes (there is nothing of theirs in it but the state). */
export function deleteOnboarding(db: Db, memberId: number): void {
  db.delete(onboarding).where(eq(onboarding.memberId, memberId)).run();
}

