// Queries for thanks (kudos): one row per thanks, one per person it names.
import { and, asc, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { thanks, thanksRecipients } from "./schema/actions.ts";

export type Thanks = typeof thanks.$inferSelect;

export interface NewThanks {
  giverId: number;
  reason: string;
  value: string | null;
  public: boolean;
  now: number;
  recipients: { recipientId: number; weight: number; nth: number }[];
}

export function insertThanks(db: Db, row: NewThanks): Thanks {
  const given = db.insert(thanks).values({ giverId: row.giverId, reason: row.reason, value: row.value, public: row.public, createdAt: row.now }).returning().get();
  for (const r of row.recipients) db.insert(thanksRecipients).values({ thanksId: given.id, ...r }).run();
  return given;
}

/** How many people a giver has thanked in [from, to) (each person named counts once). */
export function recipientsThankedBy(db: Db, giverId: number, range: { from: number; to: number }): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(thanksRecipients)
    .innerJoin(thanks, eq(thanks.id, thanksRecipients.thanksId))
    .where(and(eq(thanks.giverId, giverId), gte(thanks.createdAt, range.from), lt(thanks.createdAt, range.to)))
    .get()!.n;
}

/** How many times this giver already thanked this recipient in [from, to). */
export function pairCount(db: Db, giverId: number, recipientId: number, range: { from: number; to: number }): number {
  return db
    .select({ n: sql<number>`count(*)` })
    .from(thanksRecipients)
    .innerJoin(thanks, eq(thanks.id, thanksRecipients.thanksId))
    .where(and(eq(thanks.giverId, giverId), eq(thanksRecipients.recipientId, recipientId), gte(thanks.createdAt, range.from), lt(thanks.createdAt, range.to)))
    .get()!.n;
}

export interface ReceivedThanks {
  thanksId: number;
  giverId: number;
  recipientId: number;
  reason: string;
  value: string | null;
  weight: number;
  nth: number;
  createdAt: number;
}

/** Every (thanks, recipient) pair given in [from, to), oldest first. */
export function thanksBetween(db: Db, range: { from?: number; to: number }, recipientId?: number): ReceivedThanks[] {
  return db
    .select({
      thanksId: thanks.id,
      giverId: thanks.giverId,
      recipientId: thanksRecipients.recipientId,
      reason: thanks.reason,
      value: thanks.value,
      weight: thanksRecipients.weight,
      nth: thanksRecipients.nth,
      createdAt: thanks.createdAt,
    })
    .from(thanksRecipients)
    .innerJoin(thanks, eq(thanks.id, thanksRecipients.thanksId))
    .where(
      and(
        range.from === undefined ? undefined : gte(thanks.createdAt, range.from),
        lt(thanks.createdAt, range.to),
        recipientId === undefined ? undefined : eq(thanksRecipients.recipientId, recipientId),
      ),
    )
    .orderBy(asc(thanks.createdAt), asc(thanks.id))
    .all();
}

/** Thanks a member gave, oldest first, with whom each named. */
export function thanksGivenBy(db: Db, giverId: number): (Thanks & { recipients: number[] })[] {
  const given = db.select().from(thanks).where(eq(thanks.giverId, giverId)).orderBy(asc(thanks.id)).all();
  return given.map((t) => ({ ...t, recipients: db.select({ id: thanksRecipients.recipientId }).from(thanksRecipients).where(eq(thanksRecipients.thanksId, t.id)).all().map((r) => r.id) }));
}

/** The words of every thanks a member gave (`forget me`); who was thanked, when and its #value stay, so thanks still count. */
export function eraseThanksWords(db: Db, giverId: number, erased: string): void {
  db.update(thanks).set({ reason: erased }).where(eq(thanks.giverId, giverId)).run();
}
