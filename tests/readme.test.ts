// The README's examples stay true: its config example is a valid config, and
// its quick-start commands exist.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { buildConfig } from "../bot/config.ts";
import { capabilities } from "../commands/index.ts";

const readme = readFileSync("README.md", "utf8");
const pkg = JSON.parse(readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };

describe("the README", () => {
  it("shows a config example the bot accepts", () => {
    const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
    expect(block).toBeDefined();
    const config = buildConfig(parse(block!), capabilities, "README.md");
    expect(config.timezone).toBe("Europe/London");
    expect(config.admins).toContainEqual({ platform: "matrix", platformId: "@john:example.org" });
  });

  it("quick-starts with exactly the two commands that npm can run", () => {
    const quick = /## Quick start[\s\S]*?```sh\n([\s\S]*?)```/.exec(readme)?.[1] ?? "";
    const commands = quick.split("\n").filter((l) => l.trim()).map((l) => l.replace(/#.*$/, "").trim());
    expect(commands).toEqual(["npm ci && npm start", "npm ci && npm test"]);
    expect(pkg.scripts.start).toBeDefined();
    expect(pkg.scripts.test).toBe("vitest run");
  });
});
