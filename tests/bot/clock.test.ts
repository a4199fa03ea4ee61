import { describe, expect, it } from "vitest";
import { ManualClock, formatDuration, parseDuration } from "../../bot/clock.ts";

describe("durations and the manual clock", () => {
  it("parses the durations transcripts and people write", () => {
    expect(parseDuration("2h30m")).toBe(9_000_000);
    expect(parseDuration("7d")).toBe(604_800_000);
    expect(parseDuration("1w2d")).toBe(9 * 86_400_000);
    expect(parseDuration("45M")).toBe(2_700_000);
  });

  it("rejects what is not a duration", () => {
    for (const bad of ["", "0m", "soon", "2 hours", "h2", "-1h", "1.5h"]) expect(parseDuration(bad)).toBeUndefined();
  });

  it("formats a duration back compactly", () => {
    expect(formatDuration(9_000_000)).toBe("2h30m");
    expect(formatDuration(90_061_000)).toBe("1d1h1m1s");
    expect(formatDuration(0)).toBe("0s");
  });

  it("moves only when told and never backwards by advance", () => {
    const clock = new ManualClock(1000);
    clock.advance(500);
    expect(clock.now()).toBe(1500);
    expect(() => clock.advance(-1)).toThrow();
    clock.set(10);
    expect(clock.now()).toBe(10);
  });
});
