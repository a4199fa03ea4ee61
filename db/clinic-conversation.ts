// The conversation of each clinic enquiry: what the enquirer and the clinic
// wrote to each other (chat, email, the reply page), and the enquiry state
// the relay needs (whose enquiries are open, consent taken back).
import { and, asc, count, eq, gte, inArray, isNotNull, isNull, lte, ne, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { clinicEnquiries, clinicMessages } from "./schema/clinic.ts";
import type { Enquiry } from "./clinic.ts";

export type ClinicMessage = typeof clinicMessages.$inferSelect;
export type Direction = "in" | "out";
export type Via = "chat" | "email" | "page";

export function addMessage(db: Db, m: { enquiryId: number; direction: Direction; authorId: number | null; via: Via; text: string; now: number }): void {
  db.insert(clinicMessages).values({ enquiryId: m.enquiryId, direction: m.direction, authorId: m.authorId, via: m.via, text: m.text, createdAt: m.now }).run();
}

/** One enquiry's conversation, oldest first. */
export function messagesOf(db: Db, enquiryId: number): ClinicMessage[] {
  return db.select().from(clinicMessages).where(eq(clinicMessages.enquiryId, enquiryId)).orderBy(asc(clinicMessages.createdAt), asc(clinicMessages.id)).all();
}

/** How many messages the enquirer sent into this enquiry since `since` (the relay's daily limit). */
export function enquirerMessagesSince(db: Db, enquiryId: number, since: number): number {
  return db
    .select({ n: count() })
    .from(clinicMessages)
    .where(and(eq(clinicMessages.enquiryId, enquiryId), eq(clinicMessages.direction, "in"), gte(clinicMessages.createdAt, since)))
    .get()!.n;
}

/** The enquirer's latest message, to recognise the same words sent twice (a double click on the page). */
export function lastEnquirerMessage(db: Db, enquiryId: number): ClinicMessage | undefined {
  return db
    .select()
    .from(clinicMessages)
    .where(and(eq(clinicMessages.enquiryId, enquiryId), eq(clinicMessages.direction, "in")))
    .orderBy(sql`${clinicMessages.id} desc`)
    .limit(1)
    .get();
}

/** Messages of the enquiries made in a period (for `clinic stats`). */
export function messagesOfEnquiriesBetween(db: Db, from: number | undefined, to: number): ClinicMessage[] {
  const made = from === undefined ? lte(clinicEnquiries.createdAt, to) : and(gte(clinicEnquiries.createdAt, from), lte(clinicEnquiries.createdAt, to));
  return db
    .select({ m: clinicMessages })
    .from(clinicMessages)
    .innerJoin(clinicEnquiries, eq(clinicEnquiries.id, clinicMessages.enquiryId))
    .where(made)
    .orderBy(asc(clinicMessages.id))
    .all()
    .map((r) => r.m);
}

/** On erasure: the words go, and who wrote them as the enquirer (the clinic's side keeps its author, as notes do). */
export function eraseMessages(db: Db, enquiryId: number): void {
  db.update(clinicMessages)
    .set({ text: null, authorId: sql`case when ${clinicMessages.direction} = 'in' then null else ${clinicMessages.authorId} end` })
    .where(eq(clinicMessages.enquiryId, enquiryId))
    .run();
}

/** Enquiries a member asked that are still open (their conversation is live), oldest first. */
export function openEnquiriesAskedBy(db: Db, memberId: number): Enquiry[] {
  return db
    .select()
    .from(clinicEnquiries)
    .where(and(eq(clinicEnquiries.askerId, memberId), ne(clinicEnquiries.state, "resolved"), isNull(clinicEnquiries.erasedAt)))
    .orderBy(asc(clinicEnquiries.id))
    .all();
}

/** Their enquiries closed since `since` and not erased: the ones a late message is most likely about. */
export function recentlyClosedAskedBy(db: Db, memberId: number, since: number): Enquiry[] {
  return db
    .select()
    .from(clinicEnquiries)
    .where(and(eq(clinicEnquiries.askerId, memberId), eq(clinicEnquiries.state, "resolved"), isNull(clinicEnquiries.erasedAt), isNotNull(clinicEnquiries.resolvedAt), gte(clinicEnquiries.resolvedAt, since)))
    .orderBy(asc(clinicEnquiries.id))
    .all();
}

/** The enquirer wrote from another of their platforms: the clinic's answers follow them there. */
export function setAskerPlatform(db: Db, enquiryIds: number[], platform: string): void {
  if (enquiryIds.length === 0) return;
  db.update(clinicEnquiries).set({ askerPlatform: platform }).where(inArray(clinicEnquiries.id, enquiryIds)).run();
}

/** Takes consent back; false if there was none to take. */
export function withdrawConsent(db: Db, id: number, now: number): boolean {
  return (
    db
      .update(clinicEnquiries)
      .set({ consentAt: null, consentHow: null, consentWithdrawnAt: now })
      .where(and(eq(clinicEnquiries.id, id), isNotNull(clinicEnquiries.consentAt)))
      .run().changes > 0
  );
}
