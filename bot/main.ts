#!/usr/bin/env node
// coopbot's command line: `start` (the default) runs the bot; `replay` runs a
// transcript; `backup`, `restore` and `doctor` are for operators (ops/).
// Only what `start` needs is loaded up front; the rest when asked for.
import { existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { fileURLToPath } from "node:url";
import { AdapterSetupError, createServiceAdapter, SERVICE_ADAPTERS } from "../adapters/index.ts";
import { createConsoleAdapter, runInteractiveConsole } from "../adapters/console/interactive.ts";
import { TranscriptError } from "../adapters/console/transcript.ts";
import { capabilities } from "../commands/index.ts";
import { defaultBackupsDir, describeDatabaseError } from "../ops/database-errors.ts";
import { octal, type PreparedFiles, prepareDataFiles } from "../ops/files.ts";
import { Bot } from "./app.ts";
import { systemClock } from "./clock.ts";
import { type Config, ConfigError, loadConfig } from "./config.ts";
import { createLogger, type Logger, reopenLogFiles } from "./log.ts";
import { handleSignals } from "./shutdown.ts";
import { zoneWarningsOf } from "./zones.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const DEFAULT_DB = process.env.COOPBOT_DB ?? "./data/coopbot.sqlite";
const DEFAULT_ADAPTER = process.env.COOPBOT_ADAPTER ?? "console";
/** Beyond the grace period, time for the adapters to close and the WAL to be checkpointed. */
const STOP_MARGIN_MS = 15_000;

/** The database in use, so an error from it can name it and say how to restore it. */
let database: { path: string; backups: string } | undefined;

/** --config, else $COOPBOT_CONFIG, else ./coopbot.yaml, else the shipped example. */
function configPath(given?: string): string {
  if (given) return given;
  if (process.env.COOPBOT_CONFIG) return process.env.COOPBOT_CONFIG;
  if (existsSync("coopbot.yaml")) return "coopbot.yaml";
  return resolve(ROOT, "examples/workers-coop.yaml");
}

function fail(message: string, code = 2): never {
  process.stderr.write(`coopbot: ${message}\n`);
  process.exit(code);
}

const backupsDirOf = (config: Config, db: string) => (config.backups?.dir ? resolve(config.backups.dir) : defaultBackupsDir(resolve(db)));

/** What preparing the data files changed or found loose, said once at start. */
function reportFiles(log: Logger, { tightened, looseDirectory }: PreparedFiles): void {
  if (tightened.length > 0) log.info({ files: tightened.map((t) => `${t.path} (was ${octal(t.mode)})`) }, "made the database and log files readable by the bot's user only (0600)");
  if (looseDirectory) log.warn({ dir: looseDirectory.path, mode: octal(looseDirectory.mode) }, `the data directory can be entered by other users: chmod 700 ${looseDirectory.path}`);
}

async function start(opts: { adapter: string; config?: string; db: string; log?: string }): Promise<void> {
  const names = opts.adapter.split(",").map((s) => s.trim()).filter(Boolean);
  const interactive = names.includes("console");
  // The parsed config is kept beside the database: a restart skips the YAML parser (bot/config-cache.ts).
  const cacheDir = opts.db === ":memory:" ? undefined : dirname(resolve(opts.db));
  const config = loadConfig(configPath(opts.config), capabilities, { cacheDir: cacheDir && existsSync(cacheDir) ? cacheDir : undefined });
  // The console owns the terminal, so its logs go to a file.
  const logFile = opts.log ?? (interactive ? resolve(dirname(opts.db === ":memory:" ? "data/x" : opts.db), "coopbot.log") : undefined);
  // Private files first: the database and the log are created 0600 in a 0700 directory.
  const files = prepareDataFiles(opts.db, logFile);
  const log = createLogger({ destination: logFile });
  reportFiles(log, files);
  database = { path: opts.db, backups: backupsDirOf(config, opts.db) };
  const bot = new Bot({ config, capabilities, clock: systemClock, log, db: opts.db });
  const dataDir = opts.db === ":memory:" ? resolve("data") : dirname(resolve(opts.db));
  for (const name of names.filter((n) => n !== "console")) {
    bot.attach(await createServiceAdapter(name, { env: process.env, config, log, dataDir }));
  }
  // Email (clinic enquirers from the website) goes wherever the config has an `email` section.
  if (config.email) bot.attach((await import("../adapters/email/index.ts")).createEmailAdapter(config, process.env, log));
  const consoleAdapter = interactive ? createConsoleAdapter(systemClock, config.timezone, config.console.rooms, resolve(dataDir, "files")) : undefined;
  if (consoleAdapter) bot.attach(consoleAdapter);
  try {
    await bot.start();
  } catch (err) {
    bot.close();
    fail((err as Error).message, 1);
  }
  // Last line of defence: a promise some library dropped must not end a bot whose
  // state is all in committed transactions. The adapters guard the known cases.
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason instanceof Error ? { type: reason.name, stack: reason.stack } : { type: typeof reason } }, "a promise failed with no one to handle it; the bot keeps running");
  });
  const grace = config.shutdown.grace;
  const shutdown = handleSignals({
    log,
    deadlineMs: grace + STOP_MARGIN_MS,
    reopenLogs: reopenLogFiles,
    stop: async () => {
      const { sent, timedOut } = await bot.stop({ graceMs: grace });
      if (timedOut) log.warn({ sent, graceMs: grace }, "the grace period ran out: what is still waiting is sent at the next start");
      else if (sent > 0) log.info({ sent }, "sent what was waiting");
      bot.close();
    },
  });
  for (const warning of zoneWarningsOf(config)) log.warn({ config: config.source }, `config ${warning}`);
  log.info({ adapters: names, db: opts.db, config: config.source, http: bot.httpAddress()?.port }, "coopbot ready");
  if (consoleAdapter) {
    process.stdout.write(`coopbot ready: ${config.federation.name}, database ${opts.db}, config ${config.source}\n`);
    await runInteractiveConsole(bot, consoleAdapter, { member: process.env.COOPBOT_CONSOLE_USER ?? "admin" });
    await shutdown.begin("the console closed");
  }
}

async function replay(file: string, opts: { config?: string; db?: string; json?: boolean; check?: boolean; bless?: boolean; twice?: boolean; log?: string }): Promise<void> {
  const { runReplay } = await import("../adapters/console/replay-cli.ts");
  if (opts.db) database = { path: opts.db, backups: defaultBackupsDir(resolve(opts.db)) };
  const problem = await runReplay(file, { ...opts, configPath: configPath(opts.config), capabilities });
  if (problem) fail(problem, 1);
}

const program = new Command()
  .name("coopbot")
  .description("Community-operations bot for a federation of worker co-operatives")
  .showHelpAfterError();

program
  .command("start", { isDefault: true })
  .description("run the bot (the console adapter by default)")
  .option("--adapter <names>", `console, ${SERVICE_ADAPTERS().join(", ")}, or several: slack,matrix`, DEFAULT_ADAPTER)
  .option("--config <file>", "config file (YAML or JSON)")
  .option("--db <path>", "SQLite database file, or :memory:", DEFAULT_DB)
  .option("--log <file>", "write logs to this file (reopened on SIGHUP)")
  .action(start);

program
  .command("replay <file>")
  .description("replay a transcript on a virtual clock and print what the bot sends")
  .option("--config <file>", "config file (unless the transcript says @config)")
  .option("--db <path>", "database file (default: a temporary one, removed afterwards)")
  .option("--json", "one JSON object per message")
  .option("--check", "compare with the transcript's `>` lines; exit 1 on a difference")
  .option("--bless", "rewrite the transcript's `>` lines from this run (review the diff!)")
  .option("--twice", "deliver every event twice, as a retrying platform would (output must not change)")
  .option("--log <file>", "write logs to this file (default: warnings to stderr)")
  .action(replay);

program
  .command("backup <file>")
  .description("copy the database, consistently, while the bot runs (FILE may be a directory: a timestamped file is made in it)")
  .option("--db <path>", "the database to copy", DEFAULT_DB)
  .action(async (file: string, opts: { db: string }) => {
    database = { path: opts.db, backups: defaultBackupsDir(resolve(opts.db)) };
    await (await import("../ops/cli.ts")).backup(file, opts);
  });

program
  .command("restore <file>")
  .description("replace the database with a backup (refused while a bot runs on it; the replaced file is kept)")
  .option("--db <path>", "the database to replace", DEFAULT_DB)
  .action(async (file: string, opts: { db: string }) => {
    await (await import("../ops/cli.ts")).restore(file, opts);
  });

program
  .command("doctor")
  .description("check the config, the adapters' settings, the database, file modes, disk space and backups, and say what to fix")
  .option("--adapter <names>", "the adapters the bot will run", DEFAULT_ADAPTER)
  .option("--config <file>", "config file (YAML or JSON)")
  .option("--db <path>", "SQLite database file", DEFAULT_DB)
  .option("--log <file>", "the log file the bot writes, if any")
  .action(async (opts: { adapter: string; config?: string; db: string; log?: string }) => {
    const { runDoctor } = await import("../ops/cli.ts");
    process.exitCode = await runDoctor({ ...opts, configPath: configPath(opts.config), capabilities });
  });

program.parseAsync().catch(async (err: unknown) => {
  if (err instanceof ConfigError || err instanceof TranscriptError || err instanceof AdapterSetupError) fail(err.message);
  if ((err as Error)?.name === "OpsError") fail((err as Error).message);
  const problem = database && describeDatabaseError(err, database.path, database.backups);
  if (problem) fail(problem);
  fail(`unexpected error: ${(err as Error).stack ?? String(err)}`, 1);
});
