// Outbox rows: written in the handler's transaction, sent by the dispatcher.
import { and, asc, eq, inArray, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";
import { outbox } from "./schema/core.ts";

export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutboxRow {
  kind: "post" | "update" | "remove";
  platform: string;
  channel: string;
  target: unknown;
  message: unknown;
  msgKey: string | null;
  updatesId: number | null;
  source: string | null;
  now: number;
}

const queries = perDb((db) => ({
  insert: db
    .insert(outbox)
    .values({
      kind: sql.placeholder("kind"),
      platform: sql.placeholder("platform"),
      channel: sql.placeholder("channel"),
      target: sql.placeholder("target"),
      message: sql.placeholder("message"),
      msgKey: sql.placeholder("msgKey"),
      updatesId: sql.placeholder("updatesId"),
      source: sql.placeholder("source"),
      nextAttemptAt: sql.placeholder("now"),
      createdAt: sql.placeholder("now"),
    })
    .returning({ id: outbox.id })
    .prepare(),
}));

export function enqueue(db: Db, row: NewOutboxRow): number {
  return queries(db).insert.get({ ...row, target: JSON.stringify(row.target), message: JSON.stringify(row.message) })!.id;
}

/** Posts already made under a message key (to edit them after a decision). */
export function postsWithKey(db: Db, key: string): OutboxRow[] {
  return db.select().from(outbox).where(and(eq(outbox.msgKey, key), eq(outbox.kind, "post"))).orderBy(asc(outbox.id)).all();
}

export function getOutboxRow(db: Db, id: number): OutboxRow | undefined {
  return db.select().from(outbox).where(eq(outbox.id, id)).get();
}

/** The post the platform knows as `ref` (a Slack ts, a Matrix event id). */
export function findByPlatformRef(db: Db, platform: string, ref: string): OutboxRow | undefined {
  return db
    .select()
    .from(outbox)
    .where(and(eq(outbox.platform, platform), eq(outbox.platformRef, ref)))
    .get();
}

/** Pending rows that are due and not leased by another dispatcher, oldest first. */
export function duePending(db: Db, platforms: string[], now: number, limit: number): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(
      and(
        eq(outbox.state, "pending"),
        lte(outbox.nextAttemptAt, now),
        inArray(outbox.platform, platforms),
        or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now)),
      ),
    )
    .orderBy(asc(outbox.id))
    .limit(limit)
    .all();
}

/** The oldest pending row of a channel: nothing newer may overtake it. */
export function firstPendingInChannel(db: Db, channel: string): number | undefined {
  return db
    .select({ id: outbox.id })
    .from(outbox)
    .where(and(eq(outbox.channel, channel), eq(outbox.state, "pending")))
    .orderBy(asc(outbox.id))
    .limit(1)
    .get()?.id;
}

export function nextRetryAt(db: Db, platforms: string[]): number | undefined {
  const row = db
    .select({ at: sql<number>`min(${outbox.nextAttemptAt})` })
    .from(outbox)
    .where(and(eq(outbox.state, "pending"), inArray(outbox.platform, platforms)))
    .get();
  return row?.at ?? undefined;
}

/** Takes the row for this dispatcher; false if another one holds it or it is no longer pending. */
export function lease(db: Db, id: number, now: number, until: number): boolean {
  return (
    db
      .update(outbox)
      .set({ leaseUntil: until })
      .where(and(eq(outbox.id, id), eq(outbox.state, "pending"), or(isNull(outbox.leaseUntil), lt(outbox.leaseUntil, now))))
      .run().changes > 0
  );
}

export function markSent(db: Db, id: number, now: number, ref: string | undefined): boolean {
  return (
    db
      .update(outbox)
      .set({ state: "sent", sentAt: now, platformRef: ref ?? null, leaseUntil: null, lastError: null })
      .where(and(eq(outbox.id, id), eq(outbox.state, "pending")))
      .run().changes > 0
  );
}

export function markRetry(db: Db, id: number, at: number, error: string, countAttempt: boolean): void {
  db.update(outbox)
    .set({
      nextAttemptAt: at,
      leaseUntil: null,
      lastError: error,
      attempts: countAttempt ? sql`${outbox.attempts} + 1` : outbox.attempts,
    })
    .where(eq(outbox.id, id))
    .run();
}

export function markFinal(db: Db, id: number, state: "failed" | "skipped", error: string): void {
  db.update(outbox).set({ state, leaseUntil: null, lastError: error }).where(eq(outbox.id, id)).run();
}

export function outboxCounts(db: Db): Record<string, number> {
  const rows = db.select({ state: outbox.state, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.state).all();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/**
 * Replaces the stored text of every message (posts and their edits) made
 * under `key`: an erasure, so what we keep of messages we sent doesn't keep
 * what was erased. Buttons go too; where each was sent stays.
 */
export function redactMessagesWithKey(db: Db, key: string, text: string): number {
  return db
    .update(outbox)
    .set({ message: JSON.stringify({ text, key }) })
    .where(eq(outbox.msgKey, key))
    .run().changes;
}
