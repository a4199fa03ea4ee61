// Read-only queries for the dashboard and the exports. The clinic's are
// written to select counts, dates, states and categories only: no column
// that can hold an enquiry's words (text, contact details, notes,
// outcomes) is ever read here.
import { and, asc, eq, gte, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { clinicEnquiries, clinicHandoffs, clinicTransactions } from "./schema/clinic.ts";
import { identities, members, roleGrants } from "./schema/core.ts";
import { groupMembers, groups, memberProfiles } from "./schema/groups.ts";
import { meetingAttendance, meetings } from "./schema/meetings.ts";
import { actionJobs, actions, thanks, thanksRecipients } from "./schema/actions.ts";

export interface AttendanceRow {
  meetingId: number;
  groupId: number;
  memberId: number;
  occurrence: string;
  occurrenceAt: number;
  recordedAt: number;
}

/** Attendance at occurrences that started in [from, to). */
export function attendanceBetween(db: Db, from: number | undefined, to: number): AttendanceRow[] {
  return db
    .select({
      meetingId: meetingAttendance.meetingId,
      groupId: meetingAttendance.groupId,
      memberId: meetingAttendance.memberId,
      occurrence: meetingAttendance.occurrence,
      occurrenceAt: meetingAttendance.occurrenceAt,
      recordedAt: meetingAttendance.recordedAt,
    })
    .from(meetingAttendance)
    .where(and(from === undefined ? undefined : gte(meetingAttendance.occurrenceAt, from), lt(meetingAttendance.occurrenceAt, to)))
    .orderBy(asc(meetingAttendance.occurrenceAt), asc(meetingAttendance.meetingId), asc(meetingAttendance.memberId))
    .all();
}

/** Every meeting of these groups, cancelled ones too (they were held until cancelled). */
export function meetingsOfGroups(db: Db, groupIds: readonly number[]) {
  if (groupIds.length === 0) return [];
  return db.select().from(meetings).where(inArray(meetings.groupId, [...groupIds])).orderBy(asc(meetings.id)).all();
}

export interface FunnelEnquiry {
  id: number;
  source: string;
  category: string | null;
  state: string;
  createdAt: number;
  firstClaimedAt: number | null;
}

/** Enquiries made in [from, to): how far each got, nothing of what it said. */
export function funnelEnquiries(db: Db, from: number | undefined, to: number): FunnelEnquiry[] {
  return db
    .select({
      id: clinicEnquiries.id,
      source: clinicEnquiries.source,
      category: clinicEnquiries.category,
      state: clinicEnquiries.state,
      createdAt: clinicEnquiries.createdAt,
      firstClaimedAt: clinicEnquiries.firstClaimedAt,
    })
    .from(clinicEnquiries)
    .where(and(from === undefined ? undefined : gte(clinicEnquiries.createdAt, from), lt(clinicEnquiries.createdAt, to)))
    .orderBy(asc(clinicEnquiries.id))
    .all();
}

/** Each handoff's enquiry, state and when it was decided (offered, accepted, ...). */
export function handoffStates(db: Db): { enquiryId: number; state: string; decidedAt: number | null }[] {
  return db.select({ enquiryId: clinicHandoffs.enquiryId, state: clinicHandoffs.state, decidedAt: clinicHandoffs.decidedAt }).from(clinicHandoffs).orderBy(asc(clinicHandoffs.id)).all();
}

/** When the bot met its first member: the dashboard's charts start no earlier. */
export function firstMemberAt(db: Db): number | undefined {
  return db.select({ at: sql<number | null>`min(${members.createdAt})` }).from(members).get()?.at ?? undefined;
}

// ---- exports ----------------------------------------------------------------

/** Members who can be exported: themselves (not merged into another), not forgotten. */
export function exportableMembers(db: Db) {
  return db
    .select({
      id: members.id,
      displayName: members.displayName,
      preferredPlatform: members.preferredPlatform,
      timezone: members.timezone,
      createdAt: members.createdAt,
      skills: memberProfiles.skills,
      location: memberProfiles.location,
      industry: memberProfiles.industry,
      interests: memberProfiles.interests,
    })
    .from(members)
    .leftJoin(memberProfiles, eq(memberProfiles.memberId, members.id))
    .where(and(isNull(members.mergedInto), isNull(members.forgottenAt)))
    .orderBy(asc(members.id))
    .all();
}

/** Every identity, oldest first per member (the first is the member's external id). */
export function allIdentities(db: Db) {
  return db.select().from(identities).orderBy(asc(identities.memberId), asc(identities.createdAt), asc(identities.platform), asc(identities.platformId)).all();
}

export function allMemberships(db: Db) {
  return db
    .select({ groupId: groupMembers.groupId, memberId: groupMembers.memberId, joinedAt: groupMembers.joinedAt, slug: groups.slug, name: groups.name })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .orderBy(asc(groups.slug), asc(groupMembers.memberId))
    .all();
}

/** Verified actions with their job (no notes, evidence or reasons: people's own words stay out of exports). */
export function verifiedActions(db: Db) {
  return db
    .select({
      id: actions.id,
      memberId: actions.memberId,
      groupId: actions.groupId,
      hours: actions.hours,
      doneAt: actions.doneAt,
      decidedAt: actions.decidedAt,
      source: actions.source,
      jobSlug: actionJobs.slug,
      jobTitle: actionJobs.title,
      journey: actionJobs.journey,
    })
    .from(actions)
    .leftJoin(actionJobs, eq(actionJobs.id, actions.jobId))
    .where(eq(actions.state, "verified"))
    .orderBy(asc(actions.doneAt), asc(actions.id))
    .all();
}

/** Every thanks, one row per person named (no reason: a thanks is private by default). */
export function thanksRows(db: Db) {
  return db
    .select({ thanksId: thanks.id, giverId: thanks.giverId, recipientId: thanksRecipients.recipientId, value: thanks.value, public: thanks.public, createdAt: thanks.createdAt })
    .from(thanksRecipients)
    .innerJoin(thanks, eq(thanks.id, thanksRecipients.thanksId))
    .orderBy(asc(thanks.createdAt), asc(thanks.id), asc(thanksRecipients.recipientId))
    .all();
}

/** Clinic transactions: who advised, the category, when. Never the enquiry or who asked. */
export function transactionRows(db: Db) {
  return db
    .select({
      id: clinicTransactions.id,
      enquiryId: clinicTransactions.enquiryId,
      adviserId: clinicTransactions.adviserId,
      triagerId: clinicTransactions.triagerId,
      category: clinicTransactions.category,
      startedAt: clinicTransactions.startedAt,
      resolvedAt: clinicTransactions.resolvedAt,
    })
    .from(clinicTransactions)
    .orderBy(asc(clinicTransactions.startedAt), asc(clinicTransactions.id))
    .all();
}

export function groupsWithCounts(db: Db) {
  return db
    .select({
      id: groups.id,
      slug: groups.slug,
      name: groups.name,
      kind: groups.kind,
      policy: groups.policy,
      status: groups.status,
      tags: groups.tags,
      createdAt: groups.createdAt,
      members: sql<number>`(select count(*) from ${groupMembers} where ${groupMembers.groupId} = ${groups.id})`,
    })
    .from(groups)
    .orderBy(asc(groups.slug))
    .all();
}

export function allRoleGrants(db: Db) {
  return db.select({ memberId: roleGrants.memberId, role: roleGrants.role, scope: roleGrants.scope }).from(roleGrants).orderBy(asc(roleGrants.memberId), asc(roleGrants.role), asc(roleGrants.scope)).all();
}
