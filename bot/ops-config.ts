// The config's sections for running the bot as a service: the HTTP server
// (with its health and metrics switch), scheduled backups, and how long a
// stop may take. README, "Operating coopbot".
import { z } from "zod";
import { parseDuration } from "./clock.ts";

/** `30s`, `10m`, `1d`, as milliseconds. */
const duration = (example: string) =>
  z.string().transform((text, ctx) => {
    const ms = parseDuration(text);
    if (ms === undefined) {
      ctx.addIssue({ code: "custom", message: `expected a duration like ${example} (s, m, h, d, w)` });
      return z.NEVER;
    }
    return ms;
  });

export const httpSchema = z
  .object({
    port: z.number().int().min(0).max(65535),
    /** Loopback unless said otherwise: put a reverse proxy in front for the website and calendars. */
    host: z.string().default("127.0.0.1"),
    publicUrl: z.string().url().optional(),
    /** `/healthz`, `/readyz` and `/metrics` (Prometheus) on this server. Off unless asked for. */
    monitoring: z.boolean().default(false),
  })
  .strict()
  .optional();

/**
 * Backups the bot takes of itself while it runs (`coopbot backup` takes one
 * by hand). A backup is due when the newest in `dir` is older than `every`,
 * checked at start and then hourly, so restarts never postpone one; only the
 * newest `keep` are kept.
 */
export const backupsSchema = z
  .object({
    /** Default: `backups/` beside the database file. Relative paths are from the working directory. */
    dir: z.string().min(1).optional(),
    every: duration("1d or 12h").default(24 * 3600_000),
    keep: z.number().int().min(1).max(1000).default(7),
  })
  .strict()
  .optional();

export const shutdownSchema = z
  .object({
    /**
     * On SIGTERM or SIGINT, how long the bot goes on sending what the outbox
     * holds before it stops anyway (what is left is sent at the next start).
     * Keep it below the service manager's stop timeout (systemd: 90 s).
     */
    grace: duration("10s").default(10_000),
  })
  .strict()
  .prefault({});

export type HttpConfig = z.infer<typeof httpSchema>;
export type BackupsConfig = z.infer<typeof backupsSchema>;
