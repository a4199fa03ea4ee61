// `coopbot restore FILE`: puts a backup in the database's place. It refuses
// a file that is not a whole coopbot database, and refuses while a bot
// holds the current one: every running bot records itself in the `meta`
// table (`dispatcher:<uuid>`, with its pid and host), and a pid alive on
// this host means a bot would go on writing into the file being replaced.
// The current database (with its WAL, which may hold its last commits) is
// kept beside the restored one, never deleted.
import Database from "better-sqlite3";
import { chmodSync, closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, readSync, renameSync, rmSync, statSync } from "node:fs";
import { hostname } from "node:os";
import { dirname, resolve } from "node:path";
import { syncFile } from "../db/backup.ts";
import { PRIVATE_DIR, PRIVATE_FILE } from "./files.ts";

export class RestoreError extends Error {
  override name = "RestoreError";
}

export interface Holder {
  pid: number;
  host: string;
  startedAt: number;
}

/** Whether `pid` is a running process on this machine that could be a bot (a reused pid belonging to something else is not). */
function isBotProcess(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  try {
    // Linux: a bot is a node process; anything else reusing the pid is not one.
    return /node|coopbot/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8"));
  } catch {
    return true; // no /proc to ask: err on the side of refusing
  }
}

/**
 * Bots recorded in the database's `meta` table whose process is alive on
 * this host. `unreadable`: the file could not be read (damaged), so nobody
 * can tell; the caller says so.
 */
export function liveHolders(db: string): { holders: Holder[]; unreadable?: string } {
  if (!existsSync(db)) return { holders: [] };
  let rows: { value: string }[];
  try {
    const sqlite = new Database(db, { fileMustExist: true });
    try {
      sqlite.pragma("busy_timeout = 2000");
      rows = sqlite.prepare("select value from meta where key like 'dispatcher:%'").all() as { value: string }[];
    } finally {
      sqlite.close();
    }
  } catch (err) {
    return { holders: [], unreadable: (err as Error).message };
  }
  const host = hostname();
  const holders = rows.map((r) => JSON.parse(r.value) as Holder).filter((h) => h.host === host && isBotProcess(h.pid));
  return { holders };
}

const SQLITE_HEADER = "SQLite format 3\0";

/** Throws unless `file` is a whole SQLite database with coopbot's tables. */
export function checkBackup(file: string): void {
  if (!existsSync(file) || !statSync(file).isFile()) throw new RestoreError(`there is no backup file at ${file}`);
  const header = Buffer.alloc(16);
  const fd = openSync(file, "r");
  try {
    readSync(fd, header, 0, 16, 0);
  } finally {
    closeSync(fd);
  }
  if (header.toString("latin1") !== SQLITE_HEADER) throw new RestoreError(`${file} is not a SQLite database`);
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const check = sqlite.pragma("integrity_check", { simple: true });
    if (check !== "ok") throw new RestoreError(`${file} is damaged (integrity_check: ${String(check)}); choose an older backup`);
    if (!sqlite.prepare("select 1 from sqlite_master where type = 'table' and name = 'meta'").get()) {
      throw new RestoreError(`${file} is a SQLite database, but not one of coopbot's`);
    }
  } finally {
    sqlite.close();
  }
}

export interface RestoreResult {
  /** Where the database that was there before now is (with `-wal` beside it if it had one). */
  keptAs?: string;
  bytes: number;
  /** The current database could not be read to see whether a bot holds it. */
  unreadable?: string;
}

/** `stamp`: when the restore happens, for the kept file's name (`20260817T090000Z`). */
export function restoreDatabase(backup: string, target: string, stamp: string): RestoreResult {
  const db = resolve(target);
  checkBackup(backup);
  const { holders, unreadable } = liveHolders(db);
  if (holders.length > 0) {
    const who = holders.map((h) => `pid ${h.pid}`).join(", ");
    throw new RestoreError(`a bot is running on ${db} (${who} on this host): stop it first (e.g. \`systemctl stop coopbot\`), then restore`);
  }
  if (!existsSync(dirname(db))) mkdirSync(dirname(db), { recursive: true, mode: PRIVATE_DIR });
  let keptAs: string | undefined;
  if (existsSync(db)) {
    keptAs = `${db}.before-restore-${stamp}`;
    renameSync(db, keptAs);
    // The WAL goes with its database (it may hold the last commits); -shm is only an index of it.
    if (existsSync(`${db}-wal`)) renameSync(`${db}-wal`, `${keptAs}-wal`);
  }
  rmSync(`${db}-shm`, { force: true });
  const restoring = `${db}.restoring`;
  copyFileSync(backup, restoring);
  chmodSync(restoring, PRIVATE_FILE);
  syncFile(restoring);
  renameSync(restoring, db);
  syncFile(dirname(db));
  return { ...(keptAs ? { keptAs } : {}), bytes: statSync(db).size, ...(unreadable ? { unreadable } : {}) };
}
