// Personal reminders are jobs (kind `core.remind`) keyed
//   remind:<member>:<number>            the reminder as set
//   remind:<member>:<number>:<suffix>   its next repeat, or a snooze
// so one member's reminders are one range of the key index, and a number
// names every job of one reminder.
import { sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import type { JobRow } from "./jobs.ts";
import { jobs } from "./schema/core.ts";

export const reminderPrefix = (memberId: number) => `remind:${memberId}:`;
export const reminderKey = (memberId: number, n: number, suffix?: string) => `remind:${memberId}:${n}${suffix ? `:${suffix}` : ""}`;

/** The reminder number in a key (undefined for keys from before numbering: `remind:5:event:…`). */
export function reminderNumber(key: string): number | undefined {
  const n = /^remind:\d+:(\d+)(?::|$)/.exec(key)?.[1];
  return n === undefined ? undefined : Number(n);
}

const upTo = (prefix: string) => prefix.slice(0, -1) + String.fromCharCode(prefix.charCodeAt(prefix.length - 1) + 1);

/** Every job of a member's reminders still in the table (any state), oldest due first. */
function memberReminderJobs(db: Db, memberId: number, pendingOnly: boolean): JobRow[] {
  const prefix = reminderPrefix(memberId);
  const state = pendingOnly ? sql` and ${jobs.state} = 'pending'` : sql``;
  return db
    .select()
    .from(jobs)
    .where(sql`${jobs.key} >= ${prefix} and ${jobs.key} < ${upTo(prefix)}${state}`)
    .orderBy(jobs.dueAt, jobs.id)
    .all();
}

export function pendingReminderJobs(db: Db, memberId: number): JobRow[] {
  return memberReminderJobs(db, memberId, true);
}

/** The jobs of one reminder (the one set, its repeats and snoozes), oldest due first. */
export function jobsOfReminder(db: Db, memberId: number, n: number): JobRow[] {
  return memberReminderJobs(db, memberId, false).filter((j) => reminderNumber(j.key) === n);
}

/** One more than the highest number this member's reminders have had. */
export function nextReminderNumber(db: Db, memberId: number): number {
  let max = 0;
  for (const job of memberReminderJobs(db, memberId, false)) max = Math.max(max, reminderNumber(job.key) ?? 0);
  return max + 1;
}

/** The reminder this member most recently received (finished, not cancelled), if any. */
export function lastSentReminder(db: Db, memberId: number): JobRow | undefined {
  return memberReminderJobs(db, memberId, false)
    .filter((j) => j.state === "done" && reminderNumber(j.key) !== undefined)
    .sort((a, b) => (b.finishedAt ?? b.dueAt) - (a.finishedAt ?? a.dueAt))[0];
}
