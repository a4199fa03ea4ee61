// The `reports` section of the config file: how long a dashboard link
// works and how many months its charts go back.
import { z } from "zod";
import { section, type Config } from "../../bot/config.ts";

export const reportsConfigSchema = z
  .object({
    /** A dashboard link stops working this many hours after it was given (`dashboard` gives a new one). */
    linkHours: z.number().int().min(1).max(24 * 31).default(24),
    /** How far back the dashboard's charts over time go. */
    months: z.number().int().min(2).max(36).default(12),
  })
  .strict()
  .prefault({});

export type ReportsConfig = z.infer<typeof reportsConfigSchema>;

export const reportsConfig = (config: Config): ReportsConfig => section<ReportsConfig>(config, "reports");
