// Structured logging (pino) and the error references users can quote.
import { randomBytes } from "node:crypto";
import { pino, type DestinationStream, type Logger, type LoggerOptions } from "pino";
import { REDACTED, REDACTED_FIELDS, safeError, scrubLine } from "./log-safety.ts";

export type { Logger };

/**
 * What every logger of the bot is made with: logs never carry message
 * bodies, enquiry text or secrets, at any level (bot/log-safety.ts says how).
 */
function options(level: string): LoggerOptions {
  return {
    level,
    redact: { paths: [...REDACTED_FIELDS], censor: REDACTED },
    serializers: { err: safeError },
    hooks: { streamWrite: scrubLine },
  };
}

/** Log files this process writes to, for reopenLogFiles. */
const logFiles = new Set<{ reopen(): void }>();

/**
 * `destination`: a file path, a file descriptor (2 = stderr) or a stream;
 * stdout by default. A log file is created readable by the bot's user only
 * (it names members and rooms), and is reopened by reopenLogFiles.
 */
export function createLogger(opts: { level?: string; destination?: DestinationStream | string | number } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? "info";
  if (typeof opts.destination === "string") {
    const file = pino.destination({ dest: opts.destination, mkdir: true, sync: true, mode: 0o600 });
    logFiles.add(file);
    return pino(options(level), file);
  }
  if (typeof opts.destination === "number") return pino(options(level), pino.destination({ dest: opts.destination, sync: true }));
  return opts.destination ? pino(options(level), opts.destination) : pino(options(level));
}

/**
 * Reopens every log file by its path (on SIGHUP): after logrotate has
 * renamed the old file, the next line goes to a new one. Lines written
 * before are all in the old file (the destinations write synchronously).
 */
export function reopenLogFiles(): number {
  for (const file of logFiles) file.reopen();
  return logFiles.size;
}

/** A logger that drops everything (tests that don't care about logs). */
export const silentLogger: Logger = pino({ level: "silent" });

/** Short, unambiguous, easy to read aloud: `E-7KQ2MX`. Appears in the reply and the log line. */
export function errorReference(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return "E-" + [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
}
