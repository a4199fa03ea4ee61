// How the bot's process ends. SIGTERM (a service manager) and SIGINT
// (Ctrl-C) stop it gracefully: nothing new is taken in, the transaction in
// hand finishes (handlers are synchronous, so a signal is only seen between
// them), what the outbox can send goes within the grace period, the WAL is
// checkpointed, and the process exits 0. A second signal exits at once.
// SIGHUP reopens the log files (logrotate).
import type { Logger } from "./log.ts";

/**
 * `npm start` forwards the signal it gets to the bot, and Ctrl-C reaches
 * both: one request can arrive twice within a few milliseconds. The same
 * signal again within this window is that copy, not an operator insisting.
 */
export const SAME_REQUEST_MS = 500;

export interface ShutdownOptions {
  log: Logger;
  /** Stops the bot and closes its database. */
  stop: () => Promise<void>;
  /** After this long the process exits (code 1) even if `stop` has not finished. */
  deadlineMs: number;
  /** SIGHUP. */
  reopenLogs?: () => void;
  /** Monotonic milliseconds (performance.now), to tell a copy of a signal from a second one. */
  monotonic?: () => number;
  exit?: (code: number) => void;
}

export interface Shutdown {
  /** Starts the graceful stop (once); resolves when the process is about to exit. */
  begin(reason: string): Promise<void>;
  /** Removes the signal handlers (tests). */
  dispose(): void;
}

/** 128 + the signal's number, the shell's convention for "ended by a signal". */
const SIGNAL_EXIT: Record<string, number> = { SIGINT: 130, SIGTERM: 143 };

export function handleSignals(opts: ShutdownOptions): Shutdown {
  const { log } = opts;
  const monotonic = opts.monotonic ?? (() => performance.now());
  const exit = opts.exit ?? ((code: number) => process.exit(code));
  let stopping: Promise<void> | undefined;
  let first: { signal: string; at: number } | undefined;

  const begin = (reason: string): Promise<void> => {
    if (stopping) return stopping;
    log.info({ reason }, "stopping: taking nothing new in, sending what is waiting");
    const deadline = setTimeout(() => {
      log.error({ deadlineMs: opts.deadlineMs }, "did not stop in time; exiting anyway (what was not sent waits for the next start)");
      exit(1);
    }, opts.deadlineMs);
    stopping = opts.stop().then(
      () => {
        clearTimeout(deadline);
        log.info("stopped");
        exit(0);
      },
      (err: unknown) => {
        clearTimeout(deadline);
        log.error({ err }, "stopping failed");
        exit(1);
      },
    );
    return stopping;
  };

  const onSignal = (signal: NodeJS.Signals) => {
    const now = monotonic();
    if (!first) {
      first = { signal, at: now };
      void begin(signal);
      return;
    }
    if (signal === first.signal && now - first.at < SAME_REQUEST_MS) return;
    log.warn({ signal }, "second signal: exiting at once (what was not sent waits for the next start)");
    exit(SIGNAL_EXIT[signal] ?? 1);
  };
  const onHangup = () => {
    opts.reopenLogs?.();
    log.info("log files reopened");
  };

  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
  process.on("SIGHUP", onHangup);
  return {
    begin,
    dispose() {
      process.off("SIGTERM", onSignal);
      process.off("SIGINT", onSignal);
      process.off("SIGHUP", onHangup);
    },
  };
}
