// Knowing when cached rows went stale, without asking the database each time.
//
// The command path reads the same few rows on every command: who the sender
// is, their roles, the groups, the job catalogue. They change rarely, so
// they are kept in memory (memo.ts) and dropped when they may have changed:
// - this connection's writes to a watched table fire a TEMP trigger (temp
//   triggers belong to one connection) that calls back into JavaScript;
// - another connection's commits (a second bot process, a CLI) change
//   `PRAGMA data_version`, read once per transaction (or per read-only
//   command): then everything is dropped;
// - a rolled-back transaction or savepoint drops everything too, since a
//   cache may have been filled from rows that no longer exist.
import type Database from "better-sqlite3";

/** Tables whose rows are cached somewhere on the command path. */
export const WATCHED_TABLES = ["members", "identities", "role_grants", "groups", "group_members", "group_rooms", "action_jobs", "meetings"] as const;
export type WatchedTable = (typeof WATCHED_TABLES)[number] | "outbox";

export class Watch {
  /** Counts every change seen; caches remember the count they were filled at. */
  private tick = 1;
  private readonly changedAt = new Map<string, number>();
  /** When everything was last dropped (a foreign commit or a rollback). */
  private everythingAt = 0;
  /** How many times another connection's commit was noticed (the dispatcher compares it). */
  foreignCommits = 0;
  private dataVersion: number;
  private readonly readVersion: () => number;
  /** Inside a transaction (or a read scope), data_version is read once. */
  private scopeDepth = 0;
  private synced = false;

  constructor(client: Database.Database) {
    const stmt = client.prepare("pragma data_version").pluck();
    this.readVersion = () => stmt.get() as number;
    this.dataVersion = this.readVersion();
    client.function("coopbot_changed", { deterministic: false }, (table: unknown) => {
      this.changed(String(table));
      return null;
    });
    // Messages are handed to the dispatcher in memory; an edit to a queued
    // message's text (an erasure) or a removed row makes it read them again.
    client.exec(`create temp trigger if not exists coopbot_watch_outbox_edit after update of message on main.outbox begin select coopbot_changed('outbox'); end`);
    client.exec(`create temp trigger if not exists coopbot_watch_outbox_delete after delete on main.outbox begin select coopbot_changed('outbox'); end`);
    for (const table of WATCHED_TABLES) {
      for (const op of ["insert", "update", "delete"]) {
        client.exec(`create temp trigger if not exists coopbot_watch_${table}_${op} after ${op} on main.${table} begin select coopbot_changed('${table}'); end`);
      }
    }
  }

  now(): number {
    return this.tick;
  }

  changed(table: string): void {
    this.changedAt.set(table, ++this.tick);
  }

  changedEverything(): void {
    this.everythingAt = ++this.tick;
  }

  /** Whether any of `tables` may have changed after `since` (a value of now()). */
  changedSince(tables: readonly string[], since: number): boolean {
    if (this.everythingAt > since) return true;
    for (const t of tables) if ((this.changedAt.get(t) ?? 0) > since) return true;
    return false;
  }

  /**
   * Notices another connection's commits. Inside a transaction nobody else
   * can commit, so once is enough; outside one, every call reads.
   */
  sync(): void {
    if (this.scopeDepth > 0 && this.synced) return;
    const version = this.readVersion();
    if (this.scopeDepth > 0) this.synced = true;
    if (version === this.dataVersion) return;
    this.dataVersion = version;
    this.foreignCommits++;
    this.changedEverything();
  }

  /** A transaction or a read-only command: data_version is read at most once inside it. */
  enter(): void {
    if (this.scopeDepth++ === 0) this.synced = false;
  }

  leave(): void {
    if (--this.scopeDepth === 0) this.synced = false;
  }
}
