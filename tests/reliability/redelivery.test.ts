// Every inbound event delivered twice (Slack retries, Matrix sync replays
// after a restart): every transcript must produce exactly the same output.
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareOutput, replayFile } from "../../adapters/console/replay.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";

function transcripts(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? transcripts(path) : name.endsWith(".txt") ? [path] : [];
  });
}

describe("redelivery", () => {
  for (const file of transcripts("tests/transcripts")) {
    it(`${file}: every event delivered twice changes nothing`, async () => {
      const result = await replayFile(file, { capabilities, configPath: "examples/workers-coop.yaml", log: silentLogger, twice: true });
      const diff = compareOutput(result, file);
      expect(diff, diff).toBeUndefined();
    });
  }
});
