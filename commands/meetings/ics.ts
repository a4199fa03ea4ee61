// RFC 5545 iCalendar output for a group's meetings.
//
// Events are written in the group's zone (DTSTART;TZID=Europe/London:...)
// rather than UTC so calendar apps keep "11:00 local" across DST, exactly as
// recurrence.ts does. That only works if the file also carries a VTIMEZONE
// describing the zone, which we derive from luxon's offsets rather than a
// hand-written table, so any IANA zone works.

import { DateTime, IANAZone } from "luxon";
import { floatingToInstant, parseLocalIso } from "./recurrence.ts";

export type CalendarEvent = {
  uid: string;
  title: string;
  /** Local ISO start in the calendar's zone, e.g. "2026-08-23T11:00". */
  start: string;
  durationMinutes: number;
  /** RRULE value without "RRULE:". */
  rrule?: string;
  /** Local ISO starts of cancelled occurrences. */
  exdates?: string[];
  location?: string;
  description?: string;
  sequence?: number;
  status?: "CONFIRMED" | "CANCELLED";
  /** For a moved occurrence of a series: the local start it replaces (same UID as the series). */
  recurrenceId?: string;
  /** IANA zone of `start` and `exdates` when not the calendar's own (each zone gets its VTIMEZONE). */
  zone?: string;
};

export type CalendarInput = {
  name: string;
  zone: string;
  prodId?: string;
  events: CalendarEvent[];
  /** DTSTAMP for every event; passed in because the bot's clock is injected. */
  stampMs: number;
};

const MINUTE = 60_000;
const DAY = 86_400_000;
const CRLF = "\r\n";

// ---- Lexical helpers -----------------------------------------------------

/** Escape a TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma, newlines. */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, "\\\\")
    .replace(/;/g, "\\;")
    .replace(/,/g, "\\,")
    .replace(/\r\n|\r|\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, ""); // other controls are not allowed in TEXT
}

function utf8Length(codePoint: number): number {
  return codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
}

/**
 * Fold a content line at 75 octets (RFC 5545 3.1): continuation lines start
 * with one space, which counts towards their 75. We split between code points
 * so a multi-byte UTF-8 character is never cut in half.
 */
export function foldLine(line: string): string {
  const pieces: string[] = [];
  let current = "";
  let bytes = 0;
  let limit = 75;
  for (const ch of line) {
    const size = utf8Length(ch.codePointAt(0)!);
    if (bytes + size > limit) {
      pieces.push(current);
      current = "";
      bytes = 0;
      limit = 74; // the leading space takes one octet
    }
    current += ch;
    bytes += size;
  }
  pieces.push(current);
  return pieces.join(`${CRLF} `);
}

/** "2026-08-23T11:00" -> "20260823T110000" (floating local form). */
function localStamp(floating: number): string {
  return new Date(floating).toISOString().slice(0, 19).replace(/[-:]/g, "");
}

function utcStamp(ms: number): string {
  return `${localStamp(ms)}Z`;
}

/** TZID parameter value, quoted if it holds characters param-text forbids. */
function tzidParam(zone: string): string {
  return /[;:,"]/.test(zone) ? `"${zone.replace(/"/g, "")}"` : zone;
}

/** Offset in minutes -> "+0100" / "-0330". */
function formatOffset(minutes: number): string {
  const sign = minutes < 0 ? "-" : "+";
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}${String(abs % 60).padStart(2, "0")}`;
}

// ---- VTIMEZONE -----------------------------------------------------------

type Transition = { at: number; from: number; to: number };

/** Offset changes during a calendar year, found by daily steps then bisection to the minute. */
function transitionsIn(zone: string, year: number): Transition[] {
  const tz = IANAZone.create(zone);
  const found: Transition[] = [];
  const end = Date.UTC(year + 1, 0, 1);
  let prev = tz.offset(Date.UTC(year, 0, 1));
  for (let day = Date.UTC(year, 0, 1); day < end; day += DAY) {
    const next = Math.min(day + DAY, end);
    const offset = tz.offset(next);
    if (offset === prev) continue;
    let lo = day; // still the old offset
    let hi = next; // already the new one
    while (hi - lo > MINUTE) {
      const mid = lo + Math.floor((hi - lo) / 2 / MINUTE) * MINUTE;
      if (tz.offset(mid) === prev) lo = mid;
      else hi = mid;
    }
    found.push({ at: hi, from: prev, to: offset });
    prev = offset;
  }
  return found;
}

/** Short zone name ("BST") when the platform has a real abbreviation, else none. */
function tzName(zone: string, at: number): string | null {
  // ICU only knows some abbreviations per locale: "BST" under en-GB, "EST" under en-US.
  for (const locale of ["en-GB", "en-US"]) {
    const name = DateTime.fromMillis(at, { zone }).setLocale(locale).offsetNameShort ?? "";
    if (/^[A-Z]{2,6}$/.test(name)) return name;
  }
  return null;
}

/** The transition's local wall time (in the offset before it), as the floating ms DTSTART needs. */
const wallTime = (t: Transition) => t.at + t.from * MINUTE;

/** "the last Sunday of March at 01:00"-style key; equal keys mean one yearly RRULE fits. */
function ruleKey(t: Transition): { key: string; rrule: string } {
  const d = new Date(wallTime(t));
  const day = d.getUTCDate();
  const daysInMonth = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  const nth = day + 7 > daysInMonth ? -1 : Math.ceil(day / 7);
  const wd = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"][d.getUTCDay()];
  const rrule = `FREQ=YEARLY;BYMONTH=${d.getUTCMonth() + 1};BYDAY=${nth}${wd}`;
  return { key: `${rrule}|${d.toISOString().slice(11, 19)}|${t.from}|${t.to}`, rrule };
}

function observance(zone: string, t: Transition, rrule?: string): string[] {
  const kind = t.to > t.from ? "DAYLIGHT" : "STANDARD";
  const name = tzName(zone, t.at);
  return [
    `BEGIN:${kind}`,
    `DTSTART:${localStamp(wallTime(t))}`,
    `TZOFFSETFROM:${formatOffset(t.from)}`,
    `TZOFFSETTO:${formatOffset(t.to)}`,
    ...(rrule ? [`RRULE:${rrule}`] : []),
    ...(name ? [`TZNAME:${name}`] : []),
    `END:${kind}`,
  ];
}

/**
 * VTIMEZONE for `zone` covering fromYear..toYear. If every year in the range
 * has the same pair of changes (e.g. last Sunday of March / October), emit one
 * STANDARD and one DAYLIGHT with a yearly RRULE, which also covers open-ended
 * series. Otherwise list each change explicitly; the last one then holds for
 * later years. A zone with no changes gets a single STANDARD observance.
 */
export function buildTimezone(zone: string, fromYear: number, toYear: number): string[] {
  const all: Transition[] = [];
  const perYear: Transition[][] = [];
  for (let y = fromYear; y <= toYear; y++) {
    const ts = transitionsIn(zone, y);
    perYear.push(ts);
    all.push(...ts);
  }
  const lines = ["BEGIN:VTIMEZONE", `TZID:${zone}`];
  if (all.length === 0) {
    const offset = IANAZone.create(zone).offset(Date.UTC(fromYear, 0, 1));
    const fixed = { at: Date.UTC(1970, 0, 1) - offset * MINUTE, from: offset, to: offset };
    lines.push(...observance(zone, fixed));
  } else {
    const first = perYear[0] ?? [];
    const keys = first.map((t) => ruleKey(t).key);
    const regular =
      first.length === 2 &&
      first.some((t) => t.to > t.from) &&
      first.some((t) => t.to < t.from) &&
      perYear.every((ts) => ts.length === 2 && ts.every((t, i) => ruleKey(t).key === keys[i]));
    if (regular) for (const t of first) lines.push(...observance(zone, t, ruleKey(t).rrule));
    else for (const t of all) lines.push(...observance(zone, t));
  }
  lines.push("END:VTIMEZONE");
  return lines;
}

// ---- VEVENT / VCALENDAR --------------------------------------------------

/** 150 -> "PT2H30M" (an exact duration, RFC 5545 3.3.6). */
function isoDuration(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = Math.round(minutes % 60);
  return `PT${h ? `${h}H` : ""}${m || !h ? `${m}M` : ""}`;
}

function eventLines(e: CalendarEvent, zone: string, stamp: string): string[] {
  if (!Number.isFinite(e.durationMinutes) || e.durationMinutes <= 0) {
    throw new Error(`Event ${e.uid}: durationMinutes must be positive`);
  }
  const tzid = tzidParam(zone);
  const startFloating = parseLocalIso(e.start);
  // DTEND is the real end instant shown in local time, so the length is exact even across a DST change.
  // But a local end that occurs twice (the clocks going back) would be read as its first occurrence
  // (RFC 5545 3.3.5), so then the length is given as an exact DURATION instead.
  const endMs = floatingToInstant(startFloating, zone) + e.durationMinutes * MINUTE;
  const endFloating = endMs + IANAZone.create(zone).offset(endMs) * MINUTE;
  const end = floatingToInstant(endFloating, zone) === endMs ? `DTEND;TZID=${tzid}:${localStamp(endFloating)}` : `DURATION:${isoDuration(e.durationMinutes)}`;
  const lines = [
    "BEGIN:VEVENT",
    `UID:${escapeText(e.uid)}`,
    `DTSTAMP:${stamp}`,
    `DTSTART;TZID=${tzid}:${localStamp(startFloating)}`,
    end,
    ...(e.recurrenceId ? [`RECURRENCE-ID;TZID=${tzid}:${localStamp(parseLocalIso(e.recurrenceId))}`] : []),
    `SUMMARY:${escapeText(e.title)}`,
  ];
  if (e.rrule) lines.push(`RRULE:${e.rrule.replace(/^RRULE:/i, "").toUpperCase()}`);
  if (e.rrule && e.exdates?.length) {
    lines.push(`EXDATE;TZID=${tzid}:${e.exdates.map((x) => localStamp(parseLocalIso(x))).join(",")}`);
  }
  if (e.location) lines.push(`LOCATION:${escapeText(e.location)}`);
  if (e.description) lines.push(`DESCRIPTION:${escapeText(e.description)}`);
  if (e.sequence !== undefined) lines.push(`SEQUENCE:${Math.trunc(e.sequence)}`);
  if (e.status) lines.push(`STATUS:${e.status}`);
  lines.push("END:VEVENT");
  return lines;
}

/** Years the VTIMEZONE must describe: a year before the earliest date through a year after the latest. */
function yearSpan(events: CalendarEvent[], stampMs: number): [number, number] {
  const years = events.flatMap((e) => [e.start, ...(e.exdates ?? [])].map((iso) => Number(iso.slice(0, 4))));
  if (years.length === 0) years.push(new Date(stampMs).getUTCFullYear());
  return [Math.min(...years) - 1, Math.max(...years) + 1];
}

/** A complete VCALENDAR: CRLF line endings, folded at 75 octets, ending with CRLF. */
export function buildCalendar(input: CalendarInput): string {
  const zones = [...new Set([input.zone, ...input.events.map((e) => e.zone ?? input.zone)])];
  for (const zone of zones) if (!IANAZone.isValidZone(zone)) throw new Error(`Unknown time zone: ${zone}`);
  const stamp = utcStamp(input.stampMs);
  const [fromYear, toYear] = yearSpan(input.events, input.stampMs);
  const lines = [
    "BEGIN:VCALENDAR",
    "VERSION:2.0",
    `PRODID:${escapeText(input.prodId ?? "-//coopbot//meetings//EN")}`,
    "CALSCALE:GREGORIAN",
    "METHOD:PUBLISH",
    `X-WR-CALNAME:${escapeText(input.name)}`,
    `X-WR-TIMEZONE:${input.zone}`,
    ...zones.flatMap((zone) => buildTimezone(zone, fromYear, toYear)),
    ...input.events.flatMap((e) => eventLines(e, e.zone ?? input.zone, stamp)),
    "END:VCALENDAR",
  ];
  return lines.map(foldLine).join(CRLF) + CRLF;
}
