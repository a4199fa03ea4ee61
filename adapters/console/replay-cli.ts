// `coopbot replay FILE`: loaded only when asked for, so a plain start never
// parses the transcript machinery.
import { readFileSync, writeFileSync } from "node:fs";
import type { Capability } from "../../bot/capability.ts";
import { createLogger } from "../../bot/log.ts";
import { compareOutput, replayFile, withExpectations } from "./replay.ts";

export interface ReplayCliOptions {
  configPath: string;
  capabilities: readonly Capability[];
  db?: string;
  json?: boolean;
  check?: boolean;
  bless?: boolean;
  twice?: boolean;
  log?: string;
}

/** Runs the replay; returns the difference from the expected output when `--check` finds one. */
export async function runReplay(file: string, opts: ReplayCliOptions): Promise<string | undefined> {
  const log = createLogger({ destination: opts.log ?? 2, level: opts.log ? undefined : process.env.LOG_LEVEL ?? "warn" });
  const result = await replayFile(file, {
    capabilities: opts.capabilities,
    configPath: opts.configPath,
    dbPath: opts.db,
    json: opts.json,
    twice: opts.twice,
    log,
    write: opts.check || opts.bless ? undefined : (text) => process.stdout.write(text + "\n"),
  });
  if (opts.bless) {
    writeFileSync(file, withExpectations(readFileSync(file, "utf8"), result));
    process.stdout.write(`${file}: wrote ${result.output.length} expected lines; read them before committing\n`);
    return undefined;
  }
  if (opts.check) {
    const diff = compareOutput(result, file);
    if (diff) return diff;
    process.stdout.write(`${file}: ${result.output.length} lines as expected\n`);
  }
  return undefined;
}
