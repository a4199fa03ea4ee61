import { afterEach, describe, expect, it, vi } from "vitest";
import { Bot } from "../../bot/app.ts";
import { defineCapability, defineJob } from "../../bot/capability.ts";
import { BaseContext } from "../../bot/context.ts";
import { silentLogger } from "../../bot/log.ts";
import { inTransaction } from "../../db/connection.ts";
import { dueJobs, getJob } from "../../db/jobs.ts";
import { capabilities } from "../../commands/index.ts";
import { TestBot } from "../helpers/bot.ts";

let failuresLeft = 0;
const flaky = defineCapability({
  name: "flaky",
  jobs: [
    defineJob<{ text: string }>({
      kind: "test.flaky",
      run(ctx, { text }) {
        if (failuresLeft-- > 0) throw new Error("the job hit a bug");
        ctx.toRoom({ platform: "console", id: "general" }, text);
      },
    }),
  ],
});

let t: TestBot;
afterEach(async () => t?.close());

const schedule = (bot: Bot, kind: string, key: string, dueAt: number, payload: unknown) =>
  inTransaction(bot.db, () => new BaseContext(bot.services, "test").schedule({ kind, key, dueAt, payload }));

describe("the scheduler", () => {
  it("runs due jobs in due order, each at its own time", async () => {
    t = new TestBot();
    await t.say("alice", "/remind me 3h third");
    await t.say("alice", "/remind me 1h first");
    await t.say("alice", "/remind me 2h second");
    t.take();
    await t.advance(5 * 3600_000);
    expect(t.take().map((line) => line.split("\n")[0])).toEqual([
      "[2026-08-17 10:00] bot -> dm:alice: ⏰ Reminder 2: first",
      "[2026-08-17 11:00] bot -> dm:alice: ⏰ Reminder 3: second",
      "[2026-08-17 12:00] bot -> dm:alice: ⏰ Reminder 1: third",
    ]);
  });

  it("runs jobs due together in one batch, where one that fails rolls back only itself", async () => {
    t = new TestBot({ capabilities: [...capabilities, flaky] });
    await t.say("alice", "/whoami");
    t.texts();
    const at = t.clock.now() + 1000;
    schedule(t.bot, "core.remind", "b1", at, { memberId: 2, text: "before" });
    schedule(t.bot, "test.flaky", "b2", at, { text: "the flaky one" });
    schedule(t.bot, "core.remind", "b3", at, { memberId: 2, text: "after" });
    failuresLeft = 1;
    t.clock.set(at);
    expect(t.bot.scheduler.runDue()).toBeGreaterThanOrEqual(3);
    await t.bot.dispatcher.drain();
    expect(t.texts()).toEqual(["⏰ Reminder: before", "⏰ Reminder: after"]);
    expect(getJob(t.db, "b2")).toMatchObject({ state: "pending", attempts: 1 });
    expect(getJob(t.db, "b1")).toMatchObject({ state: "done" });
    await t.advance(3600_000);
    expect(t.texts()).toEqual(["the flaky one"]);
  });

  it("treats a second job with the same key as the same job", async () => {
    t = new TestBot();
    await t.say("alice", "/whoami");
    t.texts();
    expect(schedule(t.bot, "core.remind", "k1", t.clock.now() + 1000, { memberId: 2, text: "once" })).toBe(true);
    expect(schedule(t.bot, "core.remind", "k1", t.clock.now() + 2000, { memberId: 2, text: "twice" })).toBe(false);
    await t.advance(10_000);
    expect(t.texts()).toEqual(["⏰ Reminder: once"]);
    expect(schedule(t.bot, "core.remind", "k1", t.clock.now() + 1000, { memberId: 2, text: "again" })).toBe(false);
  });

  it("keeps pending jobs across a restart and runs them once", async () => {
    t = new TestBot();
    await t.say("alice", "/remind me 2h after the restart");
    t.texts();
    await t.close({ keep: true });
    t = new TestBot({ dir: t.dir });
    await t.advance(3 * 3600_000);
    await t.advance(3 * 3600_000);
    expect(t.texts().map((text) => text.split("\n")[0])).toEqual(["⏰ Reminder 1: after the restart"]);
  });

  it("says a reminder is late when the bot was down at its time", async () => {
    t = new TestBot();
    await t.say("alice", "/remind me 1h stretch");
    t.texts();
    t.clock.advance(3 * 3600_000);
    t.bot.scheduler.runDue();
    await t.bot.dispatcher.drain();
    expect(t.texts().map((text) => text.split("\n")[0])).toEqual(["⏰ Reminder 1 (late by 2h: I was offline): stretch"]);
  });

  it("retries a failing job with back-off, then records it as failed", async () => {
    t = new TestBot({ capabilities: [...capabilities, flaky] });
    failuresLeft = 2;
    schedule(t.bot, "test.flaky", "f1", t.clock.now(), { text: "made it" });
    await t.advance(10 * 60_000);
    expect(t.texts()).toEqual(["made it"]);
    expect(getJob(t.db, "f1")).toMatchObject({ state: "done", attempts: 2 });

    failuresLeft = 99;
    schedule(t.bot, "test.flaky", "f2", t.clock.now(), { text: "never" });
    await t.advance(24 * 3600_000);
    expect(t.texts()).toEqual([]);
    expect(getJob(t.db, "f2")).toMatchObject({ state: "failed", attempts: 5 });
  });

  it("runs a job once even when two processes' schedulers race for it", async () => {
    t = new TestBot();
    await t.say("alice", "/whoami");
    t.texts();
    const second = new Bot({ config: t.bot.services.config, capabilities, clock: t.clock, log: silentLogger, db: t.dbPath });
    for (let i = 0; i < 30; i++) schedule(t.bot, "core.remind", `race-${i}`, t.clock.now(), { memberId: 2, text: `r${i}` });
    // Both processes read the same due batch before either runs it: the worst interleaving.
    const race = (jobs: ReturnType<typeof dueJobs>) => jobs.filter((j) => j.key.startsWith("race-"));
    const seenByFirst = race(dueJobs(t.db, t.clock.now()));
    const seenBySecond = race(dueJobs(second.db, t.clock.now()));
    expect(seenBySecond).toHaveLength(30);
    let ran = 0;
    for (let i = 0; i < 30; i++) {
      if (t.bot.scheduler.runOne(seenByFirst[i]!)) ran++;
      if (second.scheduler.runOne(seenBySecond[i]!)) ran++;
    }
    expect(ran).toBe(30);
    await t.bot.dispatcher.drain();
    expect(t.texts()).toHaveLength(30);
    second.close();
  });

  it("works through a busy minute in batches without waiting a tick per batch", { timeout: 90_000 }, async () => {
    t = new TestBot();
    await t.say("alice", "/whoami");
    t.texts();
    for (let i = 0; i < 650; i++) schedule(t.bot, "core.remind", `busy-${i}`, t.clock.now(), { memberId: 2, text: `r${i}` });
    // Live, but its interval tick is an hour away: only the batches' own follow-ups can finish the work.
    await t.bot.start({ schedulerIntervalMs: 3_600_000 });
    await vi.waitFor(() => expect(t.db.$client.prepare("select count(*) as n from jobs where state = 'pending' and kind = 'core.remind'").get()).toEqual({ n: 0 }), { timeout: 60_000 });
    await t.bot.dispatcher.drain();
    expect(t.texts()).toHaveLength(650);
  });

  it("cancels pending jobs by key prefix", async () => {
    t = new TestBot();
    await t.say("alice", "/whoami");
    t.texts();
    inTransaction(t.db, () => {
      const ctx = new BaseContext(t.bot.services, "test");
      ctx.schedule({ kind: "core.remind", key: "meeting:7:a", dueAt: t.clock.now() + 10, payload: { memberId: 2, text: "a" } });
      ctx.schedule({ kind: "core.remind", key: "meeting:7:b", dueAt: t.clock.now() + 20, payload: { memberId: 2, text: "b" } });
      ctx.schedule({ kind: "core.remind", key: "meeting:70:a", dueAt: t.clock.now() + 30, payload: { memberId: 2, text: "other" } });
      expect(ctx.cancelJobs("meeting:7:")).toBe(2);
    });
    await t.advance(60_000);
    expect(t.texts()).toEqual(["⏰ Reminder: other"]);
  });
});
