import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { addBusinessTime, businessTimeBetween, type BusinessHours } from "../../commands/clinic/business-hours.ts";

const ZONE = "Europe/London";
const HOURS: BusinessHours = { zone: ZONE, days: [1, 2, 3, 4, 5], startMinute: 9 * 60, endMinute: 17 * 60 + 30 };
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const show = (ms: number) => DateTime.fromMillis(ms, { zone: ZONE }).toFormat("ccc yyyy-MM-dd HH:mm");
const H = 3600_000;

describe("business time", () => {
  it("counts only opening hours: Friday 16:00 plus 4 hours is Monday 11:30, plus 24 is Wednesday 14:30", () => {
    expect(show(addBusinessTime(at("2026-08-14T16:00"), 4 * H, HOURS))).toBe("Mon 2026-08-17 11:30");
    expect(show(addBusinessTime(at("2026-08-14T16:00"), 24 * H, HOURS))).toBe("Wed 2026-08-19 14:30");
  });

  it("starts counting at the next opening when asked out of hours", () => {
    expect(show(addBusinessTime(at("2026-08-15T11:00"), 4 * H, HOURS))).toBe("Mon 2026-08-17 13:00");
    expect(show(addBusinessTime(at("2026-08-17T07:30"), 30 * 60_000, HOURS))).toBe("Mon 2026-08-17 09:30");
    expect(show(addBusinessTime(at("2026-08-17T17:30"), H, HOURS))).toBe("Tue 2026-08-18 10:00");
  });

  it("keeps opening at 09:00 local across the clocks going back", () => {
    // British Summer Time ends on Sunday 25 October 2026.
    expect(show(addBusinessTime(at("2026-10-23T17:00"), H, HOURS))).toBe("Mon 2026-10-26 09:30");
  });

  it("honours other opening days and hours", () => {
    const weekend: BusinessHours = { zone: ZONE, days: [6, 7], startMinute: 10 * 60, endMinute: 14 * 60 };
    expect(show(addBusinessTime(at("2026-08-17T09:00"), 5 * H, weekend))).toBe("Sun 2026-08-23 11:00");
  });

  it("measures back exactly what it added, for any start and any amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: at("2026-01-01T00:00"), max: at("2027-01-01T00:00") }), fc.integer({ min: 0, max: 80 * H }), (from, ms) => {
        const due = addBusinessTime(from, ms, HOURS);
        expect(due).toBeGreaterThanOrEqual(from);
        expect(businessTimeBetween(from, due, HOURS)).toBe(ms);
      }),
      { numRuns: 300 },
    );
  });
});
