import { describe, it, expect } from "vitest";
import { parseSchedule, describeRule, type Schedule } from "../../commands/meetings/when.ts";

const LONDON = "Europe/London";
// Wednesday 19 August 2026, 10:00 BST.
const NOW = Date.parse("2026-08-19T09:00:00Z");

function ok(when: string, every?: string, now = NOW): Schedule {
  const r = parseSchedule(every === undefined ? { when } : { when, every }, LONDON, now);
  if (!r.ok) throw new Error(`expected "${when}" / "${every}" to parse: ${r.error}`);
  return r.schedule;
}

function err(when: string, every?: string, now = NOW): string {
  const r = parseSchedule(every === undefined ? { when } : { when, every }, LONDON, now);
  if (r.ok) throw new Error(`expected "${when}" / "${every}" to fail, got ${JSON.stringify(r.schedule)}`);
  return r.error;
}

describe("one-off dates and times", () => {
  it.each([
    ["2026-08-23 11:00", "2026-08-23T11:00"],
    ["2026-08-23T11:00", "2026-08-23T11:00"],
    ["23 aug 11:00", "2026-08-23T11:00"],
    ["23 August 2026 at 11am", "2026-08-23T11:00"],
    ["aug 23rd at 6.30pm", "2026-08-23T18:30"],
    ["tomorrow 18:30", "2026-08-20T18:30"],
    ["tomorrow at noon", "2026-08-20T12:00"],
    ["tomorrow 11", "2026-08-20T11:00"],
    ["next monday 11:00", "2026-08-24T11:00"],
    ["monday 11:00", "2026-08-24T11:00"],
  ])("%s -> %s", (when, start) => {
    expect(ok(when)).toEqual({ start, zone: LONDON });
  });

  it("a bare weekday means today if the time is still ahead, otherwise next week", () => {
    expect(ok("wednesday 11:00").start).toBe("2026-08-19T11:00");
    expect(ok("wednesday 09:00").start).toBe("2026-08-26T09:00");
  });

  it("'next <weekday>' never means today", () => {
    expect(ok("next wednesday 11:00").start).toBe("2026-08-26T11:00");
  });

  it("a date without a year rolls over to next year once it has passed", () => {
    expect(ok("1 may 10:00").start).toBe("2027-05-01T10:00");
  });

  it("a one-off is checked against now in the group's zone, not UTC", () => {
    // 09:30 London is 08:30Z: past at 09:00Z even though 09:30 > 09:00.
    expect(err("2026-08-19 09:30")).toMatch(/past/);
    expect(ok("2026-08-19 10:30").start).toBe("2026-08-19T10:30");
  });
});

describe("recurring rules", () => {
  it.each([
    ["every fortnight on monday at 11:00", undefined, "2026-08-24T11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["fortnightly on mondays at 11:00", undefined, "2026-08-24T11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["every 2 weeks on monday 11:00", undefined, "2026-08-24T11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["weekly on wednesday at 18:00", undefined, "2026-08-19T18:00", "FREQ=WEEKLY;BYDAY=WE"],
    ["18:00", "weekly on wed", "2026-08-19T18:00", "FREQ=WEEKLY;BYDAY=WE"],
    ["every weekday at 9:30", undefined, "2026-08-20T09:30", "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR"],
    ["daily at 9", undefined, "2026-08-20T09:00", "FREQ=DAILY"],
    ["monthly on the first tuesday at 18:30", undefined, "2026-09-01T18:30", "FREQ=MONTHLY;BYDAY=1TU"],
    ["monthly on the 2nd and 4th thursday at 19:00", undefined, "2026-08-27T19:00", "FREQ=MONTHLY;BYDAY=2TH,4TH"],
    ["last friday of the month at 16:00", undefined, "2026-08-28T16:00", "FREQ=MONTHLY;BYDAY=-1FR"],
    ["16:00", "monthly on the last friday", "2026-08-28T16:00", "FREQ=MONTHLY;BYDAY=-1FR"],
    ["monthly on the 15th at 10:00", undefined, "2026-09-15T10:00", "FREQ=MONTHLY;BYMONTHDAY=15"],
    ["10:00", "every month on day 1", "2026-09-01T10:00", "FREQ=MONTHLY;BYMONTHDAY=1"],
    ["9am", "yearly on 1 may", "2027-05-01T09:00", "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1"],
    // --every reads as if "every" came first: the flag already says it.
    ["11:00", "fortnight on monday", "2026-08-24T11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
    ["18:30", "month on the first tuesday", "2026-09-01T18:30", "FREQ=MONTHLY;BYDAY=1TU"],
    ["monday 11:00", "2 weeks", "2026-08-24T11:00", "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO"],
  ])("%s (--every %s) starts %s with %s", (when, every, start, rrule) => {
    expect(ok(when, every)).toEqual({ start, zone: LONDON, rrule });
  });

  it("an explicit date plus --every starts on the first match on/after that date", () => {
    expect(ok("2026-09-07 11:00", "fortnightly on monday")).toEqual({
      start: "2026-09-07T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    });
    expect(ok("2026-09-08 11:00", "fortnightly on monday").start).toBe("2026-09-14T11:00");
  });

  it("takes the day from <when> when --every names only a frequency", () => {
    expect(ok("monday 11:00", "fortnightly")).toEqual({
      start: "2026-08-24T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
    });
  });

  it("a fortnightly rule said mid-week starts on the coming day, not a fortnight later", () => {
    // Said on Wednesday 19 Aug: the first Monday is 24 Aug, not 31 Aug.
    expect(ok("every fortnight on monday at 11:00").start).toBe("2026-08-24T11:00");
  });

  it("takes today's occurrence if its time is still ahead", () => {
    expect(ok("weekly on wednesday at 10:30").start).toBe("2026-08-19T10:30");
    expect(ok("weekly on wednesday at 09:30").start).toBe("2026-08-26T09:30");
  });
});

describe("parse errors are short and show examples", () => {
  const examples = (e: string) => (e.match(/"[^"]+"/g) ?? []).length >= 3;

  it("rejects unparseable text and shows 3 examples", () => {
    const e = err("banana o'clock");
    expect(e).toMatch(/couldn't understand/);
    expect(examples(e)).toBe(true);
  });

  it("rejects 31 February", () => {
    expect(err("31 feb 2027 10:00")).toMatch(/no 31 February/);
    expect(err("2027-02-31 10:00")).toMatch(/no 31 February/);
  });

  it("rejects 25:00 and 13pm", () => {
    expect(err("2026-08-23 25:00")).toMatch(/"25:00" isn't a time/);
    expect(err("tomorrow 13pm")).toMatch(/isn't a time/);
  });

  it("rejects a one-off in the past", () => {
    const e = err("2026-08-01 10:00");
    expect(e).toMatch(/in the past/);
    expect(examples(e)).toBe(true);
  });

  it("asks for a time when a weekly rule has none", () => {
    const e = err("weekly on wed");
    expect(e).toMatch(/add a time/);
    expect(examples(e)).toBe(true);
  });

  it("asks which day when a weekly rule names none", () => {
    expect(err("weekly at 10:00")).toMatch(/Which day/);
  });

  it("rejects a repeat given in both <when> and --every", () => {
    expect(err("weekly on monday 11:00", "fortnightly")).toMatch(/repeat once/);
  });

  it("rejects an unknown time zone", () => {
    expect(parseSchedule({ when: "tomorrow 10:00" }, "Mars/Olympus", NOW)).toMatchObject({ ok: false });
  });
});

describe("describeRule", () => {
  it.each([
    [{ start: "2026-08-24T11:00", zone: LONDON, rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" }, "every 2 weeks on Monday at 11:00 (Europe/London)"],
    [{ start: "2026-09-01T18:30", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=1TU" }, "monthly on the first Tuesday at 18:30 (Europe/London)"],
    [{ start: "2026-08-27T19:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=2TH,4TH" }, "monthly on the second and fourth Thursday at 19:00 (Europe/London)"],
    [{ start: "2026-08-28T16:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYDAY=-1FR" }, "monthly on the last Friday at 16:00 (Europe/London)"],
    [{ start: "2026-09-15T10:00", zone: LONDON, rrule: "FREQ=MONTHLY;BYMONTHDAY=15" }, "monthly on the 15th at 10:00 (Europe/London)"],
    [{ start: "2026-08-20T09:30", zone: LONDON, rrule: "FREQ=WEEKLY;BYDAY=MO,TU,WE,TH,FR" }, "every weekday at 09:30 (Europe/London)"],
    [{ start: "2027-05-01T09:00", zone: LONDON, rrule: "FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=1" }, "yearly on 1 May at 09:00 (Europe/London)"],
    [{ start: "2026-08-23T11:00", zone: LONDON }, "once, on Sunday 23 August 2026 at 11:00 (Europe/London)"],
  ])("%j -> %s", (schedule, text) => {
    expect(describeRule(schedule)).toBe(text);
  });
});

describe("series anchored on today", () => {
  it("a rule anchored on today never starts earlier today", () => {
    expect(ok("today 09:00", "daily")).toEqual({ start: "2026-08-20T09:00", zone: LONDON, rrule: "FREQ=DAILY" });
  });

  it("a rule anchored on an explicit earlier date keeps that start (the series already began)", () => {
    expect(ok("2026-08-03 11:00", "fortnightly").start).toBe("2026-08-03T11:00");
  });
});
