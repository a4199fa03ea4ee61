// Opens the SQLite database, sets the pragmas that make it durable and
// concurrent-safe, and applies the generated migrations.
import Database from "better-sqlite3";
import { drizzle, type BetterSQLite3Database } from "drizzle-orm/better-sqlite3";
import { migrate } from "drizzle-orm/better-sqlite3/migrator";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { watchOf } from "./transaction.ts";

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
  /** Told every statement SQLite runs (the benchmark counts them per command). */
  verbose?: (sql: unknown) => void;
}

export function openDatabase(path: string, opts: OpenOptions = {}): Db {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path, opts.verbose ? { verbose: opts.verbose } : {});
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  for (const pragma of CONNECTION_PRAGMAS) sqlite.pragma(pragma);
  sqlite.pragma(`synchronous = ${opts.synchronous ?? "NORMAL"}`);
  const db = drizzle({ client: sqlite }) as Db;
  migrate(db, { migrationsFolder: MIGRATIONS });
  // After the migrations: the watch's temp triggers name the tables they create.
  watchOf(db);
  return db;
}

// Transactions live in transaction.ts (with what rides on their commit).
export { afterCommit, deferWrite, flushDeferredWrites, inSavepoint, inTransaction } from "./transaction.ts";
