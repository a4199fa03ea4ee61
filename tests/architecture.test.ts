// House rules that keep the tree livable, checked on every run.
import { readFileSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.ts$/.test(name) ? [path] : [];
  });
}

const importsOf = (path: string) => [...readFileSync(path, "utf8").matchAll(/(?:from|import)\s*\(?\s*["']([^"']+)["']/g)].map((m) => m[1]!);
const PLATFORM_SDKS = /^(@slack\/|matrix-bot-sdk|@matrix-org\/|nodemailer)/;

describe("architecture", () => {
  it("keeps platform SDKs out of the core and the commands", () => {
    const offenders = ["bot", "commands"].flatMap(sourceFiles).flatMap((file) => importsOf(file).filter((m) => PLATFORM_SDKS.test(m)).map((m) => `${file} imports ${m}`));
    expect(offenders).toEqual([]);
  });

  it("keeps the core and commands from importing a platform adapter", () => {
    const offenders = ["bot", "commands"].flatMap(sourceFiles).flatMap((file) =>
      importsOf(file)
        .filter((m) => /adapters\/(slack|matrix)/.test(m))
        .map((m) => `${file} imports ${m}`),
    );
    expect(offenders).toEqual([]);
  });

  it("reads the wall clock only in bot/clock.ts", () => {
    const offenders = ["bot", "commands", "db", "adapters"]
      .flatMap(sourceFiles)
      .filter((file) => file !== join("bot", "clock.ts"))
      .filter((file) => /Date\.now\(\)|new Date\(\)|DateTime\.now\(\)|DateTime\.local\(\)/.test(readFileSync(file, "utf8")));
    expect(offenders).toEqual([]);
  });
});
