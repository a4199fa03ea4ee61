// A database that can't be used says which file, what is wrong with it, and
// what to do: a damaged or foreign file is restored from a backup (naming
// the newest one when the backups directory has one), a permission or a
// full disk is fixed where it is. Never a bare stack.
import { basename, dirname, join } from "node:path";
import { scheduledBackups } from "../bot/backup-schedule.ts";

/** The SQLite error code of `err` (`SQLITE_NOTADB`), if it is one. */
export function sqliteCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === "string" && code.startsWith("SQLITE_") ? code : undefined;
}

/** Where scheduled backups of `db` go unless the config says otherwise. */
export const defaultBackupsDir = (db: string) => join(dirname(db), "backups");

/** A message for an operator, or undefined when `err` is not a SQLite error. */
export function describeDatabaseError(err: unknown, db: string, backupsDir = defaultBackupsDir(db)): string | undefined {
  const code = sqliteCode(err);
  if (!code) return undefined;
  const detail = `${code}: ${(err as Error).message}`;
  if (code === "SQLITE_NOTADB") return `${db} is not a SQLite database, or its first page is damaged (${detail}).\n${restoreHint(db, backupsDir)}`;
  if (code.startsWith("SQLITE_CORRUPT")) return `the database ${db} is damaged (${detail}).\n${restoreHint(db, backupsDir)}`;
  if (code.startsWith("SQLITE_CANTOPEN")) return `can't open the database ${db} (${detail}): does its directory exist, and may the bot's user write there? \`coopbot doctor\` checks.`;
  if (code.startsWith("SQLITE_READONLY")) return `the database ${db} is read-only for this user (${detail}): the bot's user must own it and its directory (\`coopbot doctor\` checks).`;
  if (code === "SQLITE_FULL") return `the disk holding ${db} is full (${detail}): free some space and start again; nothing committed was lost.`;
  if (code.startsWith("SQLITE_IOERR")) return `the disk failed while reading or writing ${db} (${detail}): check the disk (dmesg), then \`coopbot doctor\`.\n${restoreHint(db, backupsDir)}`;
  if (code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED")) return `the database ${db} is locked by another process (${detail}): is a second bot, or a tool, holding it?`;
  return `the database ${db} could not be used (${detail}). \`coopbot doctor\` checks it.`;
}

function restoreHint(db: string, backupsDir: string): string {
  const newest = scheduledBackups(backupsDir).at(-1)?.file;
  return [
    "To restore it from a backup, stop the bot and run",
    `    coopbot restore ${newest ?? "<backup file>"} --db ${db}`,
    `(the damaged file is kept beside it as ${basename(db)}.before-restore-…)${newest ? ", the newest backup found" : ""}; \`coopbot doctor\` checks the result.`,
  ].join("\n");
}
