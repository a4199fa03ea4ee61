// Bolt and the Slack SDKs log through this: their lines go to the bot's pino
// logger (component "slack"), at pino's level, never to the console, and
// only as sdk-log-filter.ts rewrites them: no message, payload, token or
// response_url gets through, at any level.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import { safeError } from "../../bot/log-safety.ts";
import type { Logger } from "../../bot/log.ts";
import { slackSdkLine } from "./sdk-log-filter.ts";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

/** An SDK's extra arguments as text: objects as JSON, which the filter then cuts down like any payload. */
function partText(part: unknown): string {
  if (typeof part === "string") return part;
  try {
    return JSON.stringify(part) ?? String(part);
  } catch {
    return String(part);
  }
}

export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: "slack" });
  const write = (level: "debug" | "info" | "warn" | "error") => (...msg: unknown[]) => {
    // Filtering costs a JSON parse on the chatty debug lines: only when they would be written.
    if (!child.isLevelEnabled(level)) return;
    const err = msg.find((m) => m instanceof Error);
    const said = msg.filter((m) => m !== err).map(partText).join(" ");
    const text = said ? slackSdkLine(said) : undefined;
    if (said && text === undefined) return;
    // The error goes through the same serializer as the bot's own: no response bodies or headers.
    if (err) child[level]({ err: safeError(err) }, text || slackSdkLine((err as Error).message) || "Slack SDK error");
    else child[level](text ?? "");
  };
  return {
    debug: write("debug"),
    info: write("info"),
    warn: write("warn"),
    error: write("error"),
    // The level is pino's; Bolt may ask, but it does not get to change it.
    setLevel: () => undefined,
    getLevel: () => LEVELS[log.level] ?? LogLevel.INFO,
    setName: (name: string) => {
      child = log.child({ component: "slack", sdk: name });
    },
  };
}
