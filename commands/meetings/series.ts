// A meeting's occurrences as people experience them: the rule's dates, minus
// skipped ones, with moved ones at their new time. Expansion is always
// bounded (from a given instant, until the visitor has enough), never the
// whole series.
import type { Meeting, MeetingException } from "../../db/meetings.ts";
import { eachOccurrence, floatingToInstant, parseLocalIso, type Schedule } from "./recurrence.ts";

export interface Occurrence {
  /** Nominal local start: the occurrence's name ("2026-08-24T11:00"), kept when it is moved. */
  key: string;
  /** Actual start and end (epoch ms). */
  start: number;
  end: number;
  moved: boolean;
}

const DAY = 86_400_000;
const MINUTE = 60_000;

export function scheduleOf(meeting: Pick<Meeting, "start" | "zone" | "rrule">): Schedule {
  return meeting.rrule ? { start: meeting.start, zone: meeting.zone, rrule: meeting.rrule } : { start: meeting.start, zone: meeting.zone };
}

/** The instant a nominal local start names in a zone (DST-gap times move forward). */
export function instantOf(local: string, zone: string): number {
  return floatingToInstant(parseLocalIso(local), zone);
}

export class Series {
  private readonly schedule: Schedule;
  private readonly skipped: Set<string>;
  /** Moved occurrences, by new start. */
  private readonly moves: Occurrence[];
  private readonly durationMs: number;

  constructor(
    readonly meeting: Meeting,
    exceptions: readonly MeetingException[],
  ) {
    this.schedule = scheduleOf(meeting);
    this.durationMs = meeting.durationMinutes * MINUTE;
    this.skipped = new Set(exceptions.filter((e) => e.kind === "skip").map((e) => e.occurrence));
    this.moves = exceptions
      .filter((e) => e.kind === "move" && e.movedAt !== null)
      .map((e) => this.occurrence(e.occurrence, e.movedAt!, true))
      .sort((a, b) => a.start - b.start);
  }

  private occurrence(key: string, start: number, moved: boolean): Occurrence {
    return { key, start, end: start + this.durationMs, moved };
  }

  /** Occurrences starting strictly after `afterMs`, in order of actual start, until `visit` returns false. */
  each(afterMs: number, visit: (o: Occurrence) => boolean): void {
    const moves = this.moves.filter((m) => m.start > afterMs);
    let m = 0;
    let going = true;
    const exdates = [...this.skipped, ...this.moves.map((x) => x.key)];
    eachOccurrence(this.schedule, afterMs, { exdates }, ({ at, local }) => {
      while (going && m < moves.length && moves[m]!.start < at) going = visit(moves[m++]!);
      if (going) going = visit(this.occurrence(local, at, false));
      return going;
    });
    while (going && m < moves.length) going = visit(moves[m++]!);
  }

  /** Up to `count` occurrences starting after `afterMs`. */
  after(afterMs: number, count: number): Occurrence[] {
    const out: Occurrence[] = [];
    if (count > 0) this.each(afterMs, (o) => out.push(o) < count);
    return out;
  }

  /** Occurrences starting in [fromMs, toMs). */
  between(fromMs: number, toMs: number): Occurrence[] {
    const out: Occurrence[] = [];
    this.each(fromMs - 1, (o) => o.start < toMs && out.push(o) > 0);
    return out;
  }

  /** The occurrence with this name, unless it was skipped or the rule never produces it. */
  find(key: string): Occurrence | undefined {
    if (this.skipped.has(key)) return undefined;
    const move = this.moves.find((x) => x.key === key);
    if (move) return move;
    let nominal: number;
    try {
      nominal = instantOf(key, this.meeting.zone);
    } catch {
      return undefined;
    }
    let found: Occurrence | undefined;
    eachOccurrence(this.schedule, nominal - DAY, { exdates: [...this.skipped] }, ({ at, local }) => {
      if (local === key) found = this.occurrence(local, at, false);
      return !found && at < nominal + DAY;
    });
    return found;
  }

  /** Moved occurrences originally on this local date ("2026-09-07"), wherever they went. */
  movedFrom(day: string): Occurrence[] {
    return this.moves.filter((m) => m.key.startsWith(`${day}T`));
  }

  isSkipped(key: string): boolean {
    return this.skipped.has(key);
  }

  /** The first occurrence that has not ended at `now` (it may be under way). */
  nextNotOver(now: number): Occurrence | undefined {
    return this.after(now - this.durationMs, 1)[0];
  }

  /** The occurrence under way at `now`, counting `graceMs` after its end. */
  current(now: number, graceMs: number): Occurrence | undefined {
    let found: Occurrence | undefined;
    this.each(now - this.durationMs - graceMs, (o) => {
      if (o.start <= now && now < o.end + graceMs) found = o;
      return !found && o.start <= now;
    });
    return found;
  }

  /** The latest occurrence that has started by `now`, looking back up to about two years. */
  lastStarted(now: number): Occurrence | undefined {
    for (const back of [62 * DAY, 800 * DAY]) {
      let last: Occurrence | undefined;
      this.each(now - back, (o) => {
        if (o.start > now) return false;
        last = o;
        return true;
      });
      if (last) return last;
    }
    return undefined;
  }
}
