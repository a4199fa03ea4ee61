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

/** `destination`: a file path, a file descriptor (2 = stderr) or a stream; stdout by default. */
export function createLogger(opts: { level?: string; destination?: DestinationStream | string | number } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? "info";
  if (typeof opts.destination === "string" || typeof opts.destination === "number") {
    return pino(options(level), pino.destination({ dest: opts.destination, mkdir: true, sync: true }));
  }
  return opts.destination ? pino(options(level), opts.destination) : pino(options(level));
}

/** A logger that drops everything (tests that don't care about logs). */
export const silentLogger: Logger = pino({ level: "silent" });

/** Short, unambiguous, easy to read aloud: `E-7KQ2MX`. Appears in the reply and the log line. */
export function errorReference(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return "E-" + [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
}
