// Link codes, and merging two members into one when their accounts are linked.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { identities, inboundEvents, members, roleGrants } from "./schema/core.ts";
import { groupMembers, joinRequests, memberProfiles } from "./schema/groups.ts";
import { linkCodes, linkFailures } from "./schema/identity.ts";

export type LinkCode = typeof linkCodes.$inferSelect;

export function insertLinkCode(db: Db, row: { memberId: number; toPlatform: string; codeHash: string; now: number; expiresAt: number }): void {
  db.insert(linkCodes).values({ memberId: row.memberId, toPlatform: row.toPlatform, codeHash: row.codeHash, createdAt: row.now, expiresAt: row.expiresAt }).run();
}

export function codesIssuedSince(db: Db, memberId: number, since: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(linkCodes).where(and(eq(linkCodes.memberId, memberId), gt(linkCodes.createdAt, since))).get()!.n;
}

/** A live code nobody has typed yet; undefined if it is unknown, used or expired. */
export function liveLinkCode(db: Db, codeHash: string, now: number): LinkCode | undefined {
  return db.select().from(linkCodes).where(and(eq(linkCodes.codeHash, codeHash), isNull(linkCodes.usedAt), gt(linkCodes.expiresAt, now))).get();
}

/**
 * Marks a code typed by the confirmer (single use is in the UPDATE itself):
 * linking now waits for both sides to accept, until `expiresAt`.
 */
export function confirmLinkCode(db: Db, id: number, confirmer: { memberId: number; platform: string; platformId: string }, now: number, expiresAt: number): boolean {
  return (
    db
      .update(linkCodes)
      .set({ usedAt: now, confirmerMemberId: confirmer.memberId, confirmerPlatform: confirmer.platform, confirmerPlatformId: confirmer.platformId, expiresAt })
      .where(and(eq(linkCodes.id, id), isNull(linkCodes.usedAt)))
      .run().changes > 0
  );
}

/** A typed code waiting for the two sides to accept (or cancel); undefined once it is decided or expired. */
export function pendingLink(db: Db, codeHash: string, now: number): LinkCode | undefined {
  return db
    .select()
    .from(linkCodes)
    .where(and(eq(linkCodes.codeHash, codeHash), sql`${linkCodes.usedAt} is not null`, isNull(linkCodes.outcome), gt(linkCodes.expiresAt, now)))
    .get();
}

export function acceptLink(db: Db, id: number, side: "issuer" | "confirmer", now: number): LinkCode {
  db.update(linkCodes)
    .set(side === "issuer" ? { issuerAcceptedAt: now } : { confirmerAcceptedAt: now })
    .where(eq(linkCodes.id, id))
    .run();
  return db.select().from(linkCodes).where(eq(linkCodes.id, id)).get()!;
}

/** Counts a stranger's try on a pending link; the tries so far. */
export function countStrangerTry(db: Db, id: number): number {
  db.update(linkCodes).set({ strangerTries: sql`${linkCodes.strangerTries} + 1` }).where(eq(linkCodes.id, id)).run();
  return db.select({ n: linkCodes.strangerTries }).from(linkCodes).where(eq(linkCodes.id, id)).get()!.n;
}

export function endLink(db: Db, id: number, outcome: "linked" | "cancelled"): void {
  db.update(linkCodes).set({ outcome }).where(eq(linkCodes.id, id)).run();
}

export function recordLinkFailure(db: Db, platform: string, platformId: string, now: number): void {
  db.insert(linkFailures).values({ platform, platformId, at: now }).run();
}

/** Wrong codes typed by anyone: guessing spread over many accounts is slowed down too. */
export function allLinkFailuresSince(db: Db, since: number): number {
  return db.select({ n: sql<number>`count(*)` }).from(linkFailures).where(gt(linkFailures.at, since)).get()!.n;
}

export function linkFailuresSince(db: Db, platform: string, platformId: string, since: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(linkFailures)
    .where(and(eq(linkFailures.platform, platform), eq(linkFailures.platformId, platformId), gt(linkFailures.at, since)))
    .get()!.n;
}

/**
 * Moves everything the core and the groups capability know about `from`
 * onto `into`, keeping one row where both had one (roles, memberships).
 * Other capabilities merge their own tables through their `mergeMembers` hook.
 */
export function mergeCoreMember(db: Db, from: number, into: number): void {
  db.update(identities).set({ memberId: into }).where(eq(identities.memberId, from)).run();
  db.run(sql`insert or ignore into role_grants (member_id, role, scope, source, granted_by, granted_at)
             select ${into}, role, scope, source, granted_by, granted_at from role_grants where member_id = ${from}`);
  db.delete(roleGrants).where(eq(roleGrants.memberId, from)).run();
  db.run(sql`insert or ignore into group_members (group_id, member_id, joined_at, added_by)
             select group_id, ${into}, joined_at, added_by from group_members where member_id = ${from}`);
  db.delete(groupMembers).where(eq(groupMembers.memberId, from)).run();
  // A pending request for a group the merged member is now in, or asked for twice, is withdrawn.
  db.update(joinRequests).set({ memberId: into }).where(eq(joinRequests.memberId, from)).run();
  db.run(sql`update join_requests set state = 'withdrawn', reason = 'accounts linked'
             where member_id = ${into} and state = 'pending'
               and (group_id in (select group_id from group_members where member_id = ${into})
                    or id not in (select min(id) from join_requests where member_id = ${into} and state = 'pending' group by group_id))`);
  mergeProfiles(db, from, into);
  db.update(inboundEvents).set({ memberId: into }).where(eq(inboundEvents.memberId, from)).run();
  db.update(members).set({ mergedInto: into }).where(eq(members.id, from)).run();
}

function mergeProfiles(db: Db, from: number, into: number): void {
  const a = db.select().from(memberProfiles).where(eq(memberProfiles.memberId, into)).get();
  const b = db.select().from(memberProfiles).where(eq(memberProfiles.memberId, from)).get();
  if (!b) return;
  if (!a) {
    db.update(memberProfiles).set({ memberId: into }).where(eq(memberProfiles.memberId, from)).run();
    return;
  }
  db.update(memberProfiles)
    .set({ skills: a.skills ?? b.skills, location: a.location ?? b.location, industry: a.industry ?? b.industry, interests: a.interests ?? b.interests })
    .where(eq(memberProfiles.memberId, into))
    .run();
  db.delete(memberProfiles).where(eq(memberProfiles.memberId, from)).run();
}

/** Gives one identity a member of its own again (its history stays with the member it leaves). */
export function splitIdentity(db: Db, platform: string, platformId: string, displayName: string, now: number): number {
  const member = db.insert(members).values({ displayName, createdAt: now }).returning({ id: members.id }).get();
  db.update(identities).set({ memberId: member.id }).where(and(eq(identities.platform, platform), eq(identities.platformId, platformId))).run();
  return member.id;
}
