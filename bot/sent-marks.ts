// "Sent" is recorded without a transaction of its own: the marks ride on
// the next write transaction (the next command's, usually), or are written
// after a short pause if none comes. Until then a crash only means the
// message is offered again, marked as maybe delivered, and the adapters
// check for an earlier copy (Slack's metadata, Matrix's transaction id):
// the same at-least-once, exactly-once-where-checkable promise as before.
import type { Db } from "../db/connection.ts";
import { markSentMany } from "../db/outbox.ts";
import { afterCommit, deferWrite, flushDeferredWrites } from "../db/transaction.ts";

type Mark = readonly [id: number, ref: string | null, at: number];

export class SentMarks {
  private readonly waiting: Mark[] = [];
  /** Refs of messages sent but not yet recorded: an edit of one needs its ref. */
  private readonly refs = new Map<number, string | undefined>();
  /** A deferred write is queued (and stays queued if the transaction carrying it rolls back). */
  private queued = false;

  constructor(
    private readonly db: Db,
    private readonly onFailure: (err: unknown) => void,
  ) {}

  add(id: number, ref: string | undefined, at: number): void {
    this.refs.set(id, ref);
    this.waiting.push([id, ref ?? null, at]);
    this.queue();
  }

  refOf(id: number): string | undefined {
    return this.refs.get(id);
  }

  /** Written now, in a transaction of their own if none is running. */
  flush(): void {
    if (this.waiting.length > 0) flushDeferredWrites(this.db);
  }

  private queue(): void {
    if (this.queued || this.waiting.length === 0) return;
    this.queued = true;
    deferWrite(this.db, {
      write: () => this.write(),
      failed: (err) => {
        this.queued = false;
        this.onFailure(err);
      },
    });
  }

  private write(): void {
    const batch = this.waiting.slice();
    markSentMany(this.db, batch);
    // Forgotten only once committed: rolled back, the same marks ride the next transaction.
    afterCommit(this.db, () => {
      this.waiting.splice(0, batch.length);
      for (const [id] of batch) this.refs.delete(id);
      this.queued = false;
      this.queue();
    });
  }
}
