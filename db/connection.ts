// Opens the SQLite database, sets the pragmas that make it durable and
// concurrent-safe, and applies the generated migrations.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export type Db = BetterSQLite3Database & { $client: Database.Database };

const MiB = 1024 * 1024;

/**
 * How big the write-ahead log may get. A WAL only shrinks when a checkpoint
 * has copied all of it into the database and a writer then starts it again
 * from the beginning; under steady writes that moment never comes by itself
 * (672 MiB after 10k commands, STACK.md). The checkpointer (checkpointer.ts)
 * forces it at `forceBytes`, the bot's own connection checkpoints past
 * `backstopPages` if the checkpointer falls behind, and `journal_size_limit`
 * cuts the file back after each restart. Measured under a sustained stream
 * of commands (tests/db/wal-bound.test.ts), the file stays under `boundBytes`.
 */
export const WAL_LIMITS = {
  forceBytes: 8 * MiB,
  backstopPages: 4096,
  journalSizeLimitBytes: 8 * MiB,
  boundBytes: 32 * MiB,
} as const;

/**
 * Pragmas every connection to the bot's database sets, the checkpointer's
 * too. `secure_delete` zeroes deleted and overwritten content, so erased
 * text really leaves the file (and the WAL once it is emptied).
 */
export const CONNECTION_PRAGMAS = [`journal_size_limit = ${WAL_LIMITS.journalSizeLimitBytes}`, "secure_delete = ON"] as const;

/** Resolved from this file, so it works from source and from a copied tree. */
const MIGRATIONS = fileURLToPath(new URL("./migrations", import.meta.url));

export interface OpenOptions {
  /** Power-loss safety at some cost; WAL + NORMAL is durable after commit otherwise. */
  synchronous?: "NORMAL" | "FULL";
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  for (const pragma of CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  sqlite.pragma(`synchronous = ${opts.synchronous ?? "NORMAL"}`);
  const db = drizzle({ client: sqlite });
  migrate(db, { migrationsFolder: MIGRATIONS });
  return db;
}

/**
 * Runs `fn` in one IMMEDIATE transaction (the write lock is taken at BEGIN,
 * so two processes never deadlock upgrading a read lock). better-sqlite3
 * transactions are synchronous; so are all handlers.
 */
export function inTransaction<T>(db: Db, fn: () => T): T {
  return runner(db).immediate(fn) as T;
}

/**
 * Runs `fn` in a savepoint inside the current transaction: if it throws,
 * only what it wrote is undone (the router uses this to keep the inbound
 * record and the refusal reply while discarding the handler's writes).
 */
export function inSavepoint<T>(db: Db, fn: () => T): T {
  return runner(db)(fn) as T;
}

// One transaction function per connection: better-sqlite3 builds a wrapper
// per `transaction()` call, which costs more than a small command's writes.
const runners = new WeakMap<Db, Database.Transaction<(fn: () => unknown) => unknown>>();
function runner(db: Db): Database.Transaction<(fn: () => unknown) => unknown> {
  let run = runners.get(db);
  if (!run) {
    run = db.$client.transaction((fn: () => unknown) => fn());
    runners.set(db, run);
  }
  return run;
}
