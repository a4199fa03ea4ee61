import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, buildConfig, loadConfig } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";

const dir = mkdtempSync(join(tmpdir(), "coopbot-config-"));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe("the config file", () => {
  it("loads the shipped example", () => {
    const config = loadConfig("examples/workers-coop.yaml", capabilities);
    expect(config.timezone).toBe("Europe/London");
    expect(config.admins).toContainEqual({ platform: "console", platformId: "admin" });
    expect(config.console.rooms.triage).toBe("private");
  });

  it("fills defaults for what it leaves out", () => {
    const config = buildConfig({}, capabilities);
    expect(config.timezone).toBe("Europe/London");
    expect(config.admins).toEqual([]);
  });

  it("names the field and the problem when a value is wrong", () => {
    const bad = file("bad.yaml", "timezone: Europe/Londn\nadmins:\n  - alice\n");
    expect(() => loadConfig(bad, capabilities)).toThrow(ConfigError);
    try {
      loadConfig(bad, capabilities);
    } catch (err) {
      expect((err as Error).message).toContain("timezone: not an IANA time zone");
      expect((err as Error).message).toContain("admins.0: expected platform:id");
    }
  });

  it("refuses keys it does not know, so a typo is not silently ignored", () => {
    expect(() => buildConfig({ timzone: "UTC" }, capabilities)).toThrow(/Unrecognized key.*timzone/);
  });

  it("reports unreadable YAML with the file name", () => {
    const broken = file("broken.yaml", "admins: [console:a\n");
    expect(() => loadConfig(broken, capabilities)).toThrow(/broken\.yaml[\s\S]*not valid YAML/);
  });

  it("reports a missing file clearly", () => {
    expect(() => loadConfig(join(dir, "nope.yaml"), capabilities)).toThrow(/cannot read the file/);
  });

  it("rejects an unknown platform in an admin identity", () => {
    expect(() => buildConfig({ admins: ["discord:123"] }, capabilities)).toThrow(/platform must be one of console, slack, matrix/);
  });
});
