// Calendar months in the federation's time zone, for figures over time:
// the current month and the ones before it, oldest first.
import { DateTime } from "luxon";

export interface Month {
  from: number;
  /** Exclusive; for the current month, just after now (what `progress` counts "since the start" up to). */
  to: number;
  /** `Aug`, and `August 2026` for descriptions and tables. */
  short: string;
  long: string;
}

export function lastMonths(now: number, zone: string, count: number): Month[] {
  const current = DateTime.fromMillis(now, { zone }).startOf("month");
  return Array.from({ length: count }, (_, i) => {
    const start = current.minus({ months: count - 1 - i });
    const end = start.plus({ months: 1 });
    return { from: start.toMillis(), to: Math.min(end.toMillis(), now + 1), short: start.toFormat("LLL"), long: start.toFormat("LLLL yyyy") };
  });
}

/** Which of the months an instant falls in, or -1. */
export function monthIndex(months: readonly Month[], at: number): number {
  return months.findIndex((m) => at >= m.from && at < m.to);
}

/** Counts per month of the instants given. */
export function perMonth(months: readonly Month[], instants: Iterable<number>): number[] {
  const counts = months.map(() => 0);
  for (const at of instants) {
    const i = monthIndex(months, at);
    if (i >= 0) counts[i]!++;
  }
  return counts;
}

/**
 * How many months the charts cover: `wanted`, but none from before the bot
 * began (its first member), which would only draw a row of zeros; at least
 * two, so a line has somewhere to go.
 */
export function monthsToShow(now: number, zone: string, began: number | undefined, wanted: number): number {
  if (began === undefined) return Math.min(wanted, 2);
  const since = DateTime.fromMillis(now, { zone }).startOf("month").diff(DateTime.fromMillis(began, { zone }).startOf("month"), "months").months;
  return Math.max(2, Math.min(wanted, Math.round(since) + 1));
}
