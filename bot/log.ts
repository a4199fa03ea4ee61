// Structured logging (pino) and the error references users can quote.
import { randomBytes } from "node:crypto";
import { pino, type DestinationStream, type Logger } from "pino";

export type { Logger };

/** `destination`: a file path, a file descriptor (2 = stderr) or a stream; stdout by default. */
export function createLogger(opts: { level?: string; destination?: DestinationStream | string | number } = {}): Logger {
  const level = opts.level ?? process.env.LOG_LEVEL ?? "info";
  if (typeof opts.destination === "string" || typeof opts.destination === "number") {
    return pino({ level }, pino.destination({ dest: opts.destination, mkdir: true, sync: true }));
  }
  return opts.destination ? pino({ level }, opts.destination) : pino({ level });
}

/** A logger that drops everything (tests that don't care about logs). */
export const silentLogger: Logger = pino({ level: "silent" });

/** Short, unambiguous, easy to read aloud: `E-7KQ2MX`. Appears in the reply and the log line. */
export function errorReference(): string {
  const alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  return "E-" + [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join("");
}
