// The limits a federation chooses (the config's `limits` section): how fast
// one member may send commands, and how much one member can make the bot
// hold or send for them. Every default is generous for a person and small
// for a script: a member tried 10,000 logged actions (10,223 DMs to one
// driver), 10,000 reminders, a meeting with 60 reminders and one in year
// 9999, and the bot took them all.
import { z } from "zod";

const count = (max: number, fallback: number) => z.number().int().min(1).max(max).default(fallback);

export const limitsSchema = z
  .object({
    /**
     * Per member, a token bucket: `burst` commands at once (a paste of a few
     * lines, a run of button clicks), then `perSecond` more each second.
     * Nobody types two commands a second for long; a script does.
     */
    commands: z
      .object({ burst: count(1_000_000, 20), perSecond: z.number().positive().max(1_000_000).default(2) })
      .strict()
      .prefault({}),
    reminders: z
      .object({
        /** `remind me` reminders waiting to go off, per member. */
        perMember: count(1_000_000, 50),
        /** How far ahead `remind me` reaches: a year (a calendar is the place for further). */
        withinDays: count(3660, 366),
      })
      .strict()
      .prefault({}),
    actions: z
      .object({
        /**
         * Actions one member logs (for themselves or others) that still wait
         * for verification, counted over the last 24 hours: each one is a
         * card in every deciding driver's DMs.
         */
        pendingPerDay: count(1_000_000, 20),
      })
      .strict()
      .prefault({}),
    meetings: z
      .object({
        /** Reminder times one meeting may have (`--remind 1w,1d,1h`): each posts to the group's rooms. */
        reminders: count(50, 5),
        /** How far ahead a meeting (or a series' first date) may be. */
        yearsAhead: count(100, 3),
        /**
         * The longest repeat in each unit. About a year in the small units
         * ("every 365 days" is yearly; longer belongs in the next unit), and
         * five years for the rare cycle (a strategy review); beyond that
         * nobody who set it up would still be around to run it.
         */
        every: z
          .object({ days: count(3650, 365), weeks: count(520, 52), months: count(120, 12), years: count(100, 5) })
          .strict()
          .prefault({}),
      })
      .strict()
      .prefault({}),
    clinic: z
      .object({
        /**
         * Messages an enquirer may send into one enquiry's conversation in 24
         * hours (chat and the reply page together): each is posted to the
         * triage room and the adviser. Plenty for a conversation; not a flood.
         */
        messagesPerDay: count(1_000_000, 30),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .prefault({});

export type Limits = z.infer<typeof limitsSchema>;

/** The same closing words on every refusal a limit causes: which key, and who can change it. */
export function limitNote(key: string): string {
  return `An admin can change this limit: \`limits.${key}\` in the config.`;
}
