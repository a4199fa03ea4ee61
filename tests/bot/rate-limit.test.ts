// The per-member command rate: a burst, then a few a second; one notice per
// burst and silence after it, so a flood of commands never becomes a flood
// of replies; a refused command is in the ledger and changes nothing else.
import { afterEach, describe, expect, it } from "vitest";
import { RateLimiter } from "../../bot/rate-limit.ts";
import { TestBot } from "../helpers/bot.ts";

let t: TestBot;
afterEach(async () => t?.close());

const ledger = (t: TestBot) =>
  t.db.$client.prepare("select event_id as eventId, outcome from inbound_events order by rowid").all() as { eventId: string; outcome: string }[];

describe("the token bucket", () => {
  it("allows a burst, warns once, then is quiet until it has filled up again", () => {
    const limiter = new RateLimiter({ burst: 20, perSecond: 2 });
    const at0 = Array.from({ length: 25 }, () => limiter.take(1, 0));
    expect(at0.slice(0, 20).every((v) => v === "allow")).toBe(true);
    expect(at0.slice(20)).toEqual(["warn", "quiet", "quiet", "quiet", "quiet"]);
    // A second later: two more, then quiet again (not another notice: the bucket never filled).
    expect([1, 2, 3].map(() => limiter.take(1, 1000))).toEqual(["allow", "allow", "quiet"]);
    // Ten seconds of quiet fill it: a whole burst again, and a notice if it is spent.
    const later = Array.from({ length: 21 }, () => limiter.take(1, 11_000));
    expect(later.filter((v) => v === "allow")).toHaveLength(20);
    expect(later.at(-1)).toBe("warn");
  });

  it("keeps one bucket per member", () => {
    const limiter = new RateLimiter({ burst: 2, perSecond: 1 });
    expect([limiter.take(1, 0), limiter.take(1, 0), limiter.take(1, 0)]).toEqual(["allow", "allow", "warn"]);
    expect([limiter.take(2, 0), limiter.take(2, 0)]).toEqual(["allow", "allow"]);
  });

  it("refills nothing when the clock is set back, and carries on from there", () => {
    const limiter = new RateLimiter({ burst: 1, perSecond: 1 });
    expect(limiter.take(1, 10_000)).toBe("allow");
    expect(limiter.take(1, 5_000)).toBe("warn");
    expect(limiter.take(1, 6_000)).toBe("allow");
  });
});

describe("a member sending commands too fast", () => {
  it("gets a burst of answers, one notice that names the limit, then silence; and nothing changes", async () => {
    t = new TestBot();
    await t.say("bea", "/whoami");
    t.texts();
    const results = [];
    for (let i = 0; i < 20; i++) results.push(await t.say("alice", "/remind me 1h stretch"));
    expect(results.every((r) => r.outcome === "ok")).toBe(true);
    expect(t.texts()).toHaveLength(20);

    const before = t.snapshot();
    const flood = [];
    for (let i = 0; i < 200; i++) flood.push(await t.say("alice", "/remind me 1h stretch"));
    expect(flood[0]!.outcome).toBe("limited");
    expect(new Set(flood.map((r) => r.outcome))).toEqual(new Set(["limited"]));
    // One notice for 200 commands, saying what the limit is and who can change it.
    const replies = t.texts();
    expect(replies).toEqual([expect.stringMatching(/^⏳ Slow down, please: that's more than 20 commands at once, so I skipped this one and changed nothing\./)]);
    expect(replies[0]).toContain("I take 2 a second from here, and skip the rest without a word until you pause for 10 seconds.");
    expect(replies[0]).toContain("`limits.commands` in the config");
    // Nothing changed but the ledger (and the one notice in the outbox).
    expect(t.snapshot()).toEqual(before);
    // Each refused one is in the ledger all the same.
    expect(ledger(t).filter((r) => r.outcome === "limited")).toHaveLength(200);
  });

  it("records a refused event, so a redelivery of it is a duplicate and never runs later", async () => {
    t = new TestBot({ config: { limits: { commands: { burst: 1, perSecond: 1 } } } });
    expect((await t.say("alice", "/whoami")).outcome).toBe("ok");
    const event = t.event("alice", "/remind me 1h stretch");
    expect(t.bot.receive(event).outcome).toBe("limited");
    await t.advance(60_000);
    expect(t.bot.receive(event).outcome).toBe("duplicate");
    expect(t.db.$client.prepare("select count(*) as n from jobs where kind = 'core.remind'").get()).toEqual({ n: 0 });
  });

  it("counts button clicks like typed commands", async () => {
    t = new TestBot({ config: { limits: { commands: { burst: 3, perSecond: 1 } } } });
    const click = () => t.bot.receive(t.event("alice", "/whoami", "general", { button: { messageRef: "m1" } })).outcome;
    expect([click(), click(), click(), click(), click()]).toEqual(["ok", "ok", "ok", "limited", "limited"]);
    await t.bot.dispatcher.drain();
    expect(t.texts().filter((m) => m.startsWith("⏳ Slow down"))).toHaveLength(1);
  });

  it("works again as the clock moves: a few a second, and a whole burst after a pause", async () => {
    t = new TestBot();
    for (let i = 0; i < 21; i++) await t.say("alice", "/whoami");
    expect((await t.say("alice", "/whoami")).outcome).toBe("limited");
    t.clock.advance(1000);
    expect([await t.say("alice", "/whoami"), await t.say("alice", "/whoami"), await t.say("alice", "/whoami")].map((r) => r.outcome)).toEqual(["ok", "ok", "limited"]);
    t.clock.advance(10_000);
    t.texts();
    const outcomes = [];
    for (let i = 0; i < 21; i++) outcomes.push((await t.say("alice", "/whoami")).outcome);
    expect(outcomes.filter((o) => o === "ok")).toHaveLength(20);
    // A new burst spent: a new notice (one), as the first time.
    expect(t.texts().filter((m) => m.startsWith("⏳ Slow down"))).toHaveLength(1);
  });

  it("leaves everyone else alone", async () => {
    t = new TestBot();
    for (let i = 0; i < 30; i++) await t.say("alice", "/whoami");
    expect((await t.say("bea", "/whoami")).outcome).toBe("ok");
  });
});
