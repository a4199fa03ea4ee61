// Reporting periods people type (`week`, `month`, `2026-08`, ...), as
// [from, to) in the federation's time zone, so "this month" starts at
// midnight on the 1st where the federation is, not in UTC.
import { DateTime } from "luxon";
import { esc } from "../../bot/markup.ts";

export interface Period {
  /** How reports name it: "August 2026", "the week of 17 Aug 2026". */
  label: string;
  from: number;
  /** Exclusive. */
  to: number;
}

export const PERIOD_HELP = "week, month (default), quarter, year, last-week, last-month, or a month like 2026-08 (also 2026-Q3, 2026)";

const span = (start: DateTime, end: DateTime, label: string): Period => ({ label, from: start.toMillis(), to: end.toMillis() });

const monthPeriod = (start: DateTime): Period => span(start, start.plus({ months: 1 }), start.toFormat("LLLL yyyy"));
const weekPeriod = (start: DateTime): Period => span(start, start.plus({ weeks: 1 }), `the week of ${start.toFormat("d LLL yyyy")}`);
const quarterPeriod = (start: DateTime): Period => span(start, start.plus({ quarters: 1 }), `Q${start.quarter} ${start.year} (${start.toFormat("LLL")}–${start.plus({ months: 2 }).toFormat("LLL")})`);
const yearPeriod = (start: DateTime): Period => span(start, start.plus({ years: 1 }), String(start.year));

/** The period a member typed, or undefined when it isn't one. */
export function parsePeriod(text: string | undefined, now: number, zone: string): Period | undefined {
  const today = DateTime.fromMillis(now, { zone });
  const typed = (text ?? "month").trim().toLowerCase();
  switch (typed) {
    case "week":
    case "this-week":
      return weekPeriod(today.startOf("week"));
    case "last-week":
      return weekPeriod(today.startOf("week").minus({ weeks: 1 }));
    case "month":
    case "this-month":
      return monthPeriod(today.startOf("month"));
    case "last-month":
      return monthPeriod(today.startOf("month").minus({ months: 1 }));
    case "quarter":
      return quarterPeriod(today.startOf("quarter"));
    case "year":
      return yearPeriod(today.startOf("year"));
  }
  const month = /^(\d{4})-(\d{2})$/.exec(typed);
  if (month) {
    const start = DateTime.fromObject({ year: Number(month[1]), month: Number(month[2]), day: 1 }, { zone });
    return start.isValid ? monthPeriod(start) : undefined;
  }
  const quarter = /^(\d{4})-q([1-4])$/.exec(typed);
  if (quarter) return quarterPeriod(DateTime.fromObject({ year: Number(quarter[1]), month: (Number(quarter[2]) - 1) * 3 + 1, day: 1 }, { zone }));
  if (/^\d{4}$/.test(typed)) return yearPeriod(DateTime.fromObject({ year: Number(typed), month: 1, day: 1 }, { zone }));
  return undefined;
}

/** The calendar month containing `at`: thanks allowances and pair weighting count in it. */
export function calendarMonth(at: number, zone: string): Period {
  return monthPeriod(DateTime.fromMillis(at, { zone }).startOf("month"));
}

/** `14 Aug` in the federation's zone. */
export function dayLabel(ms: number, zone: string): string {
  // Time-zone maths costs more than the rest of a `log`; most labels are for
  // the same few days, so the last day seen per zone is remembered.
  const hit = lastDay.get(zone);
  if (hit && ms >= hit.from && ms < hit.to) return hit.label;
  const day = DateTime.fromMillis(ms, { zone }).startOf("day");
  const entry = { from: day.toMillis(), to: day.plus({ days: 1 }).toMillis(), label: day.toFormat("d LLL") };
  lastDay.set(zone, entry);
  return entry.label;
}

const lastDay = new Map<string, { from: number; to: number; label: string }>();

/**
 * When an action was done, from what was typed: `today` (the default, now),
 * `yesterday`, or a date (noon that day, so it sits safely inside any period
 * containing the day).
 */
export function parseDoneDate(text: string | undefined, now: number, zone: string): { at: number } | { error: string } {
  const typed = (text ?? "today").trim().toLowerCase();
  // The common case needs no calendar arithmetic (time-zone maths costs more than the rest of `log`).
  if (typed === "today") return { at: now };
  const today = DateTime.fromMillis(now, { zone }).startOf("day");
  let day: DateTime;
  if (typed === "yesterday") day = today.minus({ days: 1 });
  else {
    day = DateTime.fromISO(typed, { zone });
    if (!/^\d{4}-\d{2}-\d{2}$/.test(typed) || !day.isValid) return { error: `\`${esc(text ?? "")}\` is not a date: write today, yesterday or a date like ${today.toFormat("yyyy-MM-dd")}.` };
  }
  if (day > today) return { error: "That date is in the future: log an action once you've done it." };
  if (day < today.minus({ days: MAX_DAYS_BACK })) return { error: `I can only log actions from the last ${MAX_DAYS_BACK} days; ask an admin about older work.` };
  return { at: day.set({ hour: 12 }).toMillis() };
}

export const MAX_DAYS_BACK = 90;
