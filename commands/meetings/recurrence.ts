// DST-safe expansion of meeting schedules.
//
// A meeting is "11:00 in Europe/London", not "10:00 UTC": the wall-clock time
// is what people agreed on, so we expand the RRULE in *floating* local time
// (the local wall clock stored in a Date's UTC fields, with no zone attached)
// and only then turn each local time into a real instant in the group's zone.
// That way a DST change can never move a meeting to 10:00 or 12:00 local.
//
// Pure module: no clock, no I/O. Every "current time" is passed in.

import { DateTime, IANAZone } from "luxon";
import rrulePkg from "rrule";
import type { Options as RRuleOptions, Weekday as WeekdayType } from "rrule";

// rrule's named exports break at run time under ESM; the default export works.
const { RRule } = rrulePkg;

export type Schedule = {
  /** Local wall-clock start of the first occurrence, e.g. "2026-08-23T11:00". */
  start: string;
  /** IANA time zone the wall-clock times are in, e.g. "Europe/London". */
  zone: string;
  /** RFC 5545 RRULE value without the "RRULE:" prefix; absent for one-offs. */
  rrule?: string;
};

export type OccurrenceOptions = {
  /** Local ISO starts ("2026-09-07T11:00") of occurrences to skip. */
  exdates?: string[];
};

const MINUTE = 60_000;
const DAY = 86_400_000;
// rrule's Frequency enum values (the enum is only reachable via the default export).
const YEARLY = 0;
const MONTHLY = 1;
const WEEKLY = 2;
const DAILY = 3;

/** Local ISO minute string ("2026-08-23T11:00") of an instant in a zone. */
export function localStart(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm");
}

/** Parse "2026-08-23T11:00" (seconds optional) into floating epoch ms. */
export function parseLocalIso(iso: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(iso.trim());
  if (!m) throw new Error(`Not a local ISO date-time: ${iso}`);
  const [y, mo, d, h, mi, s] = m.slice(1).map((x) => Number(x ?? 0)) as number[];
  const ms = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!);
  // Date.UTC silently rolls 31 Feb over to 3 Mar; refuse instead.
  if (new Date(ms).getUTCDate() !== d || h! > 23 || mi! > 59) {
    throw new Error(`Impossible local date-time: ${iso}`);
  }
  return ms;
}

/** Floating ms back to the local ISO minute string used for exdates. */
function floatingIso(floating: number): string {
  return new Date(floating).toISOString().slice(0, 16);
}

/**
 * Turn a floating local time into a real instant in `zone`.
 * - Ambiguous times (the repeated hour when clocks go back) resolve to the
 *   EARLIER instant, so a meeting at 01:30 on fall-back day happens the
 *   first time 01:30 comes round rather than an hour "late".
 * - Non-existent times (the skipped hour when clocks go forward) follow
 *   luxon: the wall time is shifted forward by the gap (01:30 -> 02:30 BST).
 */
export function floatingToInstant(floating: number, zone: string): number {
  const tz = IANAZone.create(zone);
  if (!tz.isValid) throw new Error(`Unknown time zone: ${zone}`);
  // Any offset that could apply near this wall time is in effect within a day.
  const offsets = new Set([tz.offset(floating - DAY), tz.offset(floating), tz.offset(floating + DAY)]);
  let best: number | undefined;
  for (const off of offsets) {
    const candidate = floating - off * MINUTE;
    if (candidate + tz.offset(candidate) * MINUTE !== floating) continue;
    if (best === undefined || candidate < best) best = candidate;
  }
  if (best !== undefined) return best;
  const d = new Date(floating);
  return DateTime.fromObject(
    {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
    },
    { zone },
  ).toMillis();
}

/** Real instant -> floating local ms (wall clock in the zone, as UTC fields). */
function instantToFloating(ms: number, zone: string): number {
  return ms + IANAZone.create(zone).offset(ms) * MINUTE;
}

function asArray<T>(v: T | T[] | null | undefined): T[] {
  if (v === null || v === undefined) return [];
  return Array.isArray(v) ? v : [v];
}

function weekdayIndex(w: number | string | WeekdayType): number {
  if (typeof w === "number") return w;
  if (typeof w === "string") return ["MO", "TU", "WE", "TH", "FR", "SA", "SU"].indexOf(w);
  return w.weekday;
}

/** rrule weekday (0 = Monday) of a floating date. */
function rruleWeekday(floating: number): number {
  return (new Date(floating).getUTCDay() + 6) % 7;
}

/**
 * Make implicit parts of the rule explicit. RFC 5545 (and rrule) fill missing
 * BYxxx parts from DTSTART - "FREQ=MONTHLY" means "on DTSTART's day of the
 * month". Once we move DTSTART to skip ahead, those parts must be pinned.
 */
function pinImplicitParts(opts: Partial<RRuleOptions>, dtstart: Date): Partial<RRuleOptions> {
  const pinned = { ...opts };
  const hasDayPart =
    asArray(opts.byweekno).length > 0 ||
    asArray(opts.byyearday).length > 0 ||
    asArray(opts.bymonthday).length > 0 ||
    asArray(opts.byweekday).length > 0 ||
    (opts.byeaster !== null && opts.byeaster !== undefined);
  if (!hasDayPart) {
    if (opts.freq === YEARLY) {
      if (asArray(opts.bymonth).length === 0) pinned.bymonth = dtstart.getUTCMonth() + 1;
      pinned.bymonthday = dtstart.getUTCDate();
    } else if (opts.freq === MONTHLY) {
      pinned.bymonthday = dtstart.getUTCDate();
    } else if (opts.freq === WEEKLY) {
      pinned.byweekday = [rruleWeekday(dtstart.getTime())];
    }
  }
  if (asArray(opts.byhour).length === 0) pinned.byhour = dtstart.getUTCHours();
  if (asArray(opts.byminute).length === 0) pinned.byminute = dtstart.getUTCMinutes();
  if (asArray(opts.bysecond).length === 0) pinned.bysecond = dtstart.getUTCSeconds();
  return pinned;
}

/** Midnight (floating) of the first day of the period `k` intervals after dtstart's. */
function periodStart(opts: Partial<RRuleOptions>, dtstart: Date, k: number): number {
  const interval = opts.interval ?? 1;
  const y = dtstart.getUTCFullYear();
  const m = dtstart.getUTCMonth();
  const day0 = Date.UTC(y, m, dtstart.getUTCDate());
  if (opts.freq === YEARLY) return Date.UTC(y + k * interval, 0, 1);
  if (opts.freq === MONTHLY) return Date.UTC(y, m + k * interval, 1);
  if (opts.freq === WEEKLY) {
    // rrule aligns weekly periods to WKST (default Monday).
    const wkst = opts.wkst === null || opts.wkst === undefined ? 0 : weekdayIndex(opts.wkst);
    const weekStart = day0 - ((rruleWeekday(day0) - wkst + 7) % 7) * DAY;
    return weekStart + k * interval * 7 * DAY;
  }
  return day0 + k * interval * DAY; // DAILY
}

/** Whole intervals between dtstart's period and the one containing `target`. */
function intervalsBefore(opts: Partial<RRuleOptions>, dtstart: Date, target: number): number {
  const interval = opts.interval ?? 1;
  const t = new Date(target);
  if (opts.freq === YEARLY) {
    return Math.floor((t.getUTCFullYear() - dtstart.getUTCFullYear()) / interval);
  }
  if (opts.freq === MONTHLY) {
    const months =
      (t.getUTCFullYear() - dtstart.getUTCFullYear()) * 12 + (t.getUTCMonth() - dtstart.getUTCMonth());
    return Math.floor(months / interval);
  }
  const unit = opts.freq === WEEKLY ? 7 * DAY : DAY;
  return Math.floor((target - periodStart(opts, dtstart, 0)) / (interval * unit));
}

/**
 * Build an rrule iterator whose DTSTART is as close to `floatingFrom` as is
 * safe, so finding the next occurrence of a years-old series costs the same
 * as for a new one. Skipping is only done when it cannot change the result:
 * whole periods (intervals of the FREQ) are skipped, implicit parts are pinned,
 * and COUNT rules (whose numbering depends on every past occurrence) are
 * expanded from the real DTSTART.
 */
function ruleFrom(schedule: Schedule, floatingFrom: number): InstanceType<typeof RRule> {
  const dtstart = new Date(parseLocalIso(schedule.start));
  const opts = RRule.parseString(schedule.rrule ?? "");
  if (opts.freq === undefined) throw new Error(`RRULE without FREQ: ${schedule.rrule}`);
  delete opts.dtstart; // the rule's DTSTART is always the schedule's start
  delete opts.tzid;
  const skippable =
    (opts.count === null || opts.count === undefined) &&
    [YEARLY, MONTHLY, WEEKLY, DAILY].includes(opts.freq);
  if (skippable) {
    const k = intervalsBefore(opts, dtstart, floatingFrom);
    if (k >= 1) {
      const pinned = pinImplicitParts(opts, dtstart);
      return new RRule({ ...pinned, dtstart: new Date(periodStart(opts, dtstart, k)) }, true);
    }
  }
  return new RRule({ ...opts, dtstart }, true);
}

/**
 * Walk occurrences (as real instants) in order, starting at or just before
 * `afterMs`, calling `visit` until it returns false. Exdates are matched on
 * the local wall-clock start, the same key people see and type.
 */
function walk(
  schedule: Schedule,
  afterMs: number,
  opts: OccurrenceOptions | undefined,
  visit: (instant: number, floating: number) => boolean,
): void {
  const skip = new Set((opts?.exdates ?? []).map((e) => floatingIso(parseLocalIso(e))));
  if (!schedule.rrule) {
    const floating = parseLocalIso(schedule.start);
    if (!skip.has(floatingIso(floating))) visit(floatingToInstant(floating, schedule.zone), floating);
    return;
  }
  // Offsets are at most ~1 day apart, so 2 days of slack never misses one.
  const floatingFrom = instantToFloating(afterMs, schedule.zone) - 2 * DAY;
  ruleFrom(schedule, floatingFrom).all((d) => {
    const floating = d.getTime();
    if (skip.has(floatingIso(floating))) return true;
    return visit(floatingToInstant(floating, schedule.zone), floating);
  });
}

/** Up to `count` occurrence starts (epoch ms) strictly after `afterMs`, in order. */
export function nextOccurrences(
  schedule: Schedule,
  afterMs: number,
  count: number,
  opts?: OccurrenceOptions,
): number[] {
  const out: number[] = [];
  if (count <= 0) return out;
  let last = -Infinity;
  walk(schedule, afterMs, opts, (t) => {
    // Two wall times can map to one instant around a DST gap; keep one.
    if (t > afterMs && t > last) {
      out.push(t);
      last = t;
    }
    return out.length < count;
  });
  return out;
}

/** The first occurrence start strictly after `afterMs`, or null if the series has ended. */
export function nextOccurrence(schedule: Schedule, afterMs: number, opts?: OccurrenceOptions): number | null {
  return nextOccurrences(schedule, afterMs, 1, opts)[0] ?? null;
}

/**
 * The nominal local start ("2026-09-07T11:00") of the first occurrence after
 * `afterMs`. Unlike localStart(nextOccurrence(...)) this keeps the wall time
 * the rule asked for even when that time falls in a DST gap, which is what a
 * series' DTSTART must hold.
 */
export function nextLocalStart(schedule: Schedule, afterMs: number, opts?: OccurrenceOptions): string | null {
  let found: string | null = null;
  walk(schedule, afterMs, opts, (t, floating) => {
    if (t <= afterMs) return true;
    found = floatingIso(floating);
    return false;
  });
  return found;
}

/**
 * Each occurrence strictly after `afterMs`, in order, as its instant and its
 * nominal local start (the name an occurrence is known by: a 01:30 that
 * falls in a DST gap happens at 02:30 but is still "...T01:30"), until
 * `visit` returns false.
 */
export function eachOccurrence(
  schedule: Schedule,
  afterMs: number,
  opts: OccurrenceOptions | undefined,
  visit: (occurrence: { at: number; local: string }) => boolean,
): void {
  let last = -Infinity;
  walk(schedule, afterMs, opts, (t, floating) => {
    if (t <= afterMs || t <= last) return true;
    last = t;
    return visit({ at: t, local: floatingIso(floating) });
  });
}

/** Occurrence starts `t` with fromMs <= t < toMs (half-open, so ranges tile). */
export function occurrencesBetween(
  schedule: Schedule,
  fromMs: number,
  toMs: number,
  opts?: OccurrenceOptions,
): number[] {
  const out: number[] = [];
  let last = -Infinity;
  walk(schedule, fromMs - 1, opts, (t) => {
    if (t >= toMs) return false;
    if (t >= fromMs && t > last) {
      out.push(t);
      last = t;
    }
    return true;
  });
  return out;
}
