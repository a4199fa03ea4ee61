// A config mistake names the file, the line and column, the field, what was
// expected and what was there: an operator fixes it without reading code.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";

const dir = mkdtempSync(join(tmpdir(), "coopbot-config-errors-"));
const problemsIn = (name: string, text: string): string[] => {
  const path = join(dir, name);
  writeFileSync(path, text);
  try {
    loadConfig(path, capabilities);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).message.split("\n")[0]).toBe(`config error in ${path}:`);
    return (err as ConfigError).problems;
  }
  throw new Error("the config was accepted");
};

describe("YAML", () => {
  it("names the line and column of a wrong value, what was expected and what was there", () => {
    const problems = problemsIn("values.yaml", ["timezone: Europe/London", "storage:", "  retentionDays: 1", "  synchronous: sometimes", "http:", '  port: "eighty"', "backups:", "  every: soon"].join("\n"));
    expect(problems).toEqual(
      expect.arrayContaining([
        "line 3, column 18: storage.retentionDays: Too small: expected number to be >=2 (got 1)",
        'line 4, column 16: storage.synchronous: Invalid option: expected one of "normal"|"full" (got "sometimes")',
        'line 6, column 9: http.port: Invalid input: expected number, received string (got "eighty")',
        'line 8, column 10: backups.every: expected a duration like 1d or 12h (s, m, h, d, w) (got "soon")',
      ]),
    );
    expect(problems).toHaveLength(4);
  });

  it("points at a misspelt key and suggests the one meant", () => {
    expect(problemsIn("typo.yaml", "timezone: UTC\nstorage:\n  retentionDay: 3\ntimzone: UTC\n")).toEqual([
      'line 3, column 3: storage.retentionDay: Unrecognized key "retentionDay"; did you mean "retentionDays"?',
      'line 4, column 1: timzone: Unrecognized key "timzone"; did you mean "timezone"?',
    ]);
  });

  it("lists the keys there are when nothing is close", () => {
    const [problem] = problemsIn("unknown.yaml", "shutdown:\n  whenever: 3\n");
    expect(problem).toBe('line 2, column 3: shutdown.whenever: Unrecognized key "whenever"; expected one of grace');
  });

  it("points a missing key at the section it is missing from", () => {
    const [problem] = problemsIn("missing.yaml", "http:\n  host: 0.0.0.0\n");
    expect(problem).toBe("line 2, column 3: http.port: missing (Invalid input: expected number)");
  });

  it("names the place where the text stops being YAML", () => {
    expect(problemsIn("broken.yaml", "admins:\n  - console:a\n  bad: [\n")).toEqual([expect.stringMatching(/^line 3, column \d+: not valid YAML: /)]);
  });
});

describe("JSON", () => {
  it("names the line and column of a wrong value", () => {
    expect(problemsIn("values.json", '{\n  "timezone": "UTC",\n  "storage": { "retentionDays": "x" }\n}\n')).toEqual([
      'line 3, column 33: storage.retentionDays: Invalid input: expected number, received string (got "x")',
    ]);
  });

  it("names the place where the text stops being JSON", () => {
    expect(problemsIn("broken.json", '{\n  "timezone": "UTC",\n  "admins": [1,]\n}\n')).toEqual([expect.stringMatching(/^line 3, column 16: not valid JSON: /)]);
  });
});
