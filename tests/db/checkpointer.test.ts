import { existsSync, statSync } from "node:fs";
import { afterEach, describe, expect, it, vi } from "vitest";
import { Checkpointer } from "../../db/checkpointer.ts";
import { openDatabase, WAL_LIMITS } from "../../db/connection.ts";
import { TestBot } from "../helpers/bot.ts";

const MiB = 1024 * 1024;
const walSize = (t: TestBot) => (existsSync(`${t.dbPath}-wal`) ? statSync(`${t.dbPath}-wal`).size : 0);
/** Never idle for the length of a test: only the size rule can act. */
const NEVER_IDLE = 3600_000;

let bots: TestBot[] = [];
afterEach(async () => {
  for (const t of bots) await t.close();
  bots = [];
});
const testBot = (dir?: string) => {
  const t = new TestBot(dir ? { dir } : {});
  bots.push(t);
  return t;
};

describe("the WAL checkpointer", () => {
  it("moves committed work into the database file from its worker thread", async () => {
    const t = testBot();
    t.bot.checkpointer.start({ everyMs: 20 });
    // The bot's own connection checkpoints only as a backstop while the worker runs.
    expect(t.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(WAL_LIMITS.backstopPages);
    const sizeBefore = statSync(t.dbPath).size;
    for (let i = 0; i < 300; i++) await t.say(`m${i % 20}`, `/remind me 1d note ${i}`);
    await vi.waitFor(() => expect(statSync(t.dbPath).size).toBeGreaterThan(sizeBefore), { timeout: 30_000 });
    await t.bot.checkpointer.stop();
    expect(t.db.$client.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
  });

  it("empties the WAL once writers have been quiet for a moment", async () => {
    const t = testBot();
    t.bot.checkpointer.start({ everyMs: 20, idleMs: 100 });
    for (let i = 0; i < 200; i++) await t.say(`m${i % 20}`, `/remind me 1d note ${i}`);
    await vi.waitFor(() => expect(walSize(t)).toBe(0), { timeout: 30_000, interval: 20 });
    // ... and again after the next burst: it is the quiet, not the start, that does it.
    await t.say("m1", "/remind me 1d once more");
    expect(walSize(t)).toBeGreaterThan(0);
    await vi.waitFor(() => expect(walSize(t)).toBe(0), { timeout: 30_000, interval: 20 });
  });

  // The WAL file keeps the largest size it reached (journal_size_limit cuts
  // it back only to 8 MiB), so one slow moment on a busy machine shows: the
  // bounds below are far from unbounded growth, not tight.
  it("forces the WAL back to its start under steady writes, when it is never quiet", async () => {
    const t = testBot();
    t.bot.checkpointer.start({ everyMs: 10, idleMs: NEVER_IDLE, forceBytes: 256 * 1024 });
    t.db.$client.pragma("wal_autocheckpoint = 0"); // no backstop: only the worker restarts it
    let largest = 0;
    // About 40 KiB of WAL a command: some 80 MiB if nothing restarted it.
    for (let i = 0; i < 2000; i++) {
      await t.say(`m${i % 20}`, `/remind me 1d note ${i}`);
      largest = Math.max(largest, walSize(t));
    }
    expect(largest).toBeLessThan(16 * MiB);
  }, 120_000);

  it("keeps the WAL small with two bots writing to one file, each with its own checkpointer", async () => {
    const a = testBot();
    const b = testBot(a.dir);
    for (const t of [a, b]) {
      t.bot.checkpointer.start({ everyMs: 10, idleMs: 200, forceBytes: 256 * 1024 });
      t.db.$client.pragma("wal_autocheckpoint = 0");
    }
    let largest = 0;
    for (let i = 0; i < 2000; i++) {
      await (i % 2 ? a : b).say(`m${i % 20}`, `/remind me 1d note ${i}`);
      largest = Math.max(largest, walSize(a));
    }
    expect(largest).toBeLessThan(16 * MiB);
    await vi.waitFor(() => expect(walSize(a)).toBe(0), { timeout: 30_000, interval: 20 });
  }, 120_000);

  it("empties the WAL when asked, with or without its worker", async () => {
    const t = testBot();
    await t.say("m1", "/remind me 1d something");
    expect(walSize(t)).toBeGreaterThan(0);
    t.bot.checkpointer.requestTruncate(); // no worker: the bot's own connection does it
    await vi.waitFor(() => expect(walSize(t)).toBe(0), { timeout: 30_000, interval: 10 });
    t.bot.checkpointer.start({ everyMs: 60_000, idleMs: NEVER_IDLE });
    await t.say("m1", "/remind me 1d something else");
    t.bot.checkpointer.requestTruncate();
    await vi.waitFor(() => expect(walSize(t)).toBe(0), { timeout: 30_000, interval: 10 });
  });

  it("does nothing for an in-memory database", async () => {
    const db = openDatabase(":memory:");
    const checkpointer = new Checkpointer(db, (message) => expect.fail(message));
    checkpointer.start({ everyMs: 10 });
    checkpointer.requestTruncate();
    await new Promise((resolve) => setImmediate(resolve));
    await checkpointer.stop();
    expect(db.$client.pragma("secure_delete", { simple: true })).toBe(1);
    db.$client.close();
  });
});
