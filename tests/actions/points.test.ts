// The counting rules: breadth beats volume, repeated thanks count less,
// journeys complete with distinct jobs, periods follow the federation's zone.
import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import type { CountedAction } from "../../db/actions.ts";
import { completions, journeyProgress } from "../../commands/actions/journeys.ts";
import { calendarMonth, parseDoneDate, parsePeriod } from "../../commands/actions/periods.ts";
import { halvingFactor, oneIn, pointsByMember, scoreActions, thanksWeight } from "../../commands/actions/points.ts";

const ZONE = "Europe/London";
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
let nextId = 1;
function action(memberId: number, job: { id: number; weight: number; journey?: string } | null, doneAt = at("2026-08-10T12:00")): CountedAction {
  return {
    id: nextId++,
    memberId,
    displayName: `m${memberId}`,
    jobId: job?.id ?? null,
    jobSlug: job ? `job-${job.id}` : null,
    jobTitle: job ? `Job ${job.id}` : null,
    journey: job ? (job.journey ?? "motivate") : null,
    weight: job?.weight ?? null,
    groupId: null,
    hours: null,
    note: "",
    doneAt,
    state: "verified",
    source: null,
    forgottenAt: null,
  };
}

describe("points", () => {
  it("counts a job's weight, then half, a quarter, ... for the same member doing the same job again in a period", () => {
    const share = { id: 1, weight: 2 };
    const scored = scoreActions([action(1, share), action(1, share), action(1, share), action(2, share)], 1);
    expect(scored.map((s) => [s.action.memberId, s.nth, s.points])).toEqual([
      [1, 1, 2],
      [1, 2, 1],
      [1, 3, 0.5],
      [2, 1, 2],
    ]);
  });

  it("orders by when the work was done, not when it was logged", () => {
    const share = { id: 1, weight: 1 };
    const late = action(1, share, at("2026-08-20T12:00"));
    const early = action(1, share, at("2026-08-02T12:00"));
    const scored = scoreActions([late, early], 1);
    expect(scored.find((s) => s.action === early)!.nth).toBe(1);
    expect(scored.find((s) => s.action === late)!.nth).toBe(2);
  });

  it("puts free-text actions in one bucket of the configured weight", () => {
    const scored = scoreActions([action(1, null), action(1, null)], 1.5);
    expect(scored.map((s) => s.points)).toEqual([1.5, 0.75]);
  });

  it("never lets one job earn more than twice its weight, so two different jobs beat any volume of one (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 10 }), (n, weight) => {
        const job = { id: 1, weight };
        const volume = pointsByMember(scoreActions(Array.from({ length: n }, () => action(1, job)), 1)).get(1)!;
        const breadth = pointsByMember(scoreActions([action(2, { id: 1, weight }), action(2, { id: 2, weight })], 1)).get(2)!;
        expect(volume).toBeLessThanOrEqual(2 * weight);
        expect(breadth).toBeGreaterThanOrEqual(volume);
      }),
    );
  });

  it("shows the factors people read: 1, ½, ¼, ⅛, 1/16; and 1/n for thanks", () => {
    expect([1, 2, 3, 4, 5].map(halvingFactor)).toEqual(["1", "½", "¼", "⅛", "1/16"]);
    expect([1, 2, 3, 4, 7].map(oneIn)).toEqual(["1", "½", "⅓", "¼", "1/7"]);
    expect([1, 2, 3, 4].map(thanksWeight)).toEqual([1, 0.5, 1 / 3, 0.25]);
  });
});

describe("journeys", () => {
  it("completes a journey at the N-th distinct job (repeats of one job don't complete it)", () => {
    const a = action(1, { id: 1, weight: 1, journey: "motivate" }, at("2026-08-01T12:00"));
    const repeats = [a, action(1, { id: 1, weight: 1, journey: "motivate" }), action(1, { id: 1, weight: 1, journey: "motivate" })];
    expect(completions(repeats, 3).size).toBe(0);
    const b = action(1, { id: 2, weight: 1, journey: "motivate" }, at("2026-08-05T12:00"));
    const c = action(1, { id: 3, weight: 1, journey: "motivate" }, at("2026-08-09T12:00"));
    const other = action(1, { id: 4, weight: 1, journey: "educate" }, at("2026-08-03T12:00"));
    expect(completions([c, a, b, other], 3).get(1)).toBe(c.doneAt);
    expect(journeyProgress([a, b, other], 3).get(1)!.get("motivate")!.jobs.size).toBe(2);
  });
});

describe("periods", () => {
  const now = at("2026-08-17T09:00");

  it("reads month, week, quarter, year, last-month and explicit months in the federation's zone", () => {
    expect(parsePeriod(undefined, now, ZONE)).toEqual({ label: "August 2026", from: at("2026-08-01T00:00"), to: at("2026-09-01T00:00") });
    expect(parsePeriod("week", now, ZONE)).toMatchObject({ from: at("2026-08-17T00:00"), to: at("2026-08-24T00:00") });
    expect(parsePeriod("last-month", now, ZONE)).toMatchObject({ label: "July 2026", from: at("2026-07-01T00:00") });
    expect(parsePeriod("quarter", now, ZONE)).toMatchObject({ label: "Q3 2026 (Jul–Sep)", from: at("2026-07-01T00:00"), to: at("2026-10-01T00:00") });
    expect(parsePeriod("2026-03", now, ZONE)).toMatchObject({ from: at("2026-03-01T00:00"), to: at("2026-04-01T00:00") });
    expect(parsePeriod("2026-q4", now, ZONE)).toMatchObject({ label: "Q4 2026 (Oct–Dec)" });
    expect(parsePeriod("2025", now, ZONE)).toMatchObject({ label: "2025" });
    expect(parsePeriod("2026-13", now, ZONE)).toBeUndefined();
    expect(parsePeriod("fortnight", now, ZONE)).toBeUndefined();
  });

  it("counts the thanks allowance per calendar month where the federation is, not in UTC", () => {
    // 31 Aug 23:30 in London is 22:30 UTC: still August. 1 Sep 00:30 in London is 31 Aug 23:30 UTC: September.
    expect(calendarMonth(at("2026-08-31T23:30"), ZONE).label).toBe("August 2026");
    expect(calendarMonth(at("2026-09-01T00:30"), ZONE).label).toBe("September 2026");
  });

  it("takes today, yesterday or a date, and refuses the future and the distant past", () => {
    expect(parseDoneDate(undefined, now, ZONE)).toEqual({ at: now });
    expect(parseDoneDate("yesterday", now, ZONE)).toEqual({ at: at("2026-08-16T12:00") });
    expect(parseDoneDate("2026-08-01", now, ZONE)).toEqual({ at: at("2026-08-01T12:00") });
    expect(parseDoneDate("2026-08-18", now, ZONE)).toEqual({ error: expect.stringMatching(/future/) });
    expect(parseDoneDate("2026-01-01", now, ZONE)).toEqual({ error: expect.stringMatching(/last 90 days/) });
    expect(parseDoneDate("2026-02-30", now, ZONE)).toEqual({ error: expect.stringMatching(/not a date/) });
  });
});
