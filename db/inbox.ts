// The inbox: raw platform payloads stored before the platform is told they
// arrived. Written in batches (group commit), deleted in the transaction
// that handles them.
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";

export interface InboxRow {
  id: number;
  platform: string;
  eventId: string;
  receivedAt: number;
  payload: string;
  attempts: number;
}

const queries = perDb((db) => {
  const sqlite = db.$client;
  return {
    // `returning` gives no row when the event is already waiting here (a redelivery).
    insert: sqlite.prepare<{ platform: string; eventId: string; receivedAt: number; payload: string }, { id: number }>(
      "insert into inbox (platform, event_id, received_at, payload) values (@platform, @eventId, @receivedAt, @payload) on conflict (platform, event_id) do nothing returning id",
    ),
    remove: sqlite.prepare<[number]>("delete from inbox where id = ?"),
    waiting: sqlite.prepare<[string], InboxRow>(
      "select id, platform, event_id as eventId, received_at as receivedAt, payload, attempts from inbox where platform = ? order by id",
    ),
    countAttempt: sqlite.prepare<[string]>("update inbox set attempts = attempts + 1 where platform = ?"),
  };
});

/** Stores a payload; the new row's id, or undefined if the same event is already waiting. */
export function insertInbox(db: Db, row: { platform: string; eventId: string; receivedAt: number; payload: string }): number | undefined {
  return queries(db).insert.get(row)?.id;
}

export function deleteInbox(db: Db, id: number): void {
  queries(db).remove.run(id);
}

/**
 * What an earlier run stored and did not finish, oldest first. Each call
 * counts one more attempt on every row returned, so a payload that keeps
 * failing can be given up on instead of failing every start.
 */
export function takeLeftovers(db: Db, platform: string): InboxRow[] {
  const q = queries(db);
  q.countAttempt.run(platform);
  return q.waiting.all(platform);
}
