// Files attached to outbox messages (a chart, a CSV export): their bytes
// leave the row once it has been sent. Kept apart from db/outbox.ts, which
// is the dispatcher's hot path; this touches one row by id, rarely.
import type { Db } from "./connection.ts";

/** Whether the row still waits to be sent (a resend would need its bytes). */
export function isPending(db: Db, outboxId: number): boolean {
  const row = db.$client.prepare("select state from outbox where id = ?").get(outboxId) as { state: string } | undefined;
  return row?.state === "pending";
}

/**
 * Empties the file's bytes in a row that is no longer pending, keeping its
 * name, type and alt text (what was sent stays known). False when there
 * was nothing to drop.
 */
export function dropFileBytes(db: Db, outboxId: number): boolean {
  return (
    db.$client
      .prepare(
        `update outbox set message = json_set(message, '$.file.data', '')
          where id = ? and state != 'pending' and json_extract(message, '$.file.data') != ''`,
      )
      .run(outboxId).changes > 0
  );
}
