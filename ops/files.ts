// The bot's files hold clinic enquiries and enquirers' emails: the data
// directory is created 0700, and the database, its WAL and shared-memory
// files and the log 0600. SQLite gives a WAL and -shm the mode of their
// database file, so creating the database file 0600 before SQLite opens it
// is what keeps the others private too.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export const PRIVATE_DIR = 0o700;
export const PRIVATE_FILE = 0o600;

export interface LooseMode {
  path: string;
  kind: "directory" | "file";
  /** Permission bits now (e.g. 0o644). */
  mode: number;
}

export const octal = (mode: number) => `0${(mode & 0o777).toString(8)}`;

/** The database's companions SQLite creates beside it. */
export const databaseFiles = (db: string) => [db, `${db}-wal`, `${db}-shm`];

/** Those of `paths` that exist and that others than the owner may read, write or enter. */
export function looseModes(paths: { path: string; kind: LooseMode["kind"] }[]): LooseMode[] {
  return paths.flatMap(({ path, kind }) => {
    try {
      const mode = statSync(path).mode & 0o777;
      return mode & 0o077 ? [{ path, kind, mode }] : [];
    } catch {
      return [];
    }
  });
}

export interface PreparedFiles {
  /** Files whose mode was narrowed to 0600 (they were readable by others). */
  tightened: LooseMode[];
  /** The data directory, when others may enter it: left as it is (it may be shared on purpose), and said. */
  looseDirectory?: LooseMode;
}

/**
 * Before the database is opened: creates the data directory (0700) and the
 * database file (0600) if they are missing, and narrows the database's and
 * the log's files to 0600 where an earlier version left them readable.
 * An existing directory is not changed (`--db ./coopbot.sqlite` would make
 * it the working directory), only reported.
 */
export function prepareDataFiles(db: string, logFile?: string): PreparedFiles {
  if (db === ":memory:") return { tightened: [] };
  const path = resolve(db);
  const dir = dirname(path);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
  if (logFile && !existsSync(dirname(resolve(logFile)))) mkdirSync(dirname(resolve(logFile)), { recursive: true, mode: PRIVATE_DIR });
  try {
    closeSync(openSync(path, "wx", PRIVATE_FILE));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  }
  const files = [...databaseFiles(path), ...(logFile ? [resolve(logFile)] : [])].map((p) => ({ path: p, kind: "file" as const }));
  const tightened = looseModes(files).filter((loose) => {
    try {
      chmodSync(loose.path, PRIVATE_FILE);
      return true;
    } catch {
      return false; // not ours to change (another owner): doctor reports it
    }
  });
  const [looseDirectory] = looseModes([{ path: dir, kind: "directory" }]);
  return looseDirectory ? { tightened, looseDirectory } : { tightened };
}
