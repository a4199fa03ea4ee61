// The core's part of forgetting a member (`forget me`): their name, their
// platform accounts, their roles, and what the core's ledgers keep of them.
// The member's row itself stays, nameless, because the anonymous records
// that counts are made of (actions, attendance, thanks) point at it.
// Capabilities erase their own tables through their `forgetMember` hook.
import { and, eq, inArray, or, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { identities, inboundEvents, members, replyPages, roleGrants } from "./schema/core.ts";
import { linkCodes, linkFailures } from "./schema/identity.ts";

/** What a forgotten member is called wherever the records that stay still name them. */
export const FORMER_MEMBER = "former member";

/** What stays in a required text column once the words in it are erased. */
export const ERASED = "(erased)";

/** The member and the accounts once linked into them (their rows keep the old names). */
export function selfAndMerged(db: Db, memberId: number): number[] {
  const merged = db.select({ id: members.id }).from(members).where(eq(members.mergedInto, memberId)).all();
  return [memberId, ...merged.map((m) => m.id)];
}

/** The direct-message channels of a member's accounts, as the outbox names them (`slack:dm:U0BEA`). */
export function dmChannelsOf(db: Db, memberId: number): string[] {
  return db
    .select({ platform: identities.platform, platformId: identities.platformId })
    .from(identities)
    .where(eq(identities.memberId, memberId))
    .all()
    .map((i) => `${i.platform}:dm:${i.platformId}`);
}

/** The `source` of every message their commands caused, while the inbound ledger still has them (`event:slack:Ev1`). */
export function eventSourcesOf(db: Db, memberIds: number[]): string[] {
  return db
    .select({ source: sql<string>`'event:' || ${inboundEvents.platform} || ':' || ${inboundEvents.eventId}` })
    .from(inboundEvents)
    .where(inArray(inboundEvents.memberId, memberIds))
    .all()
    .map((r) => r.source);
}

/**
 * Erases the member from the core's tables, in this order because each step
 * needs what the next removes: link guesses are found by account, so they
 * go before the accounts. A later message from one of those accounts makes
 * a new member (ensureMember finds no identity).
 */
export function forgetCoreMember(db: Db, memberId: number, now: number): void {
  const ids = selfAndMerged(db, memberId);
  for (const account of db.select().from(identities).where(inArray(identities.memberId, ids)).all()) {
    db.delete(linkFailures).where(and(eq(linkFailures.platform, account.platform), eq(linkFailures.platformId, account.platformId))).run();
  }
  db.delete(linkCodes).where(or(inArray(linkCodes.memberId, ids), inArray(linkCodes.confirmerMemberId, ids))).run();
  db.delete(identities).where(inArray(identities.memberId, ids)).run();
  db.delete(roleGrants).where(inArray(roleGrants.memberId, ids)).run();
  db.delete(replyPages).where(inArray(replyPages.memberId, ids)).run();
  db.update(inboundEvents).set({ memberId: null }).where(inArray(inboundEvents.memberId, ids)).run();
  db.update(members).set({ displayName: FORMER_MEMBER, preferredPlatform: null, timezone: null, forgottenAt: now }).where(inArray(members.id, ids)).run();
}

/** The core's part of `export me`: who the bot thinks they are. */
export function coreRecordOf(db: Db, memberId: number): { member: unknown; accounts: unknown[] } {
  const member = db.select().from(members).where(eq(members.id, memberId)).get()!;
  const accounts = db.select().from(identities).where(eq(identities.memberId, memberId)).all();
  return {
    member: { id: member.id, name: member.displayName, since: iso(member.createdAt), timezone: member.timezone, preferredPlatform: member.preferredPlatform },
    accounts: accounts.map((a) => ({ platform: a.platform, id: a.platformId, name: a.displayName, since: iso(a.createdAt) })),
  };
}

/** Times in exports: ISO 8601 in UTC, or null. */
export const iso = (ms: number | null | undefined): string | null => (ms === null || ms === undefined ? null : new Date(ms).toISOString());
