// Every transcript under tests/transcripts/ is replayed and its output
// compared with the `>` lines written under each step.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { compareOutput, replayFile } from "../adapters/console/replay.ts";
import { silentLogger } from "../bot/log.ts";
import { capabilities } from "../commands/index.ts";

const run = promisify(execFile);
const ROOT = "tests/transcripts";
const CONFIG = "examples/workers-coop.yaml";

function transcripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return transcripts(path);
    return name.endsWith(".txt") ? [path] : [];
  });
}

const replay = (file: string, extra: { dbPath?: string; json?: boolean } = {}) =>
  replayFile(file, { capabilities, configPath: CONFIG, log: silentLogger, ...extra });

describe("transcripts", () => {
  for (const file of transcripts(ROOT)) {
    it(`${file} replays as written`, async () => {
      const result = await replay(file);
      expect(result.expected.length, `${file} has no expected output`).toBeGreaterThan(0);
      const diff = compareOutput(result, file);
      expect(diff, diff).toBeUndefined();
    });
  }
});

describe("coopbot replay", () => {
  const scratch = mkdtempSync(join(tmpdir(), "coopbot-replay-"));
  const write = (name: string, text: string) => {
    const path = join(scratch, name);
    writeFileSync(path, text);
    return path;
  };

  it("sends nothing twice when the same transcript is replayed again on the same database", async () => {
    const file = write("twice.txt", "@clock 2026-08-17T09:00\nalice in dm: remind me 1h stretch\n@advance 2h\n");
    const dbPath = join(scratch, "twice.sqlite");
    const first = await replay(file, { dbPath });
    expect(first.output.filter((line) => line.startsWith("[")).map((line) => line.split("\n")[0])).toEqual([
      "[2026-08-17 09:00] bot -> dm:alice: ⏰ OK, I'll remind you on Mon 17 Aug at 10:00 (Europe/London): stretch",
      "[2026-08-17 10:00] bot -> dm:alice: ⏰ Reminder 1: stretch",
    ]);
    const second = await replay(file, { dbPath });
    expect(second.output).toEqual([]);
  });

  it("prints one JSON object per message with --json", async () => {
    const file = write("json.txt", "@clock 2026-08-17T09:00\nalice: /whoami\n");
    const { output } = await replay(file, { json: true });
    expect(output.map((l) => JSON.parse(l))).toEqual([
      { at: "2026-08-17T09:00", room: "general", member: "alice", private: true, text: expect.stringContaining("You are *alice*"), buttons: [] },
    ]);
  });

  it("stops at a malformed line and names its number (through the real CLI)", async () => {
    const file = write("bad.txt", "@clock 2026-08-17T09:00\nalice: /whoami\nthis line is not a transcript line\n");
    const failure = await run("npx", ["tsx", "bot/main.ts", "replay", file]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 2 });
    expect((failure as { stderr: string }).stderr).toContain("bad.txt:3: cannot read this line");
  });

  it("checks a transcript's expectations through the real CLI and exits 1 on a difference", async () => {
    const good = await run("npx", ["tsx", "bot/main.ts", "replay", join(ROOT, "core-basics.txt"), "--check"]);
    expect(good.stdout).toMatch(/lines as expected/);
    const wrong = write("wrong.txt", "@clock 2026-08-17T09:00\nalice: /whoami\n> [2026-08-17 09:00] bot -> alice (private): You are someone else\n");
    const failure = await run("npx", ["tsx", "bot/main.ts", "replay", wrong, "--check"]).catch((e: { code: number; stderr: string }) => e);
    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain("wrong.txt:3: output differs");
  });

  it("rejects unknown directives and bad durations with their line numbers", async () => {
    await expect(replay(write("d1.txt", "@clock 2026-08-17T09:00\n@advance soon\n"))).rejects.toThrow(/d1\.txt:2: @advance takes a duration/);
    await expect(replay(write("d2.txt", "@teleport\n"))).rejects.toThrow(/d2\.txt:1: unknown directive @teleport/);
    await expect(replay(write("d3.txt", "@clock yesterday\n"))).rejects.toThrow(/d3\.txt:1: not a date-time/);
    await expect(replay(write("d4.txt", "bob clicks Approve\n"))).rejects.toThrow(/d4\.txt:1: bob can see no button labelled "Approve"/);
  });
});
