// Bolt and the Slack SDKs log through this: their lines go to the bot's pino
// logger (component "slack"), at pino's level, never to the console.
import { LogLevel, type Logger as BoltLogger } from "@slack/bolt";
import type { Logger } from "../../bot/log.ts";

const LEVELS: Record<string, LogLevel> = {
  trace: LogLevel.DEBUG,
  debug: LogLevel.DEBUG,
  info: LogLevel.INFO,
  warn: LogLevel.WARN,
  error: LogLevel.ERROR,
  fatal: LogLevel.ERROR,
  silent: LogLevel.ERROR,
};

export function boltLogger(log: Logger): BoltLogger {
  let child = log.child({ component: "slack" });
  const write = (level: "debug" | "info" | "warn" | "error") => (...msg: unknown[]) => {
    const err = msg.find((m) => m instanceof Error);
    const text = msg.filter((m) => m !== err).map((m) => (typeof m === "string" ? m : JSON.stringify(m))).join(" ");
    if (err) child[level]({ err }, text || (err as Error).message);
    else child[level](text);
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
