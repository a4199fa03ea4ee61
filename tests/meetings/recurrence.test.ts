import { describe, it, expect } from "vitest";
import {
  localStart,
  nextOccurrence,
  nextOccurrences,
  occurrencesBetween,
  type Schedule,
} from "../../commands/meetings/recurrence.ts";

const LONDON = "Europe/London";
const utc = (iso: string) => Date.parse(`${iso}Z`);
const isoUtc = (ms: number) => new Date(ms).toISOString().slice(0, 16);
const locals = (ms: number[], zone = LONDON) => ms.map((t) => localStart(t, zone));

describe("fortnightly Monday 11:00 Europe/London from 2026-03-16", () => {
  const s: Schedule = { start: "2026-03-16T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" };
  const all = occurrencesBetween(s, utc("2026-03-01T00:00"), utc("2026-12-01T00:00"));

  it("stays at 11:00 local on every occurrence through 2026-11-30", () => {
    expect(all.length).toBe(19); // 16 Mar + 14 days x 18 = 23 Nov
    for (const t of all) expect(localStart(t, LONDON).slice(11)).toBe("11:00");
    expect(localStart(all[0]!, LONDON)).toBe("2026-03-16T11:00");
    expect(localStart(all[all.length - 1]!, LONDON)).toBe("2026-11-23T11:00");
  });

  it("is 11:00 UTC before 29 Mar and after 25 Oct, 10:00 UTC in between", () => {
    for (const t of all) {
      const inBst = t > utc("2026-03-29T01:00") && t < utc("2026-10-25T01:00");
      expect(new Date(t).getUTCHours()).toBe(inBst ? 10 : 11);
    }
    const around = all.map(isoUtc).filter((d) => /^2026-(03|10)-/.test(d));
    expect(around).toEqual(["2026-03-16T11:00", "2026-03-30T10:00", "2026-10-12T10:00", "2026-10-26T11:00"]);
  });

  it("skips exdates given as local starts", () => {
    const next = nextOccurrences(s, utc("2026-03-16T12:00"), 2, { exdates: ["2026-03-30T11:00"] });
    expect(locals(next)).toEqual(["2026-04-13T11:00", "2026-04-27T11:00"]);
  });

  it("returns occurrences strictly after afterMs", () => {
    expect(localStart(nextOccurrence(s, utc("2026-03-16T11:00"))!, LONDON)).toBe("2026-03-30T11:00");
    expect(localStart(nextOccurrence(s, utc("2026-03-16T10:59"))!, LONDON)).toBe("2026-03-16T11:00");
  });
});

describe("monthly on the first Tuesday at 18:30", () => {
  it("gives exactly the twelve first Tuesdays of 2027", () => {
    const s: Schedule = { start: "2026-09-01T18:30", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=1TU" };
    const got = occurrencesBetween(s, utc("2027-01-01T00:00"), utc("2028-01-01T00:00"));
    expect(locals(got)).toEqual(
      ["2027-01-05", "2027-02-02", "2027-03-02", "2027-04-06", "2027-05-04", "2027-06-01",
       "2027-07-06", "2027-08-03", "2027-09-07", "2027-10-05", "2027-11-02", "2027-12-07"].map((d) => `${d}T18:30`),
    );
  });
});

describe("other monthly and weekday rules", () => {
  it("last Friday of the month lands on the last Friday, including 5-Friday months", () => {
    const s: Schedule = { start: "2026-08-28T16:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=-1FR" };
    expect(locals(nextOccurrences(s, utc("2026-08-28T16:00"), 6))).toEqual(
      ["2026-09-25", "2026-10-30", "2026-11-27", "2026-12-25", "2027-01-29", "2027-02-26"].map((d) => `${d}T16:00`),
    );
  });

  it("2nd and 4th Thursday gives both Thursdays of each month in order", () => {
    const s: Schedule = { start: "2026-08-27T19:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=2TH,4TH" };
    expect(locals(nextOccurrences(s, utc("2026-09-01T00:00"), 8))).toEqual(
      ["2026-09-10", "2026-09-24", "2026-10-08", "2026-10-22", "2026-11-12", "2026-11-26", "2026-12-10", "2026-12-24"]
        .map((d) => `${d}T19:00`),
    );
  });

  it("every weekday skips weekends and keeps 09:30 local across the October change", () => {
    const s: Schedule = { start: "2026-10-23T09:30", zone: LONDON, rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" };
    const got = nextOccurrences(s, utc("2026-10-22T00:00"), 7);
    expect(locals(got)).toEqual(
      ["2026-10-23", "2026-10-26", "2026-10-27", "2026-10-28", "2026-10-29", "2026-10-30", "2026-11-02"].map((d) => `${d}T09:30`),
    );
    expect(isoUtc(got[0]!)).toBe("2026-10-23T08:30");
    expect(isoUtc(got[1]!)).toBe("2026-10-26T09:30");
  });

  it("monthly on the 15th gives the 15th of each month", () => {
    const s: Schedule = { start: "2026-09-15T10:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYMONTHDAY=15" };
    expect(locals(nextOccurrences(s, utc("2026-08-19T09:00"), 5))).toEqual(
      ["2026-09-15", "2026-10-15", "2026-11-15", "2026-12-15", "2027-01-15"].map((d) => `${d}T10:00`),
    );
  });

  it("monthly on the 31st skips months without a 31st", () => {
    const s: Schedule = { start: "2026-01-31T10:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYMONTHDAY=31" };
    expect(locals(nextOccurrences(s, utc("2026-02-01T00:00"), 3))).toEqual(
      ["2026-03-31T10:00", "2026-05-31T10:00", "2026-07-31T10:00"],
    );
  });

  it("skips several exdates and still returns the requested count", () => {
    const s: Schedule = { start: "2026-09-15T10:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYMONTHDAY=15" };
    const got = nextOccurrences(s, utc("2026-09-01T00:00"), 3, { exdates: ["2026-09-15T10:00", "2026-11-15T10:00"] });
    expect(locals(got)).toEqual(["2026-10-15T10:00", "2026-12-15T10:00", "2027-01-15T10:00"]);
  });
});

describe("long-running series", () => {
  const s: Schedule = { start: "2021-08-16T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" };

  it("nextOccurrence for a fortnightly series started 5 years ago keeps the original fortnight", () => {
    // 2021-08-16 -> 2026-08-24 is 1834 days = 131 fortnights.
    expect(localStart(nextOccurrence(s, utc("2026-08-19T09:00"))!, LONDON)).toBe("2026-08-24T11:00");
    expect(localStart(nextOccurrence(s, utc("2026-08-24T10:00"))!, LONDON)).toBe("2026-09-07T11:00");
  });

  it("nextOccurrence for a monthly series started years ago agrees with full expansion", () => {
    const monthly: Schedule = { start: "2019-01-31T18:30", zone: LONDON, rrule: "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TH,4TH" };
    const full: Schedule = { ...monthly, rrule: `${monthly.rrule};COUNT=1000` }; // COUNT disables skipping ahead
    for (const after of ["2024-02-10T00:00", "2026-03-29T00:30", "2026-10-25T01:30", "2030-12-31T23:59"]) {
      expect(nextOccurrences(monthly, utc(after), 4)).toEqual(nextOccurrences(full, utc(after), 4));
    }
  });

  it("stops at the end of a COUNT-limited series", () => {
    const short: Schedule = { start: "2026-01-05T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;COUNT=3" };
    expect(locals(nextOccurrences(short, 0, 10))).toEqual(["2026-01-05T11:00", "2026-01-12T11:00", "2026-01-19T11:00"]);
    expect(nextOccurrence(short, utc("2026-01-20T00:00"))).toBeNull();
  });
});

describe("DST edge cases", () => {
  const daily: Schedule = { start: "2026-03-27T01:30", zone: LONDON, rrule: "FREQ=DAILY" };

  it("a time in the spring-forward gap is shifted forward (01:30 -> 02:30 BST = 01:30Z), like luxon", () => {
    const got = nextOccurrences(daily, utc("2026-03-28T12:00"), 2);
    expect(got.map(isoUtc)).toEqual(["2026-03-29T01:30", "2026-03-30T00:30"]);
    expect(locals(got)).toEqual(["2026-03-29T02:30", "2026-03-30T01:30"]);
  });

  it("an ambiguous fall-back time resolves to the earlier instant (01:30 BST = 00:30Z)", () => {
    const got = nextOccurrences(daily, utc("2026-10-24T12:00"), 2);
    expect(got.map(isoUtc)).toEqual(["2026-10-25T00:30", "2026-10-26T01:30"]);
  });

  it("a one-off is returned once and only if after afterMs", () => {
    const once: Schedule = { start: "2026-08-23T11:00", zone: LONDON };
    expect(nextOccurrences(once, utc("2026-08-01T00:00"), 5).map(isoUtc)).toEqual(["2026-08-23T10:00"]);
    expect(nextOccurrence(once, utc("2026-08-23T10:00"))).toBeNull();
  });

  it("a zone without DST keeps a constant UTC time (Asia/Kolkata 11:00 = 05:30Z)", () => {
    const s: Schedule = { start: "2026-03-16T11:00", zone: "Asia/Kolkata", rrule: "FREQ=WEEKLY;BYDAY=MO" };
    const got = occurrencesBetween(s, utc("2026-03-01T00:00"), utc("2026-11-30T00:00"));
    expect(new Set(got.map((t) => isoUtc(t).slice(11)))).toEqual(new Set(["05:30"]));
  });

  it("occurrencesBetween is half-open [from, to)", () => {
    const s: Schedule = { start: "2026-09-15T10:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYMONTHDAY=15" };
    const got = occurrencesBetween(s, utc("2026-09-15T09:00"), utc("2026-10-15T09:00"));
    expect(got.map(isoUtc)).toEqual(["2026-09-15T09:00"]);
  });
});
