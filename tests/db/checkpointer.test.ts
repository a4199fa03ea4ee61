import { statSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TestBot } from "../helpers/bot.ts";

let t: TestBot;
afterEach(async () => t?.close());

describe("the WAL checkpointer", () => {
  it("moves committed work into the database file from its worker thread", async () => {
    t = new TestBot();
    t.bot.checkpointer.start(20);
    // The bot's own connection no longer checkpoints by itself.
    expect(t.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(0);
    const sizeBefore = statSync(t.dbPath).size;
    for (let i = 0; i < 300; i++) await t.say(`m${i % 20}`, `/remind me 1d note ${i}`);
    await vi.waitFor(() => expect(statSync(t.dbPath).size).toBeGreaterThan(sizeBefore), { timeout: 5000 });
    await t.bot.checkpointer.stop();
    expect(t.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });

});
