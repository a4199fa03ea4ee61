// Scheduled jobs: due time + unique key, so a restart neither loses nor doubles work.
import { and, asc, eq, like, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";
import { jobs } from "./schema/core.ts";

export type JobRow = typeof jobs.$inferSelect;

const queries = perDb((db) => ({
  due: db
    .select()
    .from(jobs)
    // A literal state so SQLite uses the partial index on pending jobs.
    .where(sql`${jobs.state} = 'pending' and ${jobs.dueAt} <= ${sql.placeholder("now")}`)
    .orderBy(asc(jobs.dueAt), asc(jobs.id))
    .limit(sql.placeholder("limit"))
    .prepare(),
  insert: db
    .insert(jobs)
    .values({
      kind: sql.placeholder("kind"),
      key: sql.placeholder("key"),
      dueAt: sql.placeholder("dueAt"),
      payload: sql.placeholder("payload"),
      createdAt: sql.placeholder("now"),
    })
    .onConflictDoNothing()
    .prepare(),
  next: db
    .select({ dueAt: jobs.dueAt })
    .from(jobs)
    .where(sql`${jobs.state} = 'pending'`)
    .orderBy(asc(jobs.dueAt))
    .limit(1)
    .prepare(),
}));

export interface NewJob {
  kind: string;
  key: string;
  dueAt: number;
  payload?: unknown;
}

/** Inserts unless a job with this key exists (in any state). True if inserted. */
export function insertJob(db: Db, job: NewJob, now: number): boolean {
  return queries(db).insert.run({ kind: job.kind, key: job.key, dueAt: job.dueAt, payload: JSON.stringify(job.payload ?? {}), now }).changes > 0;
}

export function cancelJob(db: Db, key: string, now: number): boolean {
  return (
    db
      .update(jobs)
      .set({ state: "cancelled", finishedAt: now })
      .where(and(eq(jobs.key, key), eq(jobs.state, "pending")))
      .run().changes > 0
  );
}

/** Cancels every pending job whose key starts with `prefix` (e.g. all of one meeting's reminders). */
export function cancelJobsWithPrefix(db: Db, prefix: string, now: number): number {
  const pattern = prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + "%";
  return db
    .update(jobs)
    .set({ state: "cancelled", finishedAt: now })
    .where(and(sql`${jobs.key} like ${pattern} escape '\\'`, eq(jobs.state, "pending")))
    .run().changes;
}

/**
 * Pending jobs whose key starts with `prefix`, through the key index (a
 * range, not a LIKE: SQLite won't use an index for a case-sensitive LIKE).
 */
export function countPendingWithPrefix(db: Db, prefix: string): number {
  const end = prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);
  return db
    .select({ n: sql<number>`count(*)` })
    .from(jobs)
    .where(sql`${jobs.key} >= ${prefix} and ${jobs.key} < ${end} and ${jobs.state} = 'pending'`)
    .get()!.n;
}

export function dueJobs(db: Db, now: number, limit = 100): JobRow[] {
  return queries(db).due.all({ now, limit });
}

export function nextDueAt(db: Db): number | undefined {
  return queries(db).next.get()?.dueAt;
}

export function getJob(db: Db, key: string): JobRow | undefined {
  return db.select().from(jobs).where(eq(jobs.key, key)).get();
}

export function jobsLike(db: Db, prefix: string): JobRow[] {
  return db.select().from(jobs).where(like(jobs.key, `${prefix}%`)).orderBy(asc(jobs.dueAt)).all();
}

/** Claims a due job for running: only one process (or one pass) gets it. */
export function finishJob(db: Db, id: number, state: "done" | "skipped", now: number, note?: string): boolean {
  return (
    db
      .update(jobs)
      .set({ state, finishedAt: now, note: note ?? null })
      .where(and(eq(jobs.id, id), eq(jobs.state, "pending")))
      .run().changes > 0
  );
}

export function retryJob(db: Db, id: number, dueAt: number, error: string, giveUp: boolean, now: number): void {
  db.update(jobs)
    .set({
      attempts: sql`${jobs.attempts} + 1`,
      dueAt: giveUp ? jobs.dueAt : dueAt,
      state: giveUp ? "failed" : "pending",
      finishedAt: giveUp ? now : null,
      lastError: error,
    })
    .where(eq(jobs.id, id))
    .run();
}

/** Called from inside a running job: it ran, but chose not to act. */
export function markJobSkipped(db: Db, id: number, note: string): void {
  db.update(jobs).set({ state: "skipped", note }).where(eq(jobs.id, id)).run();
}

/** Jobs of one kind whose payload names this member (`{"memberId": 5, ...}`), in any state. */
export function jobsForMember(db: Db, kind: string, memberId: number): JobRow[] {
  return db
    .select()
    .from(jobs)
    .where(sql`${jobs.kind} = ${kind} and json_extract(${jobs.payload}, '$.memberId') = ${memberId}`)
    .orderBy(asc(jobs.dueAt))
    .all();
}

/** Empties a job's payload (what a forgotten member asked to be reminded of); a pending one is cancelled first. */
export function wipeJob(db: Db, id: number, now: number): void {
  db.update(jobs).set({ state: sql`case when ${jobs.state} = 'pending' then 'cancelled' else ${jobs.state} end`, finishedAt: sql`coalesce(${jobs.finishedAt}, ${now})`, payload: "{}" }).where(eq(jobs.id, id)).run();
}
