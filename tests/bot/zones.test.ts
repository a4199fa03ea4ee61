import { describe, expect, it } from "vitest";
import { buildConfig } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";
import { checkZone, zoneWarningsOf } from "../../bot/zones.ts";

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

describe("time zones in the config file", () => {
  it("names each abbreviation where the file has it, the federation's and a group's, and passes region names quietly", () => {
    const config = buildConfig(
      {
        timezone: "EST",
        groups: [
          { slug: "comms", name: "Communications", kind: "working", timezone: "Europe/London" },
          { slug: "finance", name: "Finance", kind: "working", timezone: "CET" },
        ],
      },
      capabilities,
    );
    const warnings = zoneWarningsOf(config);
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toBe("timezone: EST is an abbreviation: it may be a fixed offset that never changes for summer time. If you mean US Eastern time (with its clock changes), use America/New_York.");
    expect(warnings[1]).toMatch(/^groups\[1\] \(finance\)\.timezone: CET is an abbreviation: .* use Europe\/Paris\.$/);
    expect(zoneWarningsOf(buildConfig({ timezone: "America/Toronto" }, capabilities))).toEqual([]);
  });
});
