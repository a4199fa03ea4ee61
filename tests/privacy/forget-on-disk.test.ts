// `forget me` promises the member's words are gone: not only from every
// query's answer but from the bytes on disk, the database file and its WAL
// (which holds pages as they were before the erasure until it is emptied).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { ALICE_WROTE, aliceTakesPart, usePrivacyBots } from "./harness.ts";

const bots = usePrivacyBots();

// An action note, a thanks message and a clinic question: the brief's three, plus the rest she wrote.
const SECRETS = Object.values(ALICE_WROTE);

/** Which secrets the raw bytes of the database file and its WAL still contain, and where. */
function onDisk(t: TestBot): string[] {
  const found: string[] = [];
  for (const file of [t.dbPath, `${t.dbPath}-wal`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const secret of SECRETS) if (bytes.includes(Buffer.from(secret, "utf8"))) found.push(`${secret} in ${file.endsWith("-wal") ? "the WAL" : "the database"}`);
  }
  return found;
}

describe("forget me, on disk", () => {
  it.each([
    ["with the checkpointer running, as live", true],
    ["with no checkpointer (the bot's own connection empties the WAL)", false],
  ])("leaves none of her words in the database file or the WAL: %s", async (_label, withCheckpointer) => {
    const t = bots();
    // Never idle here: a quiet WAL is emptied anyway, but only the erasure's own request can be relied on.
    if (withCheckpointer) t.bot.checkpointer.start({ idleMs: 3600_000 });
    await aliceTakesPart(t);
    // Traffic after it, as live: her pages are rewritten and moved around.
    for (let i = 0; i < 50; i++) await t.say(`m${i % 5}`, `/remind me 1d water the plants ${i}`);
    // The search itself works: before forgetting, her words are on disk.
    expect(onDisk(t).length).toBeGreaterThan(0);

    await t.say("alice", "forget me", "dm:alice");
    await t.say("alice", "forget me confirm", "dm:alice");
    expect(t.texts()).toContainEqual(expect.stringMatching(/^Done: I've forgotten you/));
    await vi.waitFor(() => expect(onDisk(t)).toEqual([]), { timeout: 15_000, interval: 50 });
  });
});
