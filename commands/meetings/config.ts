// The `meetings` section of the config file. Every key has a sensible
// default, so the section can be left out entirely.
import { z } from "zod";
import { parseDuration } from "../../bot/clock.ts";
import { section, type Config } from "../../bot/config.ts";

const duration = z.string().refine((s) => parseDuration(s) !== undefined, { message: "a duration like 1d, 1h or 30m" });

export const meetingsConfigSchema = z
  .object({
    /** Reminders before each occurrence, unless a meeting says otherwise. */
    remind: z.array(duration).default(["1d", "1h"]),
    /** Length of a meeting when `--for` is not given. */
    duration: duration.default("1h"),
    /** How long a recurring schedule waits for its driver's confirmation. */
    confirmWithin: duration.default("30m"),
    /** A reminder sent later than this after its due time says it is late. */
    lateAfter: duration.default("5m"),
    /** `#action` / `#info` / `#agreed` lines count for this long after a meeting's end. */
    notesGrace: duration.default("30m"),
    /** Action owners are reminded of open actions this long before the next occurrence. */
    actionReminder: duration.default("1d"),
  })
  .strict()
  .prefault({});

export type MeetingsConfig = z.infer<typeof meetingsConfigSchema>;

/** The section in milliseconds, ready to use. */
export interface MeetingsSettings {
  remindMinutes: number[];
  durationMinutes: number;
  confirmWithinMs: number;
  lateAfterMs: number;
  notesGraceMs: number;
  actionReminderMs: number;
}

const ms = (s: string) => parseDuration(s)!;

export function meetingsSettings(config: Config): MeetingsSettings {
  const c = section<MeetingsConfig | undefined>(config, "meetings") ?? meetingsConfigSchema.parse(undefined);
  return {
    remindMinutes: c.remind.map((d) => ms(d) / 60_000),
    durationMinutes: ms(c.duration) / 60_000,
    confirmWithinMs: ms(c.confirmWithin),
    lateAfterMs: ms(c.lateAfter),
    notesGraceMs: ms(c.notesGrace),
    actionReminderMs: ms(c.actionReminder),
  };
}
