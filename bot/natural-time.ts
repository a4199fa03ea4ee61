// Natural times people type for one moment ("tomorrow at 9am", "next tuesday
// 15:00", "in 2 hours", "on 3 March"), read with chrono-node in a named IANA
// zone. chrono only knows fixed offsets, so it is used for what the words
// mean (which day, which wall-clock time); the instant is then made with
// luxon in the zone itself, which keeps "9am on 26 October" at 09:00 after
// the clocks change. Only a span of time ("in 2 hours") is taken as an
// instant: two hours is two hours, whatever the clocks do.
//
// Pure: `now` is always passed in (the bot's injected clock).
import * as chrono from "chrono-node";
import { DateTime } from "luxon";

export interface FoundTime {
  /** The moment meant, in epoch milliseconds. */
  at: number;
  /** Where the words for it are in the text, and what they were. */
  index: number;
  end: number;
  text: string;
  /** The day was said or implied (a weekday, "tomorrow"); false for a bare time ("at 9am"). */
  dated: boolean;
}

/** When nothing says the hour ("on 3 March", "friday"), a reminder comes at 09:00, as Slack's does. */
export const DEFAULT_HOUR = 9;

const parser = chrono.en.GB;

function offsetAt(now: number, zone: string): number {
  return DateTime.fromMillis(now, { zone }).offset;
}

/** "in 2 hours", "in 45 minutes": a span of time from now, not a wall-clock time. */
function isSpan(result: chrono.ParsedResult): boolean {
  return result.tags().has("result/relativeDateAndTime");
}

/** Options for reading times. */
export interface ReadOptions {
  /** "tomorrow" keeps the time of day it is now (snoozing), instead of 09:00 (a new reminder). */
  sameTimeOfDay?: boolean;
}

const DAY_WORDS = /^casualReference\/(today|tomorrow|yesterday)$/;

/** chrono's hour is meant ("in 3 days" keeps the time, "tonight" is the evening), not a placeholder. */
function hourMeant(result: chrono.ParsedResult, opts: ReadOptions): boolean {
  if (result.start.isCertain("hour")) return true;
  const tags = [...result.tags()];
  if (tags.includes("result/relativeDate")) return true;
  return tags.some((t) => t.startsWith("casualReference/") && (opts.sameTimeOfDay || !DAY_WORDS.test(t)));
}

/** Whether chrono worked the day out from `now` ("tomorrow", "in 3 days"). */
function impliedFromNow(result: chrono.ParsedResult): boolean {
  const tags = [...result.tags()];
  return tags.includes("result/relativeDate") || tags.some((t) => t.startsWith("casualReference/"));
}

function instantOf(result: chrono.ParsedResult, now: number, zone: string, opts: ReadOptions): number {
  if (isSpan(result)) return result.start.date().getTime();
  const s = result.start;
  const timed = hourMeant(result, opts);
  const local = DateTime.fromObject(
    {
      year: s.get("year")!,
      month: s.get("month")!,
      day: s.get("day")!,
      hour: timed ? s.get("hour")! : DEFAULT_HOUR,
      minute: timed ? (s.get("minute") ?? 0) : 0,
    },
    { zone },
  );
  let at = local.toMillis();
  // "at 9am" said after 9am, "friday" said on a Friday afternoon: the next one.
  if (at <= now && !s.isCertain("day") && !s.isCertain("month")) {
    const step = s.isCertain("weekday") ? { weeks: 1 } : { days: 1 };
    at = local.plus(step).toMillis();
  }
  return at;
}

/** Every time expression in `text`, as chrono reads it in `zone` at `now`, earliest in the text first. */
export function findTimes(text: string, now: number, zone: string, opts: ReadOptions = {}): FoundTime[] {
  const results = parser.parse(text, { instant: new Date(now), timezone: offsetAt(now, zone) }, { forwardDate: true });
  return results.map((r) => ({
    at: instantOf(r, now, zone, opts),
    index: r.index,
    end: r.index + r.text.length,
    text: r.text,
    dated: r.start.isCertain("day") || r.start.isCertain("weekday") || impliedFromNow(r) || isSpan(r),
  }));
}

/** The one moment a whole text names ("2026-12-29 15:00", "tomorrow 9am"), if it names exactly that and nothing else. */
export function parseMoment(text: string, now: number, zone: string, opts: ReadOptions = {}): FoundTime | undefined {
  const trimmed = text.trim();
  const found = findTimes(trimmed, now, zone, opts);
  if (found.length !== 1) return undefined;
  const [only] = found;
  const before = trimmed.slice(0, only!.index).trim().toLowerCase();
  const after = trimmed.slice(only!.end).trim();
  return (before === "" || before === "on" || before === "at" || before === "to") && after === "" ? only : undefined;
}

/** "Tue 18 Aug at 09:00" (with the year when it isn't this one), in `zone`. */
export function localWhen(ms: number, zone: string, now: number): string {
  const t = DateTime.fromMillis(ms, { zone }).setLocale("en-GB");
  const sameYear = t.year === DateTime.fromMillis(now, { zone }).year;
  return t.toFormat(sameYear ? "ccc d LLL 'at' HH:mm" : "ccc d LLL yyyy 'at' HH:mm");
}

/** Examples that are in the future whenever they are shown. */
export function futureExamples(now: number, zone: string): string[] {
  const tomorrow = DateTime.fromMillis(now, { zone }).plus({ days: 1 });
  return ["tomorrow at 9am", "in 2 hours", "next tuesday 15:00", `on ${tomorrow.setLocale("en-GB").toFormat("d LLLL")}`];
}
