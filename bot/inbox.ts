// The durable inbox the adapters write to before they acknowledge anything
// to a platform (Slack's ack). Payloads that arrive together are committed
// together (group commit: one transaction, one fsync, for everything that
// came in during one turn of the event loop), and each `accept` resolves
// only once its payload is on disk. The core then runs the event from here
// and deletes the row in the same transaction as the event's effects.
import { inTransaction } from "../db/connection.ts";
import { deleteInbox, insertInbox, takeLeftovers } from "../db/inbox.ts";
import type { Services } from "./context.ts";
import type { Platform } from "./events.ts";

/** An event stored and waiting to be handled. */
export interface InboxEntry {
  id: number;
  eventId: string;
  receivedAt: number;
  /** The payload exactly as the adapter handed it in. */
  payload: unknown;
}

/**
 * Starts that may find the same payload still waiting before it is given up
 * (it keeps crashing the bot). A start counts whether or not the payload's
 * turn came before the next stop, so this is generous: a run of restarts
 * while a backlog waits on Slack look-ups must not drop what was
 * acknowledged (3 did, under the crash test on a busy machine), and a
 * payload that really crashes the bot costs at most this many restarts.
 */
export const MAX_INBOX_ATTEMPTS = 10;
/** Largest batch committed at once; more waiting means another batch right after. */
const MAX_BATCH = 500;

interface Waiting {
  platform: Platform;
  eventId: string;
  payload: unknown;
  resolve(entry: InboxEntry | undefined): void;
  reject(err: unknown): void;
}

export class Inbox {
  private waiting: Waiting[] = [];
  private flushQueued = false;
  /** Commits made and payloads stored (for metrics and the benchmark's group-commit figure). */
  readonly stats = { commits: 0, stored: 0 };

  constructor(private readonly services: Services) {}

  /**
   * Stores a payload durably. Resolves with the stored entry once committed
   * (only then may the platform be told it arrived), or undefined when the
   * same event is already waiting (a redelivery: acknowledge it, run nothing).
   * Rejects if it could not be stored: then don't acknowledge.
   */
  accept(platform: Platform, eventId: string, payload: unknown): Promise<InboxEntry | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ platform, eventId, payload, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Handled, or found not to be for the bot: the row goes (when it wasn't deleted with the event's effects). */
  done(id: number): void {
    deleteInbox(this.services.db, id);
  }

  /**
   * What an earlier run stored but did not handle, oldest first. A payload
   * found here by more than MAX_INBOX_ATTEMPTS starts is given up (logged
   * without its content) rather than failing every start.
   */
  leftovers(platform: Platform): InboxEntry[] {
    const { db, log } = this.services;
    const rows = inTransaction(db, () => takeLeftovers(db, platform));
    const entries: InboxEntry[] = [];
    for (const row of rows) {
      if (row.attempts > MAX_INBOX_ATTEMPTS) {
        log.error({ platform, eventId: row.eventId, attempts: row.attempts }, "gave up on a stored event that could not be handled in several starts");
        this.done(row.id);
        continue;
      }
      entries.push({ id: row.id, eventId: row.eventId, receivedAt: row.receivedAt, payload: JSON.parse(row.payload) as unknown });
    }
    if (entries.length > 0) log.info({ platform, events: entries.length }, "running events stored before the last stop");
    return entries;
  }

  private flush(): void {
    this.flushQueued = false;
    const batch = this.waiting.splice(0, MAX_BATCH);
    if (this.waiting.length > 0) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
    const { db, clock } = this.services;
    const receivedAt = clock.now();
    let stored: (InboxEntry | undefined)[];
    try {
      stored = inTransaction(db, () =>
        batch.map((w) => {
          const id = insertInbox(db, { platform: w.platform, eventId: w.eventId, receivedAt, payload: JSON.stringify(w.payload) });
          return id === undefined ? undefined : { id, eventId: w.eventId, receivedAt, payload: w.payload };
        }),
      );
    } catch (err) {
      this.services.log.error({ err, events: batch.length }, "could not store inbound events; they are not acknowledged, so the platform may send them again");
      for (const w of batch) w.reject(err);
      return;
    }
    this.stats.commits += 1;
    this.stats.stored += batch.length;
    batch.forEach((w, i) => w.resolve(stored[i]));
  }
}
