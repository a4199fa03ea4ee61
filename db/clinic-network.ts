// The clinic's adviser network: the directory, handoffs (offered, accepted,
// declined, resolved) and the transactions the federation counts.
import { and, asc, eq, gte, inArray, isNull, lte, or, gt, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { members, roleGrants } from "./schema/core.ts";
import { clinicAdvisers, clinicHandoffs, clinicTransactions } from "./schema/clinic.ts";

export type Adviser = typeof clinicAdvisers.$inferSelect & { displayName: string };
export type Handoff = typeof clinicHandoffs.$inferSelect;
export type Transaction = typeof clinicTransactions.$inferSelect;

/** Handoffs that take up an adviser's capacity. */
const LIVE = ["offered", "accepted"];

/** Adds or updates a directory entry (and brings a retired adviser back). True if new. */
export function upsertAdviser(db: Db, row: { memberId: number; specialisms: string[]; region: string | null; capacity: number; addedBy: number; now: number }): boolean {
  const existing = db.select().from(clinicAdvisers).where(eq(clinicAdvisers.memberId, row.memberId)).get();
  const values = { specialisms: row.specialisms.join(","), region: row.region, capacity: row.capacity };
  if (existing) {
    db.update(clinicAdvisers).set({ ...values, retiredAt: null }).where(eq(clinicAdvisers.memberId, row.memberId)).run();
    return existing.retiredAt !== null;
  }
  db.insert(clinicAdvisers).values({ memberId: row.memberId, ...values, addedBy: row.addedBy, addedAt: row.now }).run();
  return true;
}

function selectAdvisers(db: Db) {
  return db
    .select({
      memberId: clinicAdvisers.memberId,
      specialisms: clinicAdvisers.specialisms,
      region: clinicAdvisers.region,
      capacity: clinicAdvisers.capacity,
      awayUntil: clinicAdvisers.awayUntil,
      addedBy: clinicAdvisers.addedBy,
      addedAt: clinicAdvisers.addedAt,
      retiredAt: clinicAdvisers.retiredAt,
      displayName: members.displayName,
    })
    .from(clinicAdvisers)
    .innerJoin(members, eq(members.id, clinicAdvisers.memberId));
}

/** A current (not retired) adviser. */
export function getAdviser(db: Db, memberId: number): Adviser | undefined {
  return selectAdvisers(db).where(and(eq(clinicAdvisers.memberId, memberId), isNull(clinicAdvisers.retiredAt))).get();
}

export function activeAdvisers(db: Db): Adviser[] {
  return selectAdvisers(db).where(isNull(clinicAdvisers.retiredAt)).orderBy(asc(members.displayName)).all();
}

export function retireAdviser(db: Db, memberId: number, now: number): boolean {
  return db.update(clinicAdvisers).set({ retiredAt: now }).where(and(eq(clinicAdvisers.memberId, memberId), isNull(clinicAdvisers.retiredAt))).run().changes > 0;
}

export function setAway(db: Db, memberId: number, until: number | null): boolean {
  return db.update(clinicAdvisers).set({ awayUntil: until }).where(and(eq(clinicAdvisers.memberId, memberId), isNull(clinicAdvisers.retiredAt))).run().changes > 0;
}

/** Advisers in the directory at `at` (added by then, not retired by then). */
export function countAdvisersAt(db: Db, at: number): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(clinicAdvisers)
    .where(and(lte(clinicAdvisers.addedAt, at), or(isNull(clinicAdvisers.retiredAt), gt(clinicAdvisers.retiredAt, at))))
    .get()!.n;
}

/** Open (offered or accepted) handoffs per adviser. */
export function liveHandoffCounts(db: Db): Map<number, number> {
  const rows = db.select({ adviserId: clinicHandoffs.adviserId, n: sql<number>`count(*)` }).from(clinicHandoffs).where(inArray(clinicHandoffs.state, LIVE)).groupBy(clinicHandoffs.adviserId).all();
  return new Map(rows.map((r) => [r.adviserId, r.n]));
}

/** An adviser's open (offered or accepted) handoffs. */
export function liveHandoffsOf(db: Db, adviserId: number): Handoff[] {
  return db.select().from(clinicHandoffs).where(and(eq(clinicHandoffs.adviserId, adviserId), inArray(clinicHandoffs.state, LIVE))).orderBy(asc(clinicHandoffs.id)).all();
}

/** Undefined when the enquiry already has a live handoff (the unique index says so, even across processes). */
export function insertHandoff(db: Db, row: { enquiryId: number; adviserId: number; offeredBy: number; note: string | null; now: number }): Handoff | undefined {
  return db
    .insert(clinicHandoffs)
    .values({ enquiryId: row.enquiryId, adviserId: row.adviserId, offeredBy: row.offeredBy, note: row.note, offeredAt: row.now, lastActivityAt: row.now })
    .onConflictDoNothing()
    .returning()
    .get();
}

export function getHandoff(db: Db, id: number): Handoff | undefined {
  return db.select().from(clinicHandoffs).where(eq(clinicHandoffs.id, id)).get();
}

export function liveHandoff(db: Db, enquiryId: number): Handoff | undefined {
  return db.select().from(clinicHandoffs).where(and(eq(clinicHandoffs.enquiryId, enquiryId), inArray(clinicHandoffs.state, LIVE))).get();
}

export function handoffsOf(db: Db, enquiryId: number): Handoff[] {
  return db.select().from(clinicHandoffs).where(eq(clinicHandoffs.enquiryId, enquiryId)).orderBy(asc(clinicHandoffs.id)).all();
}

/** An adviser's answer (or the triager withdrawing the offer): only while it is still offered. */
export function decideHandoff(db: Db, id: number, decision: { state: "accepted" | "declined" | "withdrawn"; reason?: string | null; now: number }): boolean {
  return (
    db
      .update(clinicHandoffs)
      .set({ state: decision.state, decidedAt: decision.now, declineReason: decision.reason ?? null, lastActivityAt: decision.now })
      .where(and(eq(clinicHandoffs.id, id), eq(clinicHandoffs.state, "offered")))
      .run().changes > 0
  );
}

/** An accepted handoff ended without an outcome (the adviser lost the role); its transaction stays on record. */
export function abandonHandoff(db: Db, id: number, now: number): boolean {
  return (
    db
      .update(clinicHandoffs)
      .set({ state: "withdrawn", decidedAt: now, lastActivityAt: now })
      .where(and(eq(clinicHandoffs.id, id), eq(clinicHandoffs.state, "accepted")))
      .run().changes > 0
  );
}

export function resolveHandoff(db: Db, id: number, now: number): boolean {
  const done = db.update(clinicHandoffs).set({ state: "resolved", resolvedAt: now, lastActivityAt: now }).where(and(eq(clinicHandoffs.id, id), eq(clinicHandoffs.state, "accepted"))).run().changes > 0;
  if (done) db.update(clinicTransactions).set({ resolvedAt: now }).where(eq(clinicTransactions.handoffId, id)).run();
  return done;
}

/** The adviser did something on it: the check-in clock starts again. */
export function touchHandoff(db: Db, id: number, now: number): void {
  db.update(clinicHandoffs).set({ lastActivityAt: now }).where(eq(clinicHandoffs.id, id)).run();
}

export function insertTransaction(db: Db, row: Omit<typeof clinicTransactions.$inferInsert, "id">): void {
  db.insert(clinicTransactions).values(row).onConflictDoNothing().run();
}

export function transactionsBetween(db: Db, from: number | undefined, to: number): Transaction[] {
  const upper = lte(clinicTransactions.startedAt, to);
  return db.select().from(clinicTransactions).where(from === undefined ? upper : and(gte(clinicTransactions.startedAt, from), upper)).orderBy(asc(clinicTransactions.id)).all();
}

/** Accepted handoffs, for stats: when each enquiry first reached an adviser. */
export function acceptedHandoffs(db: Db): Handoff[] {
  return db.select().from(clinicHandoffs).where(inArray(clinicHandoffs.state, ["accepted", "resolved"])).orderBy(asc(clinicHandoffs.id)).all();
}

/** Distinct members holding any of these roles, granted by `at` (triagers and triage leads count once). */
export function countRoleHoldersAt(db: Db, roles: readonly string[], at: number): number {
  return db
    .select({ n: sql<number>`count(distinct ${roleGrants.memberId})` })
    .from(roleGrants)
    .where(and(inArray(roleGrants.role, [...roles]), lte(roleGrants.grantedAt, at)))
    .get()!.n;
}

/** `forget me`: their directory entry is retired (the count of advisers up to now keeps it) and where they are goes. */
export function forgetAdviser(db: Db, memberId: number, now: number): void {
  db.update(clinicAdvisers).set({ retiredAt: sql`coalesce(${clinicAdvisers.retiredAt}, ${now})`, region: null, awayUntil: null }).where(eq(clinicAdvisers.memberId, memberId)).run();
}

/** A member's directory entry, retired or not (`export me`). */
export function adviserEntryOf(db: Db, memberId: number): typeof clinicAdvisers.$inferSelect | undefined {
  return db.select().from(clinicAdvisers).where(eq(clinicAdvisers.memberId, memberId)).get();
}
