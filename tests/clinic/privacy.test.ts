// The privacy guard itself (it must catch a leak, or it proves nothing), and
// the guard run over every clinic transcript's outbox.
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it, onTestFinished } from "vitest";
import { replayFile } from "../../adapters/console/replay.ts";
import { BaseContext } from "../../bot/context.ts";
import { loadConfig } from "../../bot/config.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";
import { inTransaction, openDatabase } from "../../db/connection.ts";
import { TestBot } from "../helpers/bot.ts";
import { CLINIC_CONFIG, staffClinic } from "./harness.ts";
import { consoleRoomKinds, publicLeaks } from "./privacy-guard.ts";

const QUESTION = "our treasurer has been off sick for months and nobody can sign cheques";

describe("the privacy guard", () => {
  it("catches an enquiry's text, or six words of it, posted or whispered in a public room, and ignores DMs and the private triage room", async () => {
    // Not one of the harness's bots: this one leaks on purpose.
    const t = new TestBot({ config: CLINIC_CONFIG });
    onTestFinished(() => t.close());
    await staffClinic(t);
    await t.say("alice", `/clinic ask ${QUESTION}`, "general");
    const kinds = (_p: string, room: string) => t.adapter.roomKind(room);
    expect(publicLeaks(t.db, kinds)).toEqual([]);

    const ctx = new BaseContext(t.bot.services, "test");
    inTransaction(t.db, () => {
      ctx.toRoom({ platform: "console", id: "triage" }, `fine here: ${QUESTION}`);
      ctx.toMember(1, `fine here too: ${QUESTION}`);
      ctx.toRoom({ platform: "console", id: "general" }, "Preview: Our treasurer has   been off sick for…");
      ctx.post({ kind: "ephemeral", platform: "console", roomId: "comms", platformId: "alice", memberId: 4 }, `you asked: ${QUESTION}`);
    });
    const leaks = publicLeaks(t.db, kinds);
    expect(leaks).toHaveLength(2);
    expect(leaks[0]).toMatch(/room in console:general\) contains "our treasurer has been off sick"/);
    expect(leaks[1]).toMatch(/ephemeral in console:comms/);
  });
});

describe("the clinic transcripts", () => {
  const dir = "tests/transcripts/clinic";
  const config = loadConfig("examples/workers-coop.yaml", capabilities);
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".txt"))) {
    it(`${name} never shows clinic text in a room that isn't private`, async () => {
      const file = join(dir, name);
      const source = readFileSync(file, "utf8");
      const dbPath = join(mkdtempSync(join(tmpdir(), "clinic-privacy-")), "replay.sqlite");
      await replayFile(file, { capabilities, configPath: "examples/workers-coop.yaml", log: silentLogger, dbPath });
      // Erased enquiries are gone from the database, so the questions asked in the file are checked too.
      const asked = [...source.matchAll(/^[^>#].*?clinic ask (.+)$/gm)].map((m) => m[1]!);
      const declared = { ...config.console.rooms, ...Object.fromEntries([...source.matchAll(/^@room (\S+) (public|private)$/gm)].map((m) => [m[1]!, m[2] as "public" | "private"])) };
      const db = openDatabase(dbPath);
      try {
        expect(asked.length).toBeGreaterThan(0);
        expect(publicLeaks(db, consoleRoomKinds(declared), asked)).toEqual([]);
      } finally {
        db.$client.close();
      }
    });
  }
});
