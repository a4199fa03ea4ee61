// Checking what a driver typed for a meeting (when, how long, reminders,
// where) and saying precisely what is wrong. Shared by schedule and edit.
import { DateTime } from "luxon";
import { z } from "zod";
import { parseDuration } from "../../bot/clock.ts";
import type { BaseContext } from "../../bot/context.ts";
import { limitNote } from "../../bot/limits.ts";
import { esc } from "../../bot/markup.ts";
import type { Group } from "../../db/groups.ts";
import type { Meeting } from "../../db/meetings.ts";
import { meetingsSettings } from "./config.ts";
import { minutesLabel, offsetsLabel, remindList, shortDate } from "./format.ts";
import { describeRule } from "./describe.ts";
import { eachOccurrence, floatingToInstant, localStart, parseLocalIso, type Schedule } from "./recurrence.ts";
import { scheduleOf } from "./series.ts";
import { parseSchedule } from "./when.ts";

export const MEETING_KINDS = ["meeting", "webinar", "workshop"] as const;

/** The options schedule and edit share. */
export const meetingOptions = {
  every: z.string().max(200).optional().describe('how often: "fortnight on monday", "month on the first tuesday", "week"'),
  for: z.string().optional().describe("how long: 1h, 90m, 2h (default 1h)"),
  where: z.string().max(500).optional().describe("a place or a call link"),
  remind: z.array(z.string()).optional().describe("reminders before each meeting, e.g. 1d,1h (or none)"),
  kind: z.enum(MEETING_KINDS).optional().describe("meeting, webinar or workshop (default meeting)"),
};

const MAX_REMIND_MS = 28 * 86_400_000;

export function durationMinutes(ctx: BaseContext, text: string | undefined): number {
  if (text === undefined) return meetingsSettings(ctx.config).durationMinutes;
  const ms = parseDuration(text);
  if (ms === undefined || ms % 60_000 !== 0) return ctx.fail(`\`${esc(text)}\` isn't a length: write it like 1h, 90m or 2h30m.`);
  if (ms < 5 * 60_000 || ms > 24 * 3600_000) return ctx.fail("A meeting lasts between 5 minutes and 24 hours.");
  return ms / 60_000;
}

/** "1d,1h" → "1440,60" (longest first); "none" → "". */
export function remindMinutes(ctx: BaseContext, list: string[] | undefined): string {
  const texts = list ?? meetingsSettings(ctx.config).remindMinutes.map((m) => `${m}m`);
  if (texts.length === 1 && /^(none|off|no)$/i.test(texts[0]!)) return "";
  const minutes = texts.map((t) => {
    const ms = parseDuration(t);
    if (ms === undefined || ms % 60_000 !== 0) return ctx.fail(`\`${esc(t)}\` isn't a reminder time: write them like 1d,1h or 30m (or none).`);
    if (ms > MAX_REMIND_MS) return ctx.fail("Reminders can be at most 4 weeks before a meeting.");
    return ms / 60_000;
  });
  const distinct = [...new Set(minutes)];
  // Each reminder is a post in every linked room, for every occurrence. (The config's default list is the admins' own choice.)
  const max = ctx.config.limits.meetings.reminders;
  if (list !== undefined && distinct.length > max) {
    return ctx.fail(`A meeting can have at most ${max} reminders, and that's ${distinct.length}. ${limitNote("meetings.reminders")}`);
  }
  return distinct.sort((a, b) => b - a).join(",");
}

const UNIT_OF = { DAILY: "days", WEEKLY: "weeks", MONTHLY: "months", YEARLY: "years" } as const;

/**
 * A schedule within `limits.meetings`, checked before anything expands its
 * rule: the first meeting at most `yearsAhead` away (no year 9999), and a
 * repeat no longer than its unit's `every` ("every 999999999 days").
 */
export function withinLimits(ctx: BaseContext, schedule: Schedule): Schedule {
  const { yearsAhead, every } = ctx.config.limits.meetings;
  if (schedule.rrule) {
    const unit = UNIT_OF[/FREQ=(\w+)/.exec(schedule.rrule)?.[1] as keyof typeof UNIT_OF];
    const interval = Number(/INTERVAL=([^;]+)/.exec(schedule.rrule)?.[1] ?? 1);
    if (unit && !(interval <= every[unit])) {
      ctx.fail(`A meeting can repeat at most every ${every[unit]} ${unit}, so not every ${interval} ${unit}. ${limitNote(`meetings.every.${unit}`)}`);
    }
  }
  const latest = DateTime.fromMillis(ctx.now, { zone: schedule.zone }).plus({ years: yearsAhead }).toMillis();
  const start = floatingToInstant(parseLocalIso(schedule.start), schedule.zone);
  if (start > latest) {
    ctx.fail(`Meetings can be at most ${yearsAhead} years ahead (until ${shortDate(latest, schedule.zone)}), and ${shortDate(start, schedule.zone)} is further. ${limitNote("meetings.yearsAhead")}`);
  }
  return schedule;
}

/** The schedule people meant, or a refusal with examples (from when.ts). */
export function scheduleFrom(ctx: BaseContext, when: string, every: string | undefined, zone: string): Schedule {
  const parsed = parseSchedule({ when, every }, zone, ctx.now);
  // The parser quotes what it couldn't read: escape it like any user text.
  if (!parsed.ok) return ctx.fail(esc(parsed.error), { showUsage: true });
  return withinLimits(ctx, parsed.schedule);
}

/** A group's meetings are in its own zone, else the federation's. */
export const zoneOf = (ctx: BaseContext, group: Group): string => group.timezone ?? ctx.config.timezone;

type MeetingShape = Pick<Meeting, "start" | "zone" | "durationMinutes" | "remindMinutes"> & { rrule?: string | null; location?: string | null; kind?: string };

/** "every 2 weeks on Monday at 11:00 (Europe/London), 1 hour, at <where>, reminders 1 day and 1 hour before" */
export function describeMeeting(m: MeetingShape): string {
  const parts = [describeRule(scheduleOf({ start: m.start, zone: m.zone, rrule: m.rrule ?? null })), minutesLabel(m.durationMinutes)];
  if (m.kind && m.kind !== "meeting") parts.push(`a ${m.kind}`);
  if (m.location) parts.push(`at ${esc(m.location)}`);
  parts.push(offsetsLabel(remindList(m)));
  return parts.join(", ");
}

/**
 * Dates in the coming year whose wall time does not exist (the night the
 * clocks go forward), so the driver hears it before confirming rather than
 * discovering an 02:30 meeting on the night.
 */
export function gapWarning(schedule: Schedule, now: number): string | undefined {
  const wanted = schedule.start.slice(11, 16);
  let warning: string | undefined;
  let seen = 0;
  eachOccurrence(schedule, now, undefined, ({ at, local }) => {
    const actual = localStart(at, schedule.zone);
    if (actual !== local) {
      warning = `⚠️ ${wanted} doesn't exist on ${shortDate(at, schedule.zone)} in ${schedule.zone} (the clocks go forward): that one will be at ${actual.slice(11)}.`;
      return false;
    }
    return ++seen < 400 && at < now + 366 * 86_400_000;
  });
  return warning;
}
