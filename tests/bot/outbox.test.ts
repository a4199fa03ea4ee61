import { afterEach, describe, expect, it, vi } from "vitest";
import { Bot } from "../../bot/app.ts";
import { BaseContext, CommandContext } from "../../bot/context.ts";
import { inTransaction } from "../../db/connection.ts";
import { outboxCounts } from "../../db/outbox.ts";
import { TestBot } from "../helpers/bot.ts";
import { ScriptedAdapter } from "../helpers/scripted-adapter.ts";
import { silentLogger } from "../../bot/log.ts";
import { systemClock } from "../../bot/clock.ts";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Platform } from "../../bot/events.ts";
import { startChild } from "../reliability/processes.ts";
import { capabilities } from "../../commands/index.ts";

let t: TestBot;
afterEach(async () => t?.close());

/** Queues messages the way a handler does: in one transaction. */
function queue(bot: Bot, items: { room: string; text: string; key?: string }[], platform: Platform = "matrix"): void {
  inTransaction(bot.db, () => {
    const ctx = new BaseContext(bot.services, "test");
    for (const item of items) ctx.toRoom({ platform, id: item.room }, { text: item.text, key: item.key });
  });
}

describe("the outbox dispatcher", () => {
  it("waits exactly the rate limit's retry-after, and keeps the channel's order", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    queue(t.bot, [
      { room: "!a", text: "a1" },
      { room: "!a", text: "a2" },
      { room: "!b", text: "b1" },
      { room: "!a", text: "a3" },
    ]);
    matrix.faults.push({ rateLimitMs: 1500 });
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["b1"]);
    t.clock.advance(1499);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["b1"]);
    t.clock.advance(1);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["b1", "a1", "a2", "a3"]);
  });

  it("when running live, retries when the rate limit says, not at the next poll, even when the timer fires before the clock says it's time", async () => {
    t = new TestBot({ capabilities });
    // The bot's clock runs at 90% speed: every timer set by it fires "early" by its clock, as rounding can make one.
    const start = systemClock.now();
    const behind = { now: () => start + (systemClock.now() - start) * 0.9 };
    const live = new Bot({ config: t.bot.services.config, capabilities, clock: behind, log: silentLogger, db: join(t.dir, "live.sqlite") });
    const matrix = new ScriptedAdapter();
    live.attach(matrix);
    live.dispatcher.start(60_000); // polling only once a minute
    matrix.faults.push({ rateLimitMs: 30 });
    inTransaction(live.db, () => new BaseContext(live.services, "test").toRoom({ platform: "matrix", id: "!a" }, "hello"));
    live.dispatcher.kick();
    // Generous: the retry is due 30 ms after the first attempt; the next poll is a minute away.
    await vi.waitFor(() => expect(matrix.texts()).toEqual(["hello"]), { timeout: 10_000 });
    expect(matrix.attempts).toHaveLength(2);
    live.dispatcher.stop();
    live.close();
  });

  it("keeps messages through an outage and sends them, in order, when the platform is back", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    matrix.down = true;
    queue(t.bot, [{ room: "!a", text: "first" }, { room: "!a", text: "second" }]);
    for (let i = 0; i < 4; i++) {
      await t.bot.dispatcher.drain();
      t.clock.advance(60_000);
    }
    expect(matrix.delivered).toEqual([]);
    expect(outboxCounts(t.db)).toEqual({ pending: 2 });
    matrix.down = false;
    t.clock.advance(5 * 60_000);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["first", "second"]);
    expect(outboxCounts(t.db)).toEqual({ sent: 2 });
  });

  it("backs off exponentially between attempts during an outage", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    matrix.down = true;
    queue(t.bot, [{ room: "!a", text: "x" }]);
    const start = t.clock.now();
    const attemptTimes: number[] = [];
    for (let s = 0; s <= 20; s++) {
      t.clock.set(start + s * 1000);
      const before = matrix.attempts.length;
      await t.bot.dispatcher.drain();
      if (matrix.attempts.length > before) attemptTimes.push(s);
    }
    expect(attemptTimes).toEqual([0, 1, 3, 7, 15]);
  });

  it("gives up on a permanent failure without blocking the messages behind it", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    matrix.faults.push({ permanent: "I was removed from the room" });
    queue(t.bot, [{ room: "!a", text: "lost" }, { room: "!a", text: "next" }]);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["next"]);
    // The second "sent" is the notice telling the admin the room can't be posted to.
    expect(outboxCounts(t.db)).toEqual({ failed: 1, sent: 2 });
  });

  it("tells the admins and the person who caused it when a room can't be posted to", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    await t.say("alice", "/whoami");
    t.texts();
    // alice's command (one that writes, so it is in the ledger) posts to a Matrix room the bot has been removed from.
    const event = t.event("alice", "/log helped at the stall");
    inTransaction(t.db, () => {
      t.bot.router.handle(event);
      new CommandContext(t.bot.services, event, { memberId: 2, displayName: "alice", platform: "console", platformId: "alice" }).toRoom({ platform: "matrix", id: "!gone" }, "hello room");
    });
    matrix.faults.push({ permanent: "I'm not in that room any more; invite me back" });
    await t.bot.dispatcher.drain();
    await t.bot.dispatcher.drain();
    // Two private messages: two channels, so no order between them.
    const notices = t.take().filter((l) => l.includes("couldn't post")).sort();
    expect(notices).toEqual([
      "[2026-08-17 09:00] bot -> dm:admin: ⚠️ I couldn't post in the matrix room !gone: I'm not in that room any more; invite me back",
      "[2026-08-17 09:00] bot -> dm:alice: ⚠️ I couldn't post in the matrix room !gone: I'm not in that room any more; invite me back",
    ]);
  });

  it("keeps delivering on one platform while another hangs", async () => {
    t = new TestBot();
    const slack = new ScriptedAdapter("slack");
    const matrix = new ScriptedAdapter("matrix");
    t.bot.attach(slack);
    t.bot.attach(matrix);
    let release!: () => void;
    slack.gate = new Promise((r) => (release = r));
    inTransaction(t.db, () => new BaseContext(t.bot.services, "test").toRoom({ platform: "slack", id: "C1" }, "to slack"));
    const slackDrain = t.bot.dispatcher.drain();
    inTransaction(t.db, () => new BaseContext(t.bot.services, "test").toRoom({ platform: "matrix", id: "!a" }, "to matrix"));
    // drain() waits for every platform, so don't await it: wait for Matrix's delivery alone.
    t.bot.dispatcher.kick();
    await vi.waitFor(() => expect(matrix.texts()).toEqual(["to matrix"]));
    expect(slack.delivered).toEqual([]);
    release();
    await slackDrain;
    await t.bot.dispatcher.drain();
    expect(slack.texts()).toEqual(["to slack"]);
  });

  it("holds messages for a platform whose adapter is not running", async () => {
    t = new TestBot();
    queue(t.bot, [{ room: "!a", text: "for matrix" }]);
    await t.bot.dispatcher.drain();
    expect(outboxCounts(t.db)).toEqual({ pending: 1 });
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["for matrix"]);
  });

  it("sends after a restart what was committed but not sent before a crash, exactly once", async () => {
    t = new TestBot();
    // Commit a command, then "crash" before the dispatcher ever sees it.
    t.bot.router.handle(t.event("alice", "/remind me 1h water the plants"));
    t.bot.close();
    const restarted = new TestBot({ dir: t.dir });
    // The reply was born held by the crashed process; once its lease runs out, it goes.
    await restarted.bot.dispatcher.drain();
    expect(restarted.texts()).toEqual([]);
    restarted.clock.advance(30_001);
    await restarted.bot.dispatcher.drain();
    await restarted.bot.dispatcher.drain();
    expect(restarted.texts()).toEqual([expect.stringMatching(/^⏰ OK, I'll remind you on Mon 17 Aug at 10:00 \(Europe\/London\): water the plants\n/)]);
    expect(outboxCounts(restarted.db)).toEqual({ sent: 1 });
    await restarted.close();
  });

  it("resends a message whose sending was cut short by a crash once its lease runs out", async () => {
    t = new TestBot();
    // receive() commits and starts sending at once; the crash lands mid-send.
    t.bot.receive(t.event("alice", "/remind me 1h water the plants"));
    t.bot.close();
    const restarted = new TestBot({ dir: t.dir });
    await restarted.bot.dispatcher.drain();
    expect(restarted.texts()).toEqual([]);
    restarted.clock.advance(30_001);
    await restarted.bot.dispatcher.drain();
    await restarted.bot.dispatcher.drain();
    expect(restarted.texts()).toEqual([expect.stringMatching(/^⏰ OK, I'll remind you on Mon 17 Aug at 10:00 \(Europe\/London\): water the plants\n/)]);
    expect(outboxCounts(restarted.db)).toEqual({ sent: 1 });
    await restarted.close();
  });

  it("never sends a message twice when two processes' dispatchers share the database, though both go for the same rows", { timeout: 60_000 }, async () => {
    t = new TestBot();
    // Queued by a bot with no adapter for these rooms' platform: the rows are held by nobody, and wait.
    queue(t.bot, Array.from({ length: 40 }, (_, i) => ({ room: `!r${i % 10}`, text: `m${i}` })));
    await t.close({ keep: true });
    const logs = [join(t.dir, "a.log"), join(t.dir, "b.log")];
    const children = logs.map((log) => startChild({ DB: t.dbPath, SENT_LOG: log, WAIT_FOR_GO: "1", DELIVER_DELAY_MS: "150", PLATFORM: "matrix" }));
    try {
      await Promise.all(children.map((c) => c.ready));
      for (const c of children) c.say("go");
      const sentBy = () => logs.map((log) => (existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : []));
      await vi.waitFor(() => expect(sentBy().flat()).toHaveLength(40), { timeout: 30_000, interval: 50 });
      const [a, b] = sentBy();
      expect(new Set([...a!, ...b!]).size).toBe(40); // none twice
      // They went for the same rows: one found rows the other had just taken, or held, or both sent some.
      for (const c of children) c.say("stats");
      await vi.waitFor(() => expect(children.every((c) => c.stats)).toBe(true), { timeout: 10_000 });
      const contended = children.reduce((n, c) => n + c.stats!.leasesLost + c.stats!.waitedBehind + c.stats!.heldByAnother, 0);
      expect(contended > 0 || (a!.length > 0 && b!.length > 0), `no contention: ${JSON.stringify(children.map((c) => c.stats))}`).toBe(true);
    } finally {
      for (const c of children) c.proc.kill("SIGKILL");
      await Promise.all(children.map((c) => c.exited));
    }
  });

  it("edits every copy of a keyed message, using the reference the platform gave", async () => {
    t = new TestBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    queue(t.bot, [{ room: "!a", text: "Claim CL-0001?", key: "card:1" }, { room: "!b", text: "Claim CL-0001?", key: "card:1" }]);
    await t.bot.dispatcher.drain();
    inTransaction(t.db, () => new BaseContext(t.bot.services, "test").update("card:1", "CL-0001 was claimed by sam"));
    await t.bot.dispatcher.drain();
    const edits = matrix.delivered.filter((d) => d.kind === "update");
    expect(edits.map((e) => [e.editsRef, e.message.text])).toEqual([
      [`ref-${matrix.delivered[0]!.id}`, "CL-0001 was claimed by sam"],
      [`ref-${matrix.delivered[1]!.id}`, "CL-0001 was claimed by sam"],
    ]);
  });

  it("resolves member mentions for the platform it delivers to", async () => {
    t = new TestBot();
    await t.say("alice", "/whoami");
    t.texts();
    inTransaction(t.db, () => new BaseContext(t.bot.services, "test").toRoom({ platform: "console", id: "general" }, "thanks <@2>!"));
    await t.bot.dispatcher.drain();
    expect(t.texts()).toEqual(["thanks @alice!"]);
  });
});
