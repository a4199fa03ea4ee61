// Backups the running bot takes of itself (the config's `backups` section).
// A backup is due when the newest one in the directory is older than
// `every`: looked at when the bot starts and then hourly, so a bot that is
// restarted often still gets its backups. Only the newest `keep` stay.
import { mkdirSync, readdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { backupDatabase } from "../db/backup.ts";
import type { Services } from "./context.ts";

const HOUR_MS = 3600_000;
const NAME = /^coopbot-(\d{8}T\d{6}Z)\.sqlite$/;

export interface BackupScheduleOptions {
  /** The database file to copy. */
  source: string;
  dir: string;
  everyMs: number;
  keep: number;
}

/** `coopbot-20260817T090000Z.sqlite`: sorts by time, and says when it was taken. */
export function backupName(at: number): string {
  return `coopbot-${new Date(at).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "")}.sqlite`;
}

/** The backups in `dir` this schedule made, oldest first, with when each was taken. */
export function scheduledBackups(dir: string): { file: string; at: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .flatMap((name) => {
      const stamp = NAME.exec(name)?.[1];
      if (!stamp) return [];
      const iso = `${stamp.slice(0, 4)}-${stamp.slice(4, 6)}-${stamp.slice(6, 11)}:${stamp.slice(11, 13)}:${stamp.slice(13)}`;
      return [{ file: join(dir, name), at: Date.parse(iso) }];
    })
    .sort((a, b) => a.at - b.at);
}

export class BackupSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly services: Services,
    private readonly opts: BackupScheduleOptions,
  ) {}

  start(): void {
    mkdirSync(this.opts.dir, { recursive: true, mode: 0o700 });
    this.timer = setInterval(() => this.check(), Math.min(HOUR_MS, this.opts.everyMs));
    this.timer.unref();
    this.check();
  }

  /** Stops the schedule; a backup under way is finished first (it is a copy: seconds at most). */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** Takes a backup if one is due; the promise of the one under way otherwise. */
  check(): Promise<void> {
    if (this.running) return this.running;
    const newest = scheduledBackups(this.opts.dir).at(-1);
    if (newest && this.services.clock.now() - newest.at < this.opts.everyMs) return Promise.resolve();
    this.running = this.take().finally(() => (this.running = undefined));
    return this.running;
  }

  private async take(): Promise<void> {
    const { log, clock } = this.services;
    const file = join(this.opts.dir, backupName(clock.now()));
    try {
      const result = await backupDatabase(this.opts.source, file);
      const removed = this.prune();
      log.info({ file, bytes: result.bytes, ms: Math.round(result.ms), removed }, "backup written");
    } catch (err) {
      log.error({ err, file }, "scheduled backup failed; the next try is within the hour");
    }
  }

  /** Deletes all but the newest `keep`; returns how many went. */
  private prune(): number {
    const all = scheduledBackups(this.opts.dir);
    const old = all.slice(0, Math.max(0, all.length - this.opts.keep));
    for (const backup of old) rmSync(backup.file, { force: true });
    return old.length;
  }
}
