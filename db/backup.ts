// An online, consistent copy of the database: SQLite's backup API (through
// better-sqlite3's `backup()`), while the bot goes on writing.
//
// The copy is made from its own connection, in a worker thread, in one
// backup step: one read transaction sees one committed state of the whole
// file (WAL readers never block the bot's writes), and no write by the bot
// can restart a copy half made, as it would between smaller steps. The
// worker keeps the bot's event loop free while the pages are copied. The
// copy is written under a temporary name (mode 0600: it holds everything
// the database does), checked with `integrity_check`, turned into a single
// self-contained file (journal_mode DELETE), synced, and only then renamed
// into place: a backup that exists is a whole one.
import { closeSync, existsSync, fsyncSync, openSync, renameSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, dirname, join } from "node:path";
import { Worker } from "node:worker_threads";

export class BackupError extends Error {
  override name = "BackupError";
}

export interface BackupResult {
  file: string;
  bytes: number;
  pages: number;
  ms: number;
}

// Plain CommonJS: a worker evaluated from a string can't load TypeScript.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const { source, partial } = workerData;
(async () => {
  const src = new Database(source, { fileMustExist: true });
  src.pragma("busy_timeout = 5000");
  let pages = 0;
  try {
    // The first step only starts the backup; the callback then asks for every page in the next one.
    await src.backup(partial, { progress: (p) => { pages = p.totalPages; return 0x7fffffff; } });
  } finally {
    src.close();
  }
  const copy = new Database(partial);
  const check = copy.pragma("integrity_check", { simple: true });
  copy.pragma("journal_mode = DELETE");
  copy.close();
  parentPort.postMessage({ check, pages });
})().catch((err) => parentPort.postMessage({ error: String((err && err.message) || err), code: err && err.code }));
`;

function inWorker(source: string, partial: string): Promise<{ check?: string; pages?: number; error?: string; code?: string }> {
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER, { eval: true, workerData: { driver, source, partial } });
  return new Promise((resolve, reject) => {
    worker.once("message", resolve);
    worker.once("error", reject);
    worker.once("exit", (code) => reject(new BackupError(`the backup worker stopped (exit code ${code}) before it finished`)));
  });
}

/** Copies the database at `source` to `dest`, which must not exist yet. */
export async function backupDatabase(source: string, dest: string): Promise<BackupResult> {
  const started = performance.now();
  if (!existsSync(source)) throw new BackupError(`there is no database at ${source}`);
  if (existsSync(dest)) throw new BackupError(`${dest} already exists: a backup never overwrites a file; choose another name`);
  if (!existsSync(dirname(dest))) throw new BackupError(`the directory ${dirname(dest)} does not exist`);
  const partial = join(dirname(dest), `.${basename(dest)}.partial`);
  rmSync(partial, { force: true });
  // Created empty with its final mode before SQLite writes a page into it (an empty file is a new database to SQLite).
  writeFileSync(partial, "", { mode: 0o600, flag: "wx" });
  try {
    const result = await inWorker(source, partial);
    if (result.error) throw new BackupError(`could not copy ${source}: ${result.error}${result.code ? ` (${result.code})` : ""}`);
    if (result.check !== "ok") throw new BackupError(`the copy of ${source} failed its integrity check (${result.check}): the database itself may be damaged; run \`coopbot doctor\``);
    syncFile(partial);
    renameSync(partial, dest);
    syncFile(dirname(dest));
    return { file: dest, bytes: statSync(dest).size, pages: result.pages ?? 0, ms: performance.now() - started };
  } finally {
    rmSync(partial, { force: true });
  }
}

/** fsync a file or a directory (a rename is durable once its directory is synced). */
export function syncFile(path: string): void {
  const fd = openSync(path, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
