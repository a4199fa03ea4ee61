// The operator's subcommands of `coopbot` (declared in bot/main.ts, loaded
// only when one of them runs): backup, restore, doctor.
import { existsSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { backupName } from "../bot/backup-schedule.ts";
import type { Capability } from "../bot/capability.ts";
import { systemClock } from "../bot/clock.ts";
import { FEED_KEY_FILE } from "../commands/meetings/feed-token.ts";
import { BackupError, backupDatabase } from "../db/backup.ts";
import { doctor, report } from "./doctor.ts";
import { RestoreError, restoreDatabase } from "./restore.ts";

/** A problem the operator can fix, said in one message (exit code 2). */
export class OpsError extends Error {
  override name = "OpsError";
}

const MiB = 1024 * 1024;
const say = (text: string) => process.stdout.write(`${text}\n`);
const stamp = (at: number) => backupName(at).replace(/^coopbot-|\.sqlite$/g, "");

/** `coopbot backup FILE`: FILE, or a new timestamped file when FILE is a directory. */
export async function backup(file: string, opts: { db: string }): Promise<void> {
  const db = resolve(opts.db);
  const dest = existsSync(file) && statSync(file).isDirectory() ? join(file, backupName(systemClock.now())) : resolve(file);
  try {
    const result = await backupDatabase(db, dest);
    say(`backup written: ${result.file} (${(result.bytes / MiB).toFixed(1)} MiB, ${result.pages} pages, ${Math.round(result.ms)} ms); its integrity check passed`);
  } catch (err) {
    if (err instanceof BackupError) throw new OpsError(err.message);
    throw err;
  }
  const key = join(dirname(db), FEED_KEY_FILE);
  if (existsSync(key)) say(`also keep a copy of ${key} (made once, never changes): without it members' calendar links can't be shown again after a restore`);
}

/** `coopbot restore FILE`: the backup FILE becomes the database, unless a bot holds it. */
export async function restore(file: string, opts: { db: string }): Promise<void> {
  const db = resolve(opts.db);
  try {
    const result = restoreDatabase(resolve(file), db, stamp(systemClock.now()));
    if (result.unreadable) say(`the database being replaced could not be read (${result.unreadable}), so whether a bot held it is unknown: make sure the service is stopped`);
    say(`restored ${db} from ${resolve(file)} (${(result.bytes / MiB).toFixed(1)} MiB)`);
    if (result.keptAs) say(`the database it replaced is kept as ${result.keptAs}`);
    say("start the bot: it applies any newer migrations, sends what the backup's outbox still held, and ignores platform events it had already handled");
  } catch (err) {
    if (err instanceof RestoreError) throw new OpsError(err.message);
    throw err;
  }
}

/** `coopbot doctor`: prints what it found; exits 1 when something must be fixed. */
export async function runDoctor(opts: { configPath: string; capabilities: readonly Capability[]; db: string; adapter: string; log?: string }): Promise<number> {
  const adapters = opts.adapter.split(",").map((s) => s.trim()).filter(Boolean);
  const findings = await doctor({ ...opts, adapters, env: process.env, now: systemClock.now() });
  const { text, code } = report(findings);
  say(text);
  return code;
}
