// Which of this build's migrations a database file has, for `coopbot doctor`
// and upgrades. drizzle applies a migration when its journal time is later
// than the last one the file records, so migrations are append-only: a new
// one always comes last, and an old one is never edited (tests pin them).
import { readFileSync } from "node:fs";
import type Database from "better-sqlite3";

/** Beside this module's own code, from source and from the build alike (see connection.ts). */
const JOURNAL = new URL("./migrations/meta/_journal.json", import.meta.url);

export interface Migration {
  tag: string;
  /** The journal's time for it: what drizzle compares with the database's record. */
  when: number;
}

export function knownMigrations(): Migration[] {
  const journal = JSON.parse(readFileSync(JOURNAL, "utf8")) as { entries: Migration[] };
  return journal.entries.map(({ tag, when }) => ({ tag, when }));
}

export interface MigrationState {
  /** Migrations of this build the file has. */
  applied: number;
  /** Migrations of this build it lacks: the next start applies them. */
  pending: string[];
  /** The file records a migration later than any this build knows: it was used by a newer coopbot. */
  newer: boolean;
}

export function migrationState(sqlite: Database.Database): MigrationState {
  const known = knownMigrations();
  const hasTable = sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = '__drizzle_migrations'").get() !== undefined;
  const last = hasTable ? ((sqlite.prepare("select max(created_at) as at from __drizzle_migrations").get() as { at: number | null }).at ?? 0) : 0;
  const pending = known.filter((m) => m.when > Number(last)).map((m) => m.tag);
  return { applied: known.length - pending.length, pending, newer: Number(last) > Math.max(0, ...known.map((m) => m.when)) };
}
