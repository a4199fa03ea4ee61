// Clinic enquiries and their notes. Every change of hands is one conditional
// UPDATE, so of two triagers (or two bot processes) acting at once exactly
// one succeeds and the other is told who got there first.
import { and, asc, eq, gte, inArray, isNull, lte, sql } from "drizzle-orm";
import { eraseMessages } from "./clinic-conversation.ts";
import { forgetDeliveries } from "./clinic-intake.ts";
import type { Db } from "./connection.ts";
import { clinicEnquiries, clinicHandoffs, clinicNotes, clinicTransactions } from "./schema/clinic.ts";

export type Enquiry = typeof clinicEnquiries.$inferSelect;
export type NewEnquiry = typeof clinicEnquiries.$inferInsert;
export type ClinicNote = typeof clinicNotes.$inferSelect;
export type EnquiryState = "open" | "claimed" | "with-adviser" | "resolved";

/** 42 → `CL-0042` */
export const refOf = (id: number): string => `CL-${String(id).padStart(4, "0")}`;

/** `CL-0042`, `cl-42`, `CL42` or `42` → 42; anything else → undefined. */
export function parseRef(text: string): number | undefined {
  const m = /^(?:cl-?)?0*(\d{1,9})$/i.exec(text.trim());
  const id = m ? Number(m[1]) : NaN;
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** Inserts; undefined when an enquiry with the same idempotency key exists (the website sent it twice). */
export function insertEnquiry(db: Db, row: NewEnquiry): Enquiry | undefined {
  return db.insert(clinicEnquiries).values(row).onConflictDoNothing().returning().get();
}

export function getEnquiry(db: Db, id: number): Enquiry | undefined {
  return db.select().from(clinicEnquiries).where(eq(clinicEnquiries.id, id)).get();
}

export function findByIdempotencyKey(db: Db, key: string): Enquiry | undefined {
  return db.select().from(clinicEnquiries).where(eq(clinicEnquiries.idempotencyKey, key)).get();
}

/** The claim itself: only an unclaimed, open enquiry can be claimed. */
export function claimEnquiry(db: Db, id: number, triagerId: number, now: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ state: "claimed", claimedBy: triagerId, claimedAt: now, firstClaimedAt: sql`coalesce(${clinicEnquiries.firstClaimedAt}, ${now})` })
      .where(and(eq(clinicEnquiries.id, id), isNull(clinicEnquiries.claimedBy), eq(clinicEnquiries.state, "open")))
      .run().changes > 0
  );
}

/** Back to the queue, under a new round (a fresh card and fresh escalations). */
export function releaseEnquiry(db: Db, id: number, holderId: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ state: "open", claimedBy: null, claimedAt: null, round: sql`${clinicEnquiries.round} + 1` })
      .where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.state, "claimed"), eq(clinicEnquiries.claimedBy, holderId)))
      .run().changes > 0
  );
}

/**
 * Gives an enquiry to another triager, if it is still held by `from` (null =
 * unclaimed): an open or claimed one becomes theirs; one with an adviser and
 * no triager (theirs lost the role) gets them to follow it up.
 */
export function reassignEnquiry(db: Db, id: number, from: number | null, to: number, now: number): boolean {
  if (from === null) {
    const followUp = db
      .update(clinicEnquiries)
      .set({ claimedBy: to, claimedAt: now })
      .where(and(eq(clinicEnquiries.id, id), isNull(clinicEnquiries.claimedBy), eq(clinicEnquiries.state, "with-adviser")))
      .run().changes;
    if (followUp > 0) return true;
  }
  const holder = from === null ? and(isNull(clinicEnquiries.claimedBy), eq(clinicEnquiries.state, "open")) : and(eq(clinicEnquiries.claimedBy, from), eq(clinicEnquiries.state, "claimed"));
  return (
    db
      .update(clinicEnquiries)
      .set({ state: "claimed", claimedBy: to, claimedAt: now, firstClaimedAt: sql`coalesce(${clinicEnquiries.firstClaimedAt}, ${now})` })
      .where(and(eq(clinicEnquiries.id, id), holder))
      .run().changes > 0
  );
}

/** Enquiries a member holds as their triager, still open (claimed, or with an adviser). */
export function enquiriesClaimedBy(db: Db, memberId: number): Enquiry[] {
  return db
    .select()
    .from(clinicEnquiries)
    .where(and(eq(clinicEnquiries.claimedBy, memberId), inArray(clinicEnquiries.state, ["claimed", "with-adviser"])))
    .orderBy(asc(clinicEnquiries.id))
    .all();
}

/** Its triager lost the role: the enquiry stays with its adviser, waiting for someone to follow it up. */
export function dropFollowUp(db: Db, id: number, holderId: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ claimedBy: null, claimedAt: null })
      .where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.claimedBy, holderId), eq(clinicEnquiries.state, "with-adviser")))
      .run().changes > 0
  );
}

/** Its adviser lost the role: back with its triager (claimed), or back in the queue (open, a new round) when it has none. */
export function takeBackFromAdviser(db: Db, id: number, adviserId: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({
        adviserId: null,
        state: sql`case when ${clinicEnquiries.claimedBy} is null then 'open' else 'claimed' end`,
        round: sql`case when ${clinicEnquiries.claimedBy} is null then ${clinicEnquiries.round} + 1 else ${clinicEnquiries.round} end`,
      })
      .where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.adviserId, adviserId), eq(clinicEnquiries.state, "with-adviser")))
      .run().changes > 0
  );
}

export function setTriage(db: Db, id: number, values: { category?: string; urgency?: string; region?: string | null }): void {
  db.update(clinicEnquiries).set(values).where(eq(clinicEnquiries.id, id)).run();
}

/** False if consent was already recorded. */
export function recordConsent(db: Db, id: number, how: string, now: number): boolean {
  return db.update(clinicEnquiries).set({ consentAt: now, consentHow: how }).where(and(eq(clinicEnquiries.id, id), isNull(clinicEnquiries.consentAt))).run().changes > 0;
}

export function markWithAdviser(db: Db, id: number, adviserId: number): boolean {
  return db.update(clinicEnquiries).set({ state: "with-adviser", adviserId }).where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.state, "claimed"))).run().changes > 0;
}

/** An offered handoff that was declined or withdrawn leaves the enquiry with its triager. */
export function resolveEnquiry(db: Db, id: number, by: number, outcome: string, now: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ state: "resolved", outcome, resolvedAt: now, resolvedBy: by })
      .where(and(eq(clinicEnquiries.id, id), inArray(clinicEnquiries.state, ["claimed", "with-adviser"])))
      .run().changes > 0
  );
}

/**
 * Erases what the enquirer (and the clinic about them) wrote, and who they
 * are: the question, contact details, the member who asked, notes, the
 * conversation (and who wrote its enquirer's side), outcome,
 * handoff notes, how consent was given, and the website's deliveries (their
 * body hashes). Dates, category, source, the transaction (without the
 * enquirer) and the website's webhook id (the idempotency key) stay, so the
 * counts don't change and a late retry from the website finds the enquiry
 * rather than creating it again.
 */
// Enquiries taken before the webhook ids were keyed by the SHA-256 of their body: that goes too.
const keptKey = sql<string | null>`case when ${clinicEnquiries.idempotencyKey} like 'body:%' then null else ${clinicEnquiries.idempotencyKey} end`;

const ERASED_WORDS = {
  text: null,
  contactName: null,
  contactEmail: null,
  contactCoop: null,
  askerId: null,
  askerPlatform: null,
  categoryHint: null,
  consentHow: null,
  outcome: null,
  region: null,
} as const;

export function eraseEnquiry(db: Db, id: number, now: number): boolean {
  const done =
    db
      .update(clinicEnquiries)
      .set({ ...ERASED_WORDS, erasedAt: now, idempotencyKey: keptKey })
      .where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.state, "resolved"), isNull(clinicEnquiries.erasedAt)))
      .run().changes > 0;
  if (!done) return false;
  db.update(clinicNotes).set({ text: null }).where(eq(clinicNotes.enquiryId, id)).run();
  eraseMessages(db, id);
  db.update(clinicHandoffs).set({ note: null, declineReason: null }).where(eq(clinicHandoffs.enquiryId, id)).run();
  db.update(clinicTransactions).set({ enquirerId: null }).where(eq(clinicTransactions.enquiryId, id)).run();
  forgetDeliveries(db, id);
  return true;
}

export function addNote(db: Db, note: { enquiryId: number; authorId: number; kind: "note" | "reply" | "contact"; text: string; now: number }): void {
  db.insert(clinicNotes).values({ enquiryId: note.enquiryId, authorId: note.authorId, kind: note.kind, text: note.text, createdAt: note.now }).run();
}

export function notesOf(db: Db, enquiryId: number): ClinicNote[] {
  return db.select().from(clinicNotes).where(eq(clinicNotes.enquiryId, enquiryId)).orderBy(asc(clinicNotes.id)).all();
}

/** Enquiries not yet resolved, oldest first (the queue). */
export function unresolvedEnquiries(db: Db): Enquiry[] {
  return db.select().from(clinicEnquiries).where(inArray(clinicEnquiries.state, ["open", "claimed", "with-adviser"])).orderBy(asc(clinicEnquiries.createdAt), asc(clinicEnquiries.id)).all();
}

export function enquiriesCreatedBetween(db: Db, from: number | undefined, to: number): Enquiry[] {
  const upper = lte(clinicEnquiries.createdAt, to);
  return db.select().from(clinicEnquiries).where(from === undefined ? upper : and(gte(clinicEnquiries.createdAt, from), upper)).orderBy(asc(clinicEnquiries.id)).all();
}

export function countEnquiries(db: Db, range: { source?: string; from?: number; to: number }): number {
  const where = [lte(clinicEnquiries.createdAt, range.to)];
  if (range.from !== undefined) where.push(gte(clinicEnquiries.createdAt, range.from));
  if (range.source) where.push(eq(clinicEnquiries.source, range.source));
  return db.select({ n: sql<number>`count(*)` }).from(clinicEnquiries).where(and(...where)).get()!.n;
}

// ---- a member's enquiries and clinic work (`export me`, `forget me`) -------

/** Enquiries a member asked, oldest first. */
export function enquiriesAskedBy(db: Db, memberId: number): Enquiry[] {
  return db.select().from(clinicEnquiries).where(eq(clinicEnquiries.askerId, memberId)).orderBy(asc(clinicEnquiries.id)).all();
}

/** Enquiries in a member's hands now: claimed by them as triager, or with them as adviser. */
export function enquiriesHeldBy(db: Db, role: "triager" | "adviser", memberId: number): Enquiry[] {
  const where = role === "triager" ? and(eq(clinicEnquiries.claimedBy, memberId), eq(clinicEnquiries.state, "claimed")) : and(eq(clinicEnquiries.adviserId, memberId), eq(clinicEnquiries.state, "with-adviser"));
  return db.select().from(clinicEnquiries).where(where).orderBy(asc(clinicEnquiries.id)).all();
}

/** Closes an enquiry its enquirer withdrew (no outcome, nobody resolved it); false if it was already closed. */
export function withdrawEnquiry(db: Db, id: number, now: number): boolean {
  return db.update(clinicEnquiries).set({ state: "resolved", resolvedAt: now, resolvedBy: null }).where(and(eq(clinicEnquiries.id, id), sql`${clinicEnquiries.state} != 'resolved'`)).run().changes > 0;
}

/** Its adviser left: the enquiry is its triager's again, to hand to someone else. */
export function returnToTriager(db: Db, id: number, adviserId: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ state: "claimed", adviserId: null })
      .where(and(eq(clinicEnquiries.id, id), eq(clinicEnquiries.state, "with-adviser"), eq(clinicEnquiries.adviserId, adviserId)))
      .run().changes > 0
  );
}
