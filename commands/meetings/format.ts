// How meeting times read in messages. Times are always shown in a named
// zone: the meeting's own (for its group's room) or the reader's.
import { DateTime } from "luxon";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import type { Meeting } from "../../db/meetings.ts";
import type { Occurrence } from "./series.ts";

const at = (ms: number, zone: string) => DateTime.fromMillis(ms, { zone }).setLocale("en-GB");

/** "Mon 24 Aug 11:00" */
export function shortWhen(ms: number, zone: string): string {
  return at(ms, zone).toFormat("ccc d LLL HH:mm");
}

/** "Mon 24 Aug 2026" */
export function shortDate(ms: number, zone: string): string {
  return at(ms, zone).toFormat("ccc d LLL yyyy");
}

/**
 * "Mon 24 Aug 11:00–12:00" (the end's date too if it is another day; both
 * offsets if the clocks change during it: "01:30 BST–01:30 GMT").
 */
export function span(o: Pick<Occurrence, "start" | "end">, zone: string): string {
  const [start, end] = [at(o.start, zone), at(o.end, zone)];
  const sameDay = start.hasSame(end, "day");
  const endText = end.toFormat(sameDay ? "HH:mm" : "ccc d LLL HH:mm");
  if (start.offset === end.offset) return `${shortWhen(o.start, zone)}–${endText}`;
  return `${shortWhen(o.start, zone)} ${start.offsetNameShort}–${endText} ${end.offsetNameShort}`;
}

/** A span with its zone, as a room reads it: "Mon 30 Mar 11:00–12:00 BST (Europe/London)". */
export function spanInZone(o: Pick<Occurrence, "start" | "end">, zone: string): string {
  const [start, end] = [at(o.start, zone), at(o.end, zone)];
  const abbr = start.offsetNameShort ?? "";
  const named = start.offset === end.offset && /^[A-Z]{2,5}$/.test(abbr);
  return `${span(o, zone)}${named ? ` ${abbr}` : ""} (${zone})`;
}

/** The date people type to name an occurrence: its nominal local date. */
export const dateOf = (o: Pick<Occurrence, "key">): string => o.key.slice(0, 10);

/** The zone to show times in for the person asking: theirs if set, else the meeting's. */
export function readerZone(ctx: CommandContext, meeting: Pick<Meeting, "zone">): string {
  return ctx.member(ctx.actor.memberId).timezone ?? meeting.zone;
}

/** "in 1 hour", "in 25 minutes", "tomorrow", "in 3 days", "now", "started at 11:00". */
export function relative(ctx: BaseContext, start: number, zone: string): string {
  const ahead = start - ctx.now;
  if (ahead <= 0) return ahead > -60_000 ? "now" : `started at ${at(start, zone).toFormat("HH:mm")}`;
  const minutes = Math.round(ahead / 60_000);
  if (minutes < 60) return `in ${minutes} minute${minutes === 1 ? "" : "s"}`;
  if (minutes < 24 * 60) {
    const h = Math.floor(minutes / 60);
    const m = minutes % 60;
    return `in ${h} hour${h === 1 ? "" : "s"}${m ? ` ${m} minute${m === 1 ? "" : "s"}` : ""}`;
  }
  const days = Math.round(at(start, zone).startOf("day").diff(at(ctx.now, zone).startOf("day"), "days").days);
  return days === 1 ? "tomorrow" : `in ${days} days`;
}

/** "1 hour", "1 day", "90 minutes" for a reminder offset or a length. */
export function minutesLabel(minutes: number): string {
  if (minutes % 1440 === 0) return `${minutes / 1440} day${minutes === 1440 ? "" : "s"}`;
  if (minutes % 60 === 0) return `${minutes / 60} hour${minutes === 60 ? "" : "s"}`;
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export function offsetsLabel(remindMinutes: readonly number[]): string {
  if (remindMinutes.length === 0) return "no reminders";
  return `reminders ${remindMinutes.map(minutesLabel).join(" and ")} before`;
}

export const remindList = (meeting: Pick<Meeting, "remindMinutes">): number[] =>
  meeting.remindMinutes.split(",").filter(Boolean).map(Number);
