// A meeting's occurrences as people see them: the rule's dates minus skips,
// moved ones at their new time (even past the next date), in order.
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { occurrencesOn } from "../../commands/meetings/lookup.ts";
import { Series } from "../../commands/meetings/series.ts";
import type { Meeting, MeetingException } from "../../db/meetings.ts";

const london = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/London" }).toMillis();
const local = (ms: number) => DateTime.fromMillis(ms, { zone: "Europe/London" }).toFormat("yyyy-MM-dd'T'HH:mm");

const weekly = { id: 1, start: "2026-08-20T14:00", zone: "Europe/London", rrule: "FREQ=WEEKLY;BYDAY=TH", durationMinutes: 60 } as Meeting;
const exception = (occurrence: string, kind: "skip" | "move", movedTo: string | null = null): MeetingException => ({
  meetingId: 1, occurrence, kind, movedTo, movedAt: movedTo ? london(movedTo) : null, by: 1, at: 0,
});

describe("Series", () => {
  const series = new Series(weekly, [exception("2026-08-27T14:00", "skip"), exception("2026-09-03T14:00", "move", "2026-09-12T10:00")]);

  it("lists occurrences in order of actual start, skips left out, a move placed at its new time", () => {
    const got = series.after(london("2026-08-17T09:00"), 4).map((o) => `${o.key}@${local(o.start)}${o.moved ? " moved" : ""}`);
    expect(got).toEqual([
      "2026-08-20T14:00@2026-08-20T14:00",
      "2026-09-10T14:00@2026-09-10T14:00",
      "2026-09-03T14:00@2026-09-12T10:00 moved",
      "2026-09-17T14:00@2026-09-17T14:00",
    ]);
  });

  it("finds an occurrence by its name, at its actual time; not a skipped one, not one the rule never makes", () => {
    expect(local(series.find("2026-09-03T14:00")!.start)).toBe("2026-09-12T10:00");
    expect(series.find("2026-08-27T14:00")).toBeUndefined();
    expect(series.find("2026-08-21T14:00")).toBeUndefined();
    expect(series.find("not a date")).toBeUndefined();
  });

  it("knows the occurrence under way, counting a grace period after its end", () => {
    const grace = 30 * 60_000;
    expect(series.current(london("2026-08-20T15:20"), grace)?.key).toBe("2026-08-20T14:00");
    expect(series.current(london("2026-08-20T15:31"), grace)).toBeUndefined();
    expect(series.current(london("2026-08-20T13:59"), grace)).toBeUndefined();
  });

  it("names an occurrence by its original date or its new one, even when moved far", () => {
    expect(occurrencesOn(series, "2026-09-03").map((o) => o.key)).toEqual(["2026-09-03T14:00"]);
    expect(occurrencesOn(series, "2026-09-12").map((o) => o.key)).toEqual(["2026-09-03T14:00"]);
    expect(occurrencesOn(series, "2026-09-04")).toEqual([]);
  });

  it("gives the latest occurrence that has started", () => {
    expect(series.lastStarted(london("2026-09-11T09:00"))?.key).toBe("2026-09-10T14:00");
    expect(series.lastStarted(london("2026-08-19T09:00"))).toBeUndefined();
  });
});
