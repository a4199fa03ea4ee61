import { describe, expect, it } from "vitest";
import { checkZone } from "../../bot/zones.ts";

describe("typed time zones", () => {
  it("takes a region name quietly", () => {
    expect(checkZone(" Europe/London ")).toEqual({ ok: true, zone: "Europe/London" });
    expect(checkZone("UTC")).toEqual({ ok: true, zone: "UTC" });
  });

  it("takes an abbreviation the database knows, with a warning naming the zone people usually mean", () => {
    const r = checkZone("EST");
    expect(r).toMatchObject({ ok: true, zone: "EST" });
    expect(r.ok && r.warning).toContain("If you mean US Eastern time (with its clock changes), use America/New_York.");
  });

  it("refuses an abbreviation the database doesn't know, suggesting the zone", () => {
    expect(checkZone("PDT")).toEqual({ ok: false, error: "`PDT` is not a time zone; use a name like Europe/London or America/Toronto. For US Pacific time, use America/Los_Angeles." });
    expect(checkZone("Mars/Olympus")).toMatchObject({ ok: false });
  });
});
