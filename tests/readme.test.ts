// The README's examples stay true: its config example is a valid config, its
// quick-start commands exist, and its table of commands names every command.
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

  it("names every command the bot accepts (with the shipped config) in its table of who does what", () => {
    const start = readme.indexOf("| who | what |");
    const table = readme.slice(start, readme.indexOf("\n\n", start));
    const config = buildConfig(parse(readFileSync("examples/workers-coop.yaml", "utf8")), capabilities, "examples/workers-coop.yaml");
    const accepted = capabilities.flatMap((c) => c.commands ?? []).filter((c) => c.enabled?.(config) ?? true).map((c) => c.name);
    const named = (name: string) => new RegExp("`" + name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&") + "[ `]").test(table);
    expect(accepted.length).toBeGreaterThan(90);
    expect(accepted.filter((name) => !named(name))).toEqual([]);
  });
});
