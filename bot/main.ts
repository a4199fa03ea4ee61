#!/usr/bin/env node
// coopbot's command line: `start` (the default) runs the bot; `replay` runs a transcript.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { Command } from "commander";
import { fileURLToPath } from "node:url";
import { AdapterSetupError, createServiceAdapter } from "../adapters/index.ts";
import { createConsoleAdapter, runInteractiveConsole } from "../adapters/console/interactive.ts";
import { compareOutput, replayFile, withExpectations } from "../adapters/console/replay.ts";
import { TranscriptError } from "../adapters/console/transcript.ts";
import { capabilities } from "../commands/index.ts";
import { Bot } from "./app.ts";
import { systemClock } from "./clock.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createLogger } from "./log.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

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

async function start(opts: { adapter: string; config?: string; db: string; log?: string }): Promise<void> {
  const names = opts.adapter.split(",").map((s) => s.trim()).filter(Boolean);
  const interactive = names.includes("console");
  // The console owns the terminal, so its logs go to a file.
  const log = createLogger({ destination: opts.log ?? (interactive ? resolve(dirname(opts.db === ":memory:" ? "data/x" : opts.db), "coopbot.log") : undefined) });
  const config = loadConfig(configPath(opts.config), capabilities);
  const bot = new Bot({ config, capabilities, clock: systemClock, log, db: opts.db });
  const dataDir = opts.db === ":memory:" ? resolve("data") : dirname(resolve(opts.db));
  for (const name of names.filter((n) => n !== "console")) {
    bot.attach(await createServiceAdapter(name, { env: process.env, config, log, dataDir }));
  }
  // Email (clinic enquirers from the website) goes wherever the config has an `email` section.
  if (config.email) bot.attach((await import("../adapters/email/index.ts")).createEmailAdapter(config, process.env));
  const consoleAdapter = interactive ? createConsoleAdapter(systemClock, config.timezone, config.console.rooms, resolve(dataDir, "files")) : undefined;
  if (consoleAdapter) bot.attach(consoleAdapter);
  try {
    await bot.start();
  } catch (err) {
    bot.close();
    fail((err as Error).message);
  }
  // Last line of defence: a promise some library dropped must not end a bot whose
  // state is all in committed transactions. The adapters guard the known cases.
  process.on("unhandledRejection", (reason) => {
    log.error({ err: reason instanceof Error ? { type: reason.name, stack: reason.stack } : { type: typeof reason } }, "a promise failed with no one to handle it; the bot keeps running");
  });
  log.info({ adapters: names, db: opts.db, config: config.source }, "coopbot ready");
  const shutdown = async () => {
    await bot.stop();
    bot.close();
    process.exit(0);
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
  if (consoleAdapter) {
    process.stdout.write(`coopbot ready: ${config.federation.name}, database ${opts.db}, config ${config.source}\n`);
    await runInteractiveConsole(bot, consoleAdapter, { member: process.env.COOPBOT_CONSOLE_USER ?? "admin" });
    await shutdown();
  }
}

async function replay(file: string, opts: { config?: string; db?: string; json?: boolean; check?: boolean; bless?: boolean; twice?: boolean; log?: string }): Promise<void> {
  const log = createLogger({ destination: opts.log ?? 2, level: opts.log ? undefined : process.env.LOG_LEVEL ?? "warn" });
  const result = await replayFile(file, {
    capabilities,
    configPath: configPath(opts.config),
    dbPath: opts.db,
    json: opts.json,
    twice: opts.twice,
    log,
    write: opts.check || opts.bless ? undefined : (text) => process.stdout.write(text + "\n"),
  });
  if (opts.bless) {
    writeFileSync(file, withExpectations(readFileSync(file, "utf8"), result));
    process.stdout.write(`${file}: wrote ${result.output.length} expected lines; read them before committing\n`);
    return;
  }
  if (opts.check) {
    const diff = compareOutput(result, file);
    if (diff) fail(diff, 1);
    process.stdout.write(`${file}: ${result.output.length} lines as expected\n`);
  }
}

const program = new Command()
  .name("coopbot")
  .description("Community-operations bot for a federation of worker co-operatives")
  .showHelpAfterError();

program
  .command("start", { isDefault: true })
  .description("run the bot (the console adapter by default)")
  .option("--adapter <names>", "console, slack, matrix, or several: slack,matrix", process.env.COOPBOT_ADAPTER ?? "console")
  .option("--config <file>", "config file (YAML or JSON)")
  .option("--db <path>", "SQLite database file, or :memory:", process.env.COOPBOT_DB ?? "./data/coopbot.sqlite")
  .option("--log <file>", "write logs to this file")
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

program.parseAsync().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof TranscriptError || err instanceof AdapterSetupError) fail(err.message);
  fail(`unexpected error: ${(err as Error).stack ?? String(err)}`, 1);
});
