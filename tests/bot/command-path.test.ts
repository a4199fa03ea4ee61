// The fast command path (issue 17) must not change what members see, only
// what it costs: read-only commands write nothing, events that arrive
// together share one transaction without sharing a refusal, and answers sent
// from memory keep each channel's order with whatever the outbox holds.
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Bot } from "../../bot/app.ts";
import { BaseContext } from "../../bot/context.ts";
import { silentLogger } from "../../bot/log.ts";
import { inTransaction } from "../../db/connection.ts";
import { outboxCounts } from "../../db/outbox.ts";
import { capabilities } from "../../commands/index.ts";
import type { TestBot } from "../helpers/bot.ts";
import { meetingsBot } from "../meetings/helpers.ts";
import { ScriptedAdapter } from "../helpers/scripted-adapter.ts";

let t: TestBot;
afterEach(async () => t?.close());

/** Rows this connection has written, ever (SQLite counts them; a read adds nothing). */
const totalChanges = (tb: TestBot) => (tb.db.$client.prepare("select total_changes() as n").get() as { n: number }).n;

describe("read-only commands", () => {
  const readOnly = ["help join", "whoami", "groups", "group glasgow", "members glasgow", "jobs", "contributions", "progress", "meetings glasgow"];

  it("answer a known member without writing a row, and the answer arrives", async () => {
    t = meetingsBot();
    // zoe is known now, and a member of something. (A driver's or an
    // admin's help runs to a second page, which is stored: that one writes.)
    await t.say("zoe", "/join glasgow");
    t.texts();
    for (const command of readOnly) {
      const before = totalChanges(t);
      const outbox = outboxCounts(t.db);
      const result = await t.say("zoe", `/${command}`);
      expect(result.outcome, command).toBe("ok");
      expect(t.texts().join("\n"), command).not.toBe("");
      expect(totalChanges(t), `${command} wrote to the database`).toBe(before);
      expect(outboxCounts(t.db), command).toEqual(outbox);
    }
  });

  it("take the ordinary path, answer included, for someone the bot meets for the first time", async () => {
    t = meetingsBot();
    const before = totalChanges(t);
    expect((await t.say("newcomer", "/groups")).outcome).toBe("ok");
    expect(t.texts().join("\n")).toContain("Glasgow network");
    expect(totalChanges(t)).toBeGreaterThan(before);
    const member = t.db.$client.prepare("select count(*) as n from identities where platform_id = 'newcomer'").get() as { n: number };
    expect(member.n).toBe(1);
  });

  it("recognise a redelivered event and answer it once", async () => {
    t = meetingsBot();
    await t.say("sam", "/whoami");
    t.texts();
    const event = t.event("sam", "/help");
    expect(t.bot.receive(event).outcome).toBe("ok");
    expect(t.bot.receive(event).outcome).toBe("duplicate");
    await t.bot.dispatcher.drain();
    expect(t.lines.length).toBe(1);
  });
});

describe("events that arrive together", () => {
  it("are applied in one transaction, and a refusal in the middle leaves the others applied", async () => {
    t = meetingsBot();
    await t.say("sam", "/whoami");
    t.texts();
    const results = t.bot.receiveMany([
      { event: t.event("sam", "/join glasgow") },
      { event: t.event("sam", "/verify 999") },
      { event: t.event("alice", "/join food") },
    ]);
    expect(results.map((r) => r.outcome)).toEqual(["ok", "refused", "ok"]);
    await t.bot.dispatcher.drain();
    const members = t.db.$client
      .prepare("select g.slug, i.platform_id from group_members gm join groups g on g.id = gm.group_id join identities i on i.member_id = gm.member_id where g.slug in ('glasgow', 'food') order by g.slug")
      .all();
    expect(members).toEqual([
      { slug: "food", platform_id: "alice" },
      { slug: "glasgow", platform_id: "sam" },
    ]);
    const ledger = t.db.$client.prepare("select command, outcome from inbound_events order by rowid").all();
    expect(ledger.slice(-3)).toEqual([
      { command: "join", outcome: "ok" },
      { command: "verify", outcome: "refused" },
      { command: "join", outcome: "ok" },
    ]);
    // Each person hears their own answer, the refusal included.
    const texts = t.texts().join("\n");
    expect(texts).toContain("Welcome to Glasgow network");
    expect(texts).toContain("Welcome to Food network");
    expect(texts).toMatch(/999/);
  });
});

describe("answers sent from memory", () => {
  it("wait behind a message the outbox holds for a retry in the same channel, and then arrive in order", async () => {
    t = meetingsBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    // A known member on Matrix, with a command's answer already delivered.
    const dm = (text: string) => ({ ...t.event("m", text), platform: "matrix" as const, room: { id: "!dm", kind: "dm" as const }, sender: { platformId: "@m:hs", displayName: "m" } });
    t.bot.receive(dm("/join glasgow"));
    await t.bot.dispatcher.drain();
    matrix.delivered.length = 0;
    // The next answer fails once and waits in the outbox for its retry.
    matrix.faults.push({ rateLimitMs: 1000 });
    t.bot.receive(dm("/leave glasgow"));
    await t.bot.dispatcher.drain();
    expect(outboxCounts(t.db).pending).toBe(1);
    // A read-only answer now must not overtake it.
    t.bot.receive(dm("/whoami"));
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual([]);
    t.clock.advance(1000);
    await t.bot.dispatcher.drain();
    const texts = matrix.texts();
    expect(texts).toHaveLength(2);
    expect(texts[0]).toMatch(/left|no longer/i);
    expect(texts[1]).toMatch(/@m:hs|m\b/);
  });

  it("are found when another process writes to the outbox, and memory is trusted again after a scan", async () => {
    t = meetingsBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    queueMatrix(t.bot, "!a", "mine");
    await t.bot.dispatcher.drain();
    const scans = t.bot.dispatcher.stats.scans;
    // Steady state: this process's own messages go from memory, no scan.
    queueMatrix(t.bot, "!a", "mine again");
    await t.bot.dispatcher.drain();
    expect(t.bot.dispatcher.stats.scans).toBe(scans);
    // A second process (no Matrix adapter of its own) writes a message for Matrix.
    const other = new Bot({ config: t.bot.services.config, capabilities, clock: t.clock, log: silentLogger, db: join(t.dir, "coopbot.sqlite") });
    queueMatrix(other, "!a", "from the other process");
    other.close();
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["mine", "mine again", "from the other process"]);
    // Another process's commit sends every platform's pass to the outbox once.
    const afterScan = t.bot.dispatcher.stats.scans;
    expect(afterScan).toBeGreaterThan(scans);
    queueMatrix(t.bot, "!a", "and mine");
    await t.bot.dispatcher.drain();
    expect(matrix.texts().at(-1)).toBe("and mine");
    expect(t.bot.dispatcher.stats.scans).toBe(afterScan);
  });

  it("are read back from the outbox after a queued message was rewritten (an erasure), so the new words go", async () => {
    t = meetingsBot();
    const matrix = new ScriptedAdapter();
    t.bot.attach(matrix);
    queueMatrix(t.bot, "!a", "warm up");
    await t.bot.dispatcher.drain();
    matrix.down = true;
    queueMatrix(t.bot, "!a", "secret words");
    await t.bot.dispatcher.drain();
    t.db.$client.prepare("update outbox set message = json_set(message, '$.text', 'erased') where state = 'pending'").run();
    matrix.down = false;
    t.clock.advance(60_000);
    await t.bot.dispatcher.drain();
    expect(matrix.texts()).toEqual(["warm up", "erased"]);
  });
});

function queueMatrix(bot: Bot, room: string, text: string): void {
  inTransaction(bot.db, () => new BaseContext(bot.services, "test").toRoom({ platform: "matrix", id: room }, text));
}
