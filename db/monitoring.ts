// What an operator's monitoring reads from the database (`/metrics`,
// `/readyz`): small aggregate queries over the pending rows only, through
// the partial indexes, so a scrape costs microseconds however big the
// tables grow. Nothing here reads what anyone wrote.
import { statSync } from "node:fs";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";

export interface PendingByPlatform {
  platform: string;
  count: number;
  /** created_at (outbox) or received_at (inbox) of the oldest row; null when none. */
  oldestAt: number | null;
}

const queries = perDb((db) => {
  const sqlite = db.$client;
  return {
    // INDEXED BY: only the pending rows (a handful) are read, never the whole outbox.
    outbox: sqlite.prepare<[], PendingByPlatform>(
      "select platform, count(*) as count, min(created_at) as oldestAt from outbox indexed by outbox_channel_pending where state = 'pending' group by platform",
    ),
    inbox: sqlite.prepare<[], PendingByPlatform>("select platform, count(*) as count, min(received_at) as oldestAt from inbox group by platform"),
    // Both through the partial index on pending jobs (jobs_due).
    jobsDue: sqlite.prepare<[number], { n: number }>("select count(*) as n from jobs where state = 'pending' and due_at <= ?"),
    oldestDue: sqlite.prepare<[], { at: number | null }>("select min(due_at) as at from jobs where state = 'pending'"),
    probe: sqlite.prepare<[string]>("insert into meta (key, value) values ('health:probe', ?) on conflict (key) do update set value = excluded.value"),
  };
});

export function pendingOutbox(db: Db): PendingByPlatform[] {
  return queries(db).outbox.all();
}

export function waitingInbox(db: Db): PendingByPlatform[] {
  return queries(db).inbox.all();
}

export function jobsDue(db: Db, now: number): number {
  return queries(db).jobsDue.get(now)!.n;
}

/** How late the most overdue pending job is (0 when none is due). */
export function schedulerLagMs(db: Db, now: number): number {
  const at = queries(db).oldestDue.get()!.at;
  return at === null ? 0 : Math.max(0, now - at);
}

/**
 * Commits one tiny write: proves the file is writable, the write lock can
 * be had and the disk takes a WAL frame (a full disk fails here). Waits at
 * most `waitMs` for another process's write lock instead of the
 * connection's usual five seconds: a probe must not stall the bot.
 */
export function probeWrite(db: Db, stamp: string, waitMs = 250): void {
  const sqlite = db.$client;
  const usual = sqlite.pragma("busy_timeout", { simple: true }) as number;
  sqlite.pragma(`busy_timeout = ${waitMs}`);
  try {
    queries(db).probe.run(stamp);
  } finally {
    sqlite.pragma(`busy_timeout = ${usual}`);
  }
}

/** The database file's and its WAL's sizes in bytes (0 for a missing file or `:memory:`). */
export function fileSizes(db: Db): { database: number; wal: number } {
  const path = db.$client.name;
  const size = (file: string) => {
    try {
      return statSync(file).size;
    } catch {
      return 0;
    }
  };
  return db.$client.memory ? { database: 0, wal: 0 } : { database: size(path), wal: size(`${path}-wal`) };
}
