// Turn what people type after `meeting schedule <group> "<title>"` into a
// Schedule: a local wall-clock start in the group's zone plus an optional
// RFC 5545 RRULE. The recurrence may be in <when> or in --every, and either
// part may carry the time ("11:00" + "--every fortnightly on monday").
//
// Parsing works by recognising known phrases (dates, times, "every 2 weeks",
// "2nd and 4th thursday", ...), removing each one as it is understood, and
// refusing the input if anything but filler words is left: guessing at
// leftovers is how meetings end up on the wrong day.
//
// Pure: "now" is always passed in (the bot uses an injected clock).

import { DateTime, IANAZone } from "luxon";
import { nextLocalStart, parseLocalIso, floatingToInstant, type Schedule } from "./recurrence.ts";

export type { Schedule };
export { describeRule } from "./describe.ts";

export type ParseResult = { ok: true; schedule: Schedule } | { ok: false; error: string; examples?: "general" | "time"; first?: string };

type Freq = "DAILY" | "WEEKLY" | "MONTHLY" | "YEARLY";
type Time = { hour: number; minute: number };
type Ymd = { year?: number; month: number; day: number };
/** Everything recognised in one piece of text (<when> or --every). */
type Parts = {
  time?: Time;
  date?: Ymd;
  relative?: "today" | "tomorrow";
  weekdays: number[]; // 0 = Monday
  nextWeekday?: boolean; // "next monday": never today
  ordinals: Array<{ n: number; weekday: number }>; // "2nd thursday" -> { n: 2, weekday: 3 }
  monthDays: number[];
  freq?: Freq;
  interval?: number;
  recurring: boolean; // "every", "each", "mondays"
  error?: string;
};

// ---- Recognising phrases -------------------------------------------------

const WD = "monday|mon|tuesday|tues|tue|wednesday|weds|wed|thursday|thurs|thur|thu|friday|fri|saturday|sat|sunday|sun";
const MON = "january|jan|february|feb|march|mar|april|apr|may|june|jun|july|jul|august|aug|september|sept|sep|october|oct|november|nov|december|dec";
const ORD = "second\\s+last|penultimate|first|second|third|fourth|fifth|last|1st|2nd|3rd|4th|5th";
const ORDINALS: Record<string, number> = { first: 1, second: 2, third: 3, fourth: 4, fifth: 5, last: -1, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4, "5th": 5, penultimate: -2 };
const NUMBERS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, other: 2 };
const UNITS: Record<string, Freq> = { day: "DAILY", week: "WEEKLY", month: "MONTHLY", year: "YEARLY" };
const FILLER = new Set(["at", "on", "the", "of", "in", "and", "&", "from", "starting", "beginning", "with", "a"]);

const weekdayNumber = (w: string) => ["mon", "tue", "wed", "thu", "fri", "sat", "sun"].indexOf(w.slice(0, 3));
const monthNumber = (m: string) => "janfebmaraprmayjunjulaugsepoctnovdec".indexOf(m.slice(0, 3)) / 3 + 1;
const ordinalNumber = (o: string) => (/^second\s+last$/.test(o) ? -2 : ORDINALS[o] ?? 0);

/** Parse the hour/minute/am-pm of a recognised time; null if it is not a time of day. */
function toTime(h: number, m: number, ampm?: string): Time | null {
  if (m > 59) return null;
  if (ampm) {
    if (h < 1 || h > 12) return null;
    return { hour: (h % 12) + (ampm === "pm" ? 12 : 0), minute: m };
  }
  return h > 23 ? null : { hour: h, minute: m };
}

/** Text being consumed plus what has been recognised so far. */
class Scanner {
  parts: Parts = { weekdays: [], ordinals: [], monthDays: [], recurring: false };
  private text: string;

  constructor(input: string) {
    this.text = ` ${input.toLowerCase().replace(/[,’']/g, " ").replace(/\b([ap])\.m\.?/g, "$1m").replace(/@/g, " at ")} `
      .replace(/(\d{4}-\d{1,2}-\d{1,2})t(\d)/g, "$1 $2") // "2026-08-23t11:00" after lower-casing
      .replace(/\s+/g, " ");
  }

  /** Hand every match of `re` to `use` and remove it from the text. */
  take(re: RegExp, use: (m: string[]) => void): void {
    this.text = this.text.replace(re, (...m: string[]) => {
      use(m.slice(0, -2)); // drop replace()'s offset and whole-string arguments
      return " ";
    });
  }

  /** Words not consumed by any phrase, minus harmless filler. */
  leftover(): string[] {
    return this.text.split(" ").filter((w) => w && !FILLER.has(w));
  }

  fail(message: string): void {
    this.parts.error ??= message; // the first problem is the one worth reporting
  }

  setTime(t: Time | null, raw: string): void {
    if (!t) this.fail(`"${raw.trim()}" isn't a time of day.`);
    else if (this.parts.time) this.fail("Give only one time.");
    else this.parts.time = t;
  }

  setDate(d: Ymd): void {
    if (this.parts.date) this.fail("Give only one date.");
    this.parts.date = d;
  }

  setFreq(f: Freq, interval = 1): void {
    const p = this.parts;
    if (p.freq && (p.freq !== f || (p.interval ?? 1) !== interval)) this.fail("Say how often only once.");
    p.freq = f;
    p.interval = interval;
  }
}

/** ISO dates and clock times go first so their digits are not read as days or intervals. */
function takeDateTimes(sc: Scanner): void {
  sc.take(/\b(\d{4})-(\d{1,2})-(\d{1,2})\b/g, (m) => sc.setDate({ year: +m[1]!, month: +m[2]!, day: +m[3]! }));
  sc.take(/\b(\d{1,2})[:.](\d{2})\s*(am|pm)?\b/g, (m) => sc.setTime(toTime(+m[1]!, +m[2]!, m[3]), m[0]!));
  sc.take(/\b(\d{1,2})\s*(am|pm)\b/g, (m) => sc.setTime(toTime(+m[1]!, 0, m[2]), m[0]!));
  sc.take(/\b(noon|midday|midnight)\b/g, (m) => sc.setTime({ hour: m[1] === "midnight" ? 0 : 12, minute: 0 }, m[0]!));
}

/** "every 2 weeks", "fortnightly", "every weekday", "of the month", bare "every". */
function takeFrequency(sc: Scanner): void {
  const p = sc.parts;
  // "every weekday" must go before "every <day>".
  sc.take(/\b(?:(?:every|each)\s+(?:working\s+day|work\s*day|week\s*day)s?|(?:on\s+)?weekdays)\b/g, () => {
    sc.setFreq("WEEKLY");
    p.weekdays.push(0, 1, 2, 3, 4);
  });
  sc.take(/\b(?:every|each)\s+(\d+|one|two|three|four|five|six|other)\s+(day|week|month|year)s?\b/g, (m) => {
    const interval = NUMBERS[m[1]!] ?? +m[1]!;
    // Not "daily": a rule that never comes round is a typo, not a default.
    if (interval < 1) return sc.fail(`"${m[0]!.trim()}" never comes round.`);
    sc.setFreq(UNITS[m[2]!]!, interval);
  });
  sc.take(/\b(?:every\s+fortnight|fortnightly|bi-?weekly)\b/g, () => sc.setFreq("WEEKLY", 2));
  sc.take(/\b(?:every|each)\s+(day|week|month|year)\b/g, (m) => sc.setFreq(UNITS[m[1]!]!));
  sc.take(/\b(daily|weekly|monthly|yearly|annually)\b/g, (m) =>
    sc.setFreq(({ daily: "DAILY", weekly: "WEEKLY", monthly: "MONTHLY" } as Record<string, Freq>)[m[1]!] ?? "YEARLY"),
  );
  sc.take(/\bof\s+(?:the|each|every)\s+month\b/g, () => void (p.freq ??= "MONTHLY"));
  // British "every second tuesday" means fortnightly, not the 2nd of the month.
  sc.take(new RegExp(`\\b(?:every|each)\\s+(?:second|other|alternate)\\s+(${WD})s?\\b`, "g"), (m) => {
    sc.setFreq("WEEKLY", 2);
    p.weekdays.push(weekdayNumber(m[1]!));
  });
  sc.take(/\b(?:every|each)\b/g, () => void (p.recurring = true));
}

/** Days: "2nd and 4th thursday", "23 aug", "aug 23", "the 15th", "tomorrow", "next monday", "mondays". */
function takeDays(sc: Scanner): void {
  const p = sc.parts;
  sc.take(new RegExp(`\\b((?:the\\s+)?(?:${ORD})(?:\\s+(?:and|&)\\s+(?:the\\s+)?(?:${ORD}))*)\\s+(${WD})s?\\b`, "g"), (m) => {
    for (const o of m[1]!.match(new RegExp(ORD, "g")) ?? []) p.ordinals.push({ n: ordinalNumber(o), weekday: weekdayNumber(m[2]!) });
  });
  sc.take(new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?(${MON})\\b(?:\\s+(\\d{4})\\b)?`, "g"), (m) =>
    sc.setDate({ day: +m[1]!, month: monthNumber(m[2]!), year: m[3] ? +m[3] : undefined }),
  );
  sc.take(new RegExp(`\\b(${MON})\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:\\s+(\\d{4})\\b)?`, "g"), (m) =>
    sc.setDate({ day: +m[2]!, month: monthNumber(m[1]!), year: m[3] ? +m[3] : undefined }),
  );
  sc.take(/\b(?:day\s+(\d{1,2})|(\d{1,2})(?:st|nd|rd|th))\b/g, (m) => void p.monthDays.push(+(m[1] ?? m[2])!));
  sc.take(/\b(today|tonight|tomorrow)\b/g, (m) => void (p.relative = m[1] === "tomorrow" ? "tomorrow" : "today"));
  sc.take(new RegExp(`\\b(next|this)\\s+(${WD})\\b`, "g"), (m) => {
    p.weekdays.push(weekdayNumber(m[2]!));
    p.nextWeekday = m[1] === "next";
  });
  sc.take(new RegExp(`\\b(${WD})(s)?\\b`, "g"), (m) => {
    p.weekdays.push(weekdayNumber(m[1]!));
    if (m[2] && m[1]!.length > 3) p.recurring = true; // "mondays", but not "weds"
  });
}

/** Recognise every phrase in one piece of text; anything not understood becomes an error. */
function extractParts(text: string): Parts {
  const sc = new Scanner(text);
  takeDateTimes(sc);
  takeFrequency(sc);
  takeDays(sc);
  // "at 9" only once dates are gone, so "at 1 may" can't become 01:00.
  sc.take(/\bat\s+(\d{1,2})\b/g, (m) => sc.setTime(toTime(+m[1]!, 0), m[0]!));
  const left = sc.leftover();
  // A lone number left over is an hour: "monday 11", "2026-08-23 11".
  if (left.length === 1 && /^\d{1,2}$/.test(left[0]!) && !sc.parts.time) sc.setTime(toTime(+left[0]!, 0), left[0]!);
  else if (left.length) sc.fail(`I couldn't understand "${left.join(" ")}".`);
  return sc.parts;
}

// ---- Interpreting them ---------------------------------------------------

const DAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
/** Examples that are in the future whenever they are shown (a date a few days on, not a fixed one). */
function generalExamples(now: number, zone: string): string[] {
  const soon = DateTime.fromMillis(now, { zone: IANAZone.isValidZone(zone) ? zone : "UTC" }).plus({ days: 6 }).toISODate();
  return [`"${soon} 11:00"`, '"next monday 18:30"', '"every fortnight on monday at 11:00"'];
}
const TIME_EXAMPLES = ['"weekly on wednesday at 18:00"', '"daily at 9:30"', '"tomorrow 18:30"'];

/** A refusal; its examples are added once, by parseSchedule, which knows `now`. `first`: a better first example. */
function fail(message: string, examples: "general" | "time" = "general", first?: string): ParseResult {
  return { ok: false, error: message, examples, ...(first ? { first } : {}) };
}

function withExamples(result: ParseResult, zone: string, now: number): ParseResult {
  if (result.ok) return result;
  const list = result.examples === "time" ? TIME_EXAMPLES : generalExamples(now, zone);
  if (result.first) list[0] = result.first;
  return { ok: false, error: `${result.error} Try e.g. ${list.slice(0, 2).join(", ")} or ${list[2]}.` };
}

const pad = (n: number, w = 2) => String(n).padStart(w, "0");
const isoOf = (y: number, m: number, d: number, t: Time) => `${pad(y, 4)}-${pad(m)}-${pad(d)}T${pad(t.hour)}:${pad(t.minute)}`;

/** Days in a month; 29 for February when no year is known (yearly rules). */
function daysInMonth(month: number, year?: number): number {
  if (year === undefined) return [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1] ?? 0;
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function checkDate(d: Ymd): string | null {
  if (d.month < 1 || d.month > 12 || d.day < 1 || d.day > daysInMonth(d.month, d.year)) {
    const label = `${d.day} ${MONTH_NAMES[d.month - 1] ?? `month ${d.month}`}${d.year ? ` ${d.year}` : ""}`;
    return `There is no ${label}.`;
  }
  return null;
}

/** A recurrence is anything that says "again": a frequency, "every", plurals, "2nd tuesday". */
function hasRule(p: Parts): boolean {
  return p.freq !== undefined || p.ordinals.length > 0 || p.recurring;
}

/** Local calendar date of "today" in the zone, as a floating day (UTC midnight). */
function todayFloating(now: number, zone: string): number {
  const t = DateTime.fromMillis(now, { zone });
  return Date.UTC(t.year, t.month - 1, t.day);
}

const DAY = 86_400_000;
const dayOf = (floating: number) => new Date(floating);
const weekdayOf = (floating: number) => (new Date(floating).getUTCDay() + 6) % 7; // 0 = Monday

function floatingAt(day: number, t: Time): number {
  return day + (t.hour * 60 + t.minute) * 60_000;
}

/**
 * Resolve the day the user named (explicit date, today/tomorrow, a weekday)
 * to a floating local midnight. A weekday means the next one, today included
 * if `time` is still ahead; "next <weekday>" never means today. A date with no
 * year means the next time that date comes round.
 */
function resolveDay(p: Parts, time: Time | undefined, now: number, zone: string): { day: number; explicit: boolean } | string {
  const today = todayFloating(now, zone);
  const future = (day: number) => !time || floatingToInstant(floatingAt(day, time), zone) > now;
  if (p.date) {
    const bad = checkDate(p.date);
    if (bad) return bad;
    if (p.date.year !== undefined) return { day: Date.UTC(p.date.year, p.date.month - 1, p.date.day), explicit: true };
    const thisYear = dayOf(today).getUTCFullYear();
    for (const y of [thisYear, thisYear + 1, thisYear + 2, thisYear + 3, thisYear + 4]) {
      if (p.date.day > daysInMonth(p.date.month, y)) continue; // 29 Feb
      const day = Date.UTC(y, p.date.month - 1, p.date.day);
      if (day > today || (day === today && future(day))) return { day, explicit: true };
    }
  }
  if (p.relative === "tomorrow") return { day: today + DAY, explicit: true };
  if (p.relative === "today") return { day: today, explicit: true };
  if (p.weekdays.length > 1) return "Pick one day for a one-off meeting, or say how often it repeats.";
  const wd = p.weekdays[0];
  if (wd !== undefined) {
    let ahead = (wd - weekdayOf(today) + 7) % 7;
    if (ahead === 0 && (p.nextWeekday || !future(today))) ahead = 7;
    return { day: today + ahead * DAY, explicit: true };
  }
  return { day: today, explicit: false };
}

function oneOff(p: Parts, time: Time | undefined, zone: string, now: number): ParseResult {
  if (p.monthDays.length) return fail("Which month? Add the month to the date, e.g. \"15 september\".");
  if (!time) return fail("Please add a time.", "time");
  const resolved = resolveDay(p, time, now, zone);
  if (typeof resolved === "string") return fail(resolved);
  const d = dayOf(resolved.day);
  const start = isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), time);
  const when = floatingToInstant(parseLocalIso(start), zone);
  if (when <= now) {
    const nowLocal = DateTime.fromMillis(now, { zone }).toFormat("d LLL yyyy HH:mm");
    // The example is the same time on the next day it is still ahead: never another past date.
    const today = DateTime.fromMillis(now, { zone }).set({ hour: time.hour, minute: time.minute });
    const next = today.toMillis() > now ? today : today.plus({ days: 1 });
    return fail(`${start.replace("T", " ")} is in the past (it is now ${nowLocal} in ${zone}).`, "general", `"${next.toFormat("yyyy-MM-dd HH:mm")}"`);
  }
  return { ok: true, schedule: { start, zone } };
}

/** The BYxxx parts of the rule, "" if the day must come from the anchor date. */
function byParts(freq: Freq, r: Parts): string | { error: string } {
  const parts: string[] = [];
  if (freq === "YEARLY" && r.date && r.date.year === undefined) {
    const bad = checkDate(r.date);
    if (bad) return { error: bad };
    parts.push(`BYMONTH=${r.date.month}`, `BYMONTHDAY=${r.date.day}`);
  }
  if (r.monthDays.length) {
    if (r.monthDays.some((d) => d < 1 || d > 31)) return { error: "Days of the month go from 1 to 31." };
    parts.push(`BYMONTHDAY=${r.monthDays.join(",")}`);
  }
  const days = [
    ...r.ordinals.map((o) => `${o.n}${DAY_CODES[o.weekday]}`),
    ...[...new Set(r.weekdays)].sort((a, b) => a - b).map((w) => DAY_CODES[w]),
  ];
  if (days.length) parts.push(`BYDAY=${days.join(",")}`);
  return parts.join(";");
}

/** When no day was given, the anchor day supplies it ("monday 11:00 --every fortnight"). */
function partsFromAnchor(freq: Freq, day: number): string {
  const d = dayOf(day);
  if (freq === "WEEKLY") return `BYDAY=${DAY_CODES[weekdayOf(day)]}`;
  if (freq === "MONTHLY") return `BYMONTHDAY=${d.getUTCDate()}`;
  if (freq === "YEARLY") return `BYMONTH=${d.getUTCMonth() + 1};BYMONTHDAY=${d.getUTCDate()}`;
  return "";
}

function inferFreq(r: Parts): Freq | undefined {
  if (r.freq) return r.freq;
  if (r.ordinals.length || r.monthDays.length) return "MONTHLY";
  if (r.weekdays.length) return "WEEKLY";
  if (r.date && r.date.year === undefined) return "YEARLY";
  return undefined;
}

function recurring(r: Parts, anchor: Parts, time: Time | undefined, zone: string, now: number): ParseResult {
  const freq = inferFreq(r);
  if (!freq) return fail("How often should it repeat?");
  if (!time) return fail("Please add a time for the meeting.", "time");
  const by = byParts(freq, r);
  if (typeof by !== "string") return fail(by.error);
  // A dated "from" in the rule text anchors it like a date in <when> would.
  const anchorParts: Parts = { ...anchor };
  if (r.date && (r.date.year !== undefined || freq !== "YEARLY")) {
    if (anchor.date) return fail("Give the start date only once.");
    anchorParts.date = r.date;
  }
  if (r.relative && !anchor.relative) anchorParts.relative = r.relative;
  const resolved = resolveDay(anchorParts, time, now, zone);
  if (typeof resolved === "string") return fail(resolved);
  let dayParts = by;
  if (!dayParts && freq !== "DAILY") {
    if (!resolved.explicit) return fail(`Which day? Say "${freq === "WEEKLY" ? "weekly on wednesday" : freq === "MONTHLY" ? "monthly on the 15th" : "yearly on 1 may"}".`);
    dayParts = partsFromAnchor(freq, resolved.day);
  }
  const interval = r.interval && r.interval > 1 ? `;INTERVAL=${r.interval}` : "";
  const rrule = `FREQ=${freq}${interval}${dayParts ? `;${dayParts}` : ""}`;
  // The first meeting is the first day matching the rule (ignoring INTERVAL, so
  // "every fortnight on monday" said on a Wednesday starts next Monday, not in
  // 12 days) on/after the named day, or on/after now if no day was named.
  const d = dayOf(resolved.day);
  const probe: Schedule = { start: isoOf(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), time), zone, rrule: `FREQ=${freq}${dayParts ? `;${dayParts}` : ""}` };
  // A past start is allowed only for an explicit earlier date (a series that
  // already began); "today"/"weekly on <today>" never starts in the past.
  const from = resolved.explicit && resolved.day !== todayFloating(now, zone) ? floatingToInstant(resolved.day, zone) : now;
  const start = nextLocalStart(probe, from - 1);
  if (!start) return fail("That rule never produces a meeting.");
  return { ok: true, schedule: { start, zone, rrule } };
}

/** Combine the <when> and --every parts; each may hold the time or the rule. */
function combine(when: Parts, every: Parts | null, zone: string, now: number): ParseResult {
  const error = when.error ?? every?.error;
  if (error) return fail(error);
  if (when.time && every?.time && (when.time.hour !== every.time.hour || when.time.minute !== every.time.minute)) {
    return fail("Two different times were given; give the time once.");
  }
  const time = when.time ?? every?.time;
  if (every) {
    if (hasRule(when)) return fail("Give the repeat once: either in the date part or after --every.");
    return recurring(every, when, time, zone, now);
  }
  if (hasRule(when)) return recurring(when, { ordinals: [], monthDays: [], weekdays: [], recurring: false }, time, zone, now);
  return oneOff(when, time, zone, now);
}

export function parseSchedule(input: { when: string; every?: string }, zone: string, now: number): ParseResult {
  return withExamples(parseParts(input, zone, now), zone, now);
}

function parseParts(input: { when: string; every?: string }, zone: string, now: number): ParseResult {
  if (!IANAZone.isValidZone(zone)) return fail(`Unknown time zone "${zone}".`);
  if (!input.when.trim() && !input.every?.trim()) return fail("When should the meeting be?");
  const when = extractParts(input.when);
  // Anything after --every is a recurrence even without "every" ("--every monday"), and reads
  // as if "every" were written before it ("--every fortnight on monday", "--every 2 weeks").
  const everyText = input.every?.trim() ?? "";
  const every = everyText ? { ...extractParts(/^(every|each)\b/i.test(everyText) ? everyText : `every ${everyText}`), recurring: true } : null;
  return combine(when, every, zone, now);
}
