// `coopbot doctor`: everything an operator would check by hand before (or
// after) starting the bot, each with what to do about it: Node, the config,
// the chosen adapters' settings in the environment, the database (a SQLite
// file, whole, its migrations), who holds it, file modes, disk space and
// backups. Reads only; changes nothing.
import Database from "better-sqlite3";
import { existsSync, statfsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { checkAdapterSettings } from "../adapters/index.ts";
import { scheduledBackups } from "../bot/backup-schedule.ts";
import type { Capability } from "../bot/capability.ts";
import { type Config, loadConfig } from "../bot/config.ts";
import { zoneWarningsOf } from "../bot/zones.ts";
import { migrationState } from "../db/schema-version.ts";
import { defaultBackupsDir, describeDatabaseError } from "./database-errors.ts";
import { databaseFiles, looseModes, octal } from "./files.ts";
import { liveHolders } from "./restore.ts";

export type Level = "ok" | "warn" | "fail";

export interface Finding {
  level: Level;
  what: string;
  /** What to do about it (warn and fail). */
  fix?: string;
}

export interface DoctorOptions {
  configPath: string;
  capabilities: readonly Capability[];
  db: string;
  adapters: string[];
  log?: string;
  env: NodeJS.ProcessEnv;
  /** The clock's now, for the age of the newest backup. */
  now: number;
}

const MiB = 1024 * 1024;
const size = (bytes: number) => (bytes >= 1024 * MiB ? `${(bytes / 1024 / MiB).toFixed(1)} GiB` : `${(bytes / MiB).toFixed(1)} MiB`);
const fileSize = (path: string) => (existsSync(path) ? statSync(path).size : 0);

export async function doctor(opts: DoctorOptions): Promise<Finding[]> {
  const findings: Finding[] = [nodeVersion()];
  let config: Config | undefined;
  try {
    config = loadConfig(opts.configPath, opts.capabilities);
    findings.push({ level: "ok", what: `config ${opts.configPath}` });
    for (const warning of zoneWarningsOf(config)) findings.push({ level: "warn", what: `config ${warning}`, fix: "use the region's name (the zone the warning suggests)" });
  } catch (err) {
    findings.push({ level: "fail", what: (err as Error).message, fix: "correct the config at the lines named" });
  }
  for (const name of opts.adapters) {
    try {
      await checkAdapterSettings(name, opts.env);
      findings.push({ level: "ok", what: `${name}: its settings are in the environment` });
    } catch (err) {
      findings.push({ level: "fail", what: `${name}: ${(err as Error).message}`, fix: "set it in the service's environment file" });
    }
  }
  if (config?.email) findings.push(await smtp(config, opts.env));
  if (config?.http && !opts.env.CLINIC_WEBHOOK_SECRET) {
    findings.push({ level: "warn", what: "CLINIC_WEBHOOK_SECRET is not set: the website's clinic intake answers 503", fix: 'set it to `whsec_` and a base64 key (echo "whsec_$(openssl rand -base64 32)")' });
  }
  if (opts.db === ":memory:") return findings;
  const db = resolve(opts.db);
  const backupsDir = config?.backups?.dir ? resolve(config.backups.dir) : defaultBackupsDir(db);
  findings.push(...database(db, backupsDir), ...modes(db, opts.log, config ? backupsDir : undefined), disk(db));
  if (config?.backups) findings.push(backups(backupsDir, config.backups.every, opts.now));
  return findings;
}

/** Email is configured: would the SMTP server take mail from us now? */
async function smtp(config: Config, env: NodeJS.ProcessEnv): Promise<Finding> {
  const { EmailAdapter, smtpSettings } = await import("../adapters/email/index.ts");
  let settings;
  try {
    settings = smtpSettings(config, env);
  } catch (err) {
    return { level: "fail", what: (err as Error).message, fix: "set it in the config's email section or the service's environment file" };
  }
  const email = new EmailAdapter(settings);
  try {
    const problem = await email.check();
    const where = `${settings.host}:${settings.port} (${settings.tls})`;
    if (problem) return { level: "warn", what: `email: the SMTP server at ${where} can't be used now: ${problem}`, fix: "check email.smtp and SMTP_* against what the mail provider says; meanwhile emails wait in the outbox" };
    return { level: "ok", what: `email: the SMTP server at ${where} answered and would take mail` };
  } finally {
    await email.stop();
  }
}

function nodeVersion(): Finding {
  const [major, minor] = process.versions.node.split(".").map(Number) as [number, number];
  if (major < 20 || (major === 20 && minor < 11)) return { level: "fail", what: `Node ${process.versions.node} is too old`, fix: "install Node 22 LTS (20.11 or later works)" };
  if (major === 20) return { level: "warn", what: `Node ${process.versions.node} works, but Node 20 reached its end of life in April 2026`, fix: "move to Node 22 LTS" };
  return { level: "ok", what: `Node ${process.versions.node}` };
}

function database(db: string, backupsDir: string): Finding[] {
  if (!existsSync(db)) return [{ level: "ok", what: `no database at ${db} yet: the first start creates it` }];
  const findings: Finding[] = [];
  try {
    const sqlite = new Database(db, { readonly: true, fileMustExist: true });
    try {
      const check = sqlite.pragma("integrity_check", { simple: true });
      if (check !== "ok") throw Object.assign(new Error(`integrity_check: ${String(check)}`), { code: "SQLITE_CORRUPT" });
      const state = migrationState(sqlite);
      const bytes = `${size(fileSize(db))}, WAL ${size(fileSize(`${db}-wal`))}`;
      if (state.newer) findings.push({ level: "fail", what: `${db} was used by a newer coopbot (it has migrations this version doesn't know)`, fix: "run the newer coopbot, or restore a backup taken before the upgrade" });
      else if (state.pending.length > 0) findings.push({ level: "ok", what: `database ${db}: whole (${bytes}); the next start applies ${state.pending.length} migration(s): ${state.pending.join(", ")}` });
      else findings.push({ level: "ok", what: `database ${db}: whole, up to date (${bytes})` });
    } finally {
      sqlite.close();
    }
  } catch (err) {
    findings.push({ level: "fail", what: describeDatabaseError(err, db, backupsDir) ?? `${db}: ${(err as Error).message}` });
    return findings;
  }
  const { holders } = liveHolders(db);
  if (holders.length > 0) findings.push({ level: "ok", what: `a bot is running on it: ${holders.map((h) => `pid ${h.pid}`).join(", ")}` });
  return findings;
}

function modes(db: string, log: string | undefined, backupsDir: string | undefined): Finding[] {
  const paths = [
    { path: dirname(db), kind: "directory" as const },
    ...databaseFiles(db).map((path) => ({ path, kind: "file" as const })),
    ...(log ? [{ path: resolve(log), kind: "file" as const }] : []),
    ...(backupsDir ? [{ path: backupsDir, kind: "directory" as const }, ...scheduledBackups(backupsDir).map((b) => ({ path: b.file, kind: "file" as const }))] : []),
  ];
  const loose = looseModes(paths);
  if (loose.length === 0) return [{ level: "ok", what: "file modes: the data directory and the files in it are the bot's user's alone" }];
  return loose.map((l) => ({
    level: "warn" as const,
    what: `${l.path} can be ${l.kind === "directory" ? "entered" : "read"} by other users (${octal(l.mode)}): it holds clinic enquiries and members' details`,
    fix: `chmod ${l.kind === "directory" ? 700 : 600} ${l.path}`,
  }));
}

function disk(db: string): Finding {
  const dir = existsSync(db) ? dirname(db) : existsSync(dirname(db)) ? dirname(db) : ".";
  const fs = statfsSync(dir);
  const free = fs.bavail * fs.bsize;
  const used = fileSize(db) + fileSize(`${db}-wal`);
  // A backup needs as much again as the database, and the WAL may grow to 32 MiB between checkpoints.
  const needed = Math.max(256 * MiB, 2 * used + 32 * MiB);
  const what = `disk: ${size(free)} free where the database is (${size(used)} used by it)`;
  if (free < used + 32 * MiB) return { level: "fail", what, fix: "free some space now: a full disk stops every command (the bot says so and changes nothing)" };
  if (free < needed) return { level: "warn", what, fix: `keep at least ${size(needed)} free: a backup takes as much again as the database` };
  return { level: "ok", what };
}

function backups(dir: string, everyMs: number, now: number): Finding {
  const newest = scheduledBackups(dir).at(-1);
  if (!newest) return { level: "warn", what: `no scheduled backup in ${dir} yet`, fix: "the running bot takes one at start; or take one now: coopbot backup <file>" };
  const ageH = (now - newest.at) / 3600_000;
  if (now - newest.at > 2 * everyMs) return { level: "warn", what: `the newest backup (${newest.file}) is ${ageH.toFixed(0)} h old`, fix: "is the bot running? its log says why a backup failed" };
  return { level: "ok", what: `newest backup ${newest.file} (${ageH.toFixed(1)} h old)` };
}

/** The report as text, and the exit code (1 when anything must be fixed). */
export function report(findings: Finding[]): { text: string; code: number } {
  const label: Record<Level, string> = { ok: "ok  ", warn: "warn", fail: "FAIL" };
  const lines = findings.flatMap((f) => {
    const [first, ...rest] = f.what.split("\n");
    return [`${label[f.level]}  ${first}`, ...rest.map((r) => `      ${r}`), ...(f.fix ? [`      → ${f.fix}`] : [])];
  });
  const fails = findings.filter((f) => f.level === "fail").length;
  const warns = findings.filter((f) => f.level === "warn").length;
  const summary = fails + warns === 0 ? "all good" : `${fails} to fix, ${warns} to look at`;
  return { text: [...lines, "", summary].join("\n"), code: fails > 0 ? 1 : 0 };
}
