// The clinic's clock runs only in business hours (Mon–Fri 09:00–17:30 by
// default, in the config's zone): "4 hours" after Friday 16:00 is Monday
// 11:30. Each day's window is built from its own date with luxon, so a DST
// change never shifts opening time.
import { DateTime } from "luxon";

export interface BusinessHours {
  zone: string;
  /** ISO weekdays: 1 = Monday ... 7 = Sunday. */
  days: number[];
  startMinute: number;
  endMinute: number;
}

/** Ten years of days: far beyond any escalation, but never an endless loop. */
const MAX_DAYS = 3660;

function windowOf(day: DateTime, hours: BusinessHours): [number, number] | undefined {
  if (!hours.days.includes(day.weekday)) return undefined;
  const at = (minute: number) => day.set({ hour: Math.floor(minute / 60), minute: minute % 60, second: 0, millisecond: 0 }).toMillis();
  return [at(hours.startMinute), at(hours.endMinute)];
}

/** The moment `ms` of business time after `from` (from itself, if ms is 0 and it is open). */
export function addBusinessTime(from: number, ms: number, hours: BusinessHours): number {
  let remaining = ms;
  let day = DateTime.fromMillis(from, { zone: hours.zone }).startOf("day");
  for (let i = 0; i < MAX_DAYS; i++, day = day.plus({ days: 1 })) {
    const window = windowOf(day, hours);
    if (!window) continue;
    const start = Math.max(from, window[0]);
    if (start >= window[1]) continue;
    if (start + remaining <= window[1]) return start + remaining;
    remaining -= window[1] - start;
  }
  throw new RangeError("business hours never open");
}

/** How much business time lies between two moments. */
export function businessTimeBetween(from: number, to: number, hours: BusinessHours): number {
  if (to <= from) return 0;
  let total = 0;
  let day = DateTime.fromMillis(from, { zone: hours.zone }).startOf("day");
  for (let i = 0; i < MAX_DAYS && day.toMillis() < to; i++, day = day.plus({ days: 1 })) {
    const window = windowOf(day, hours);
    if (!window) continue;
    total += Math.max(0, Math.min(to, window[1]) - Math.max(from, window[0]));
  }
  return total;
}
