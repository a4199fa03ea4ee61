// What one member can make the bot hold or send: each limit refuses with
// what the limit is and the config key an admin can change, and writes
// nothing. (Each member here sends more at one instant than a person could,
// so the command rate is raised: it has its own tests.)
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";
import { buildConfig } from "../../bot/config.ts";
import { GROUPS, JOBS } from "../actions/helpers.ts";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";
import { exampleConfig } from "../meetings/helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const HOUR = 3600_000;
const DAY = 24 * HOUR;

/** Says `text` as `who` and expects a refusal matching `says` that changed no row. */
async function refused(who: string, text: string, says: RegExp, room = "general"): Promise<string> {
  const before = t.snapshot();
  const result = await t.say(who, text, room);
  const replies = t.texts();
  expect(result.outcome, replies.join("\n")).toBe("refused");
  expect(replies).toHaveLength(1);
  expect(replies[0]).toMatch(says);
  expect(t.snapshot()).toEqual(before);
  return replies[0]!;
}

describe("the limits section of the config", () => {
  it("has a default for everything", () => {
    expect(buildConfig({}, capabilities).limits).toEqual({
      commands: { burst: 20, perSecond: 2 },
      reminders: { perMember: 50, withinDays: 366 },
      actions: { pendingPerDay: 20 },
      meetings: { reminders: 5, yearsAhead: 3, every: { days: 365, weeks: 52, months: 12, years: 5 } },
      clinic: { messagesPerDay: 30 },
    });
  });

  it("names a bad value or an unknown key", () => {
    const problems = (doc: unknown) => {
      try {
        buildConfig(doc, capabilities);
        return [];
      } catch (err) {
        return (err as ConfigError).problems;
      }
    };
    expect(problems({ limits: { commands: { burst: 0 } } })).toEqual([expect.stringMatching(/^limits\.commands\.burst: /)]);
    expect(problems({ limits: { meetings: { every: { decades: 1 } } } })).toEqual(["limits.meetings.every.decades: Unrecognized key \"decades\"; expected one of days, weeks, months, years"]);
    expect(problems({ limits: { reminders: { perMember: 2.5 } } })).toEqual([expect.stringMatching(/^limits\.reminders\.perMember: /)]);
  });
});

describe("personal reminders", () => {
  it("at most 50 waiting per member; one going off makes room", async () => {
    t = new TestBot({ config: { limits: MANY_AT_ONCE } });
    for (let i = 0; i < 49; i++) await t.say("alice", `/remind me ${i + 2}h number ${i}`);
    await t.say("alice", "/remind me 1h the last one");
    t.texts();
    const reply = await refused("alice", "/remind me 3d one too many", /^You already have 50 reminders waiting, the most one member can have/);
    expect(reply).toContain("An admin can change this limit: `limits.reminders.perMember` in the config.");
    // Another member is unaffected.
    expect((await t.say("bea", "/remind me 1h stretch")).outcome).toBe("ok");
    await t.advance(HOUR);
    t.texts();
    expect((await t.say("alice", "/remind me 3d now there's room")).outcome).toBe("ok");
  });

  it("as far ahead as limits.reminders.withinDays (a year by default)", async () => {
    t = new TestBot();
    expect((await t.say("alice", "/remind me 366d renew the domain")).outcome).toBe("ok");
    t.texts();
    await refused("alice", "/remind me 367d renew it again", /^I can only remind you up to 366 days ahead\. An admin can change this limit: `limits\.reminders\.withinDays` in the config\.$/);
    await refused("alice", "/remind me 99999999999999999999999w never", /up to 366 days ahead/);
  });

  it("follows the config", async () => {
    t = new TestBot({ config: { limits: { reminders: { perMember: 2, withinDays: 7 } } } });
    await t.say("alice", "/remind me 1h a");
    await t.say("alice", "/remind me 1h b");
    t.texts();
    await refused("alice", "/remind me 1h c", /You already have 2 reminders waiting/);
    await refused("alice", "/remind me 8d d", /up to 7 days ahead/);
  });
});

describe("actions waiting for verification", () => {
  const actionsConfig = { groups: GROUPS, actions: { jobs: JOBS }, limits: MANY_AT_ONCE };

  it("at most 20 a day per member, so a driver gets at most 20 cards a day from one member", async () => {
    t = new TestBot({ config: actionsConfig });
    for (let i = 0; i < 20; i++) await t.say("alice", `/log contact-coop rang co-op number ${i} --group mobilising`);
    t.texts();
    const reply = await refused("alice", "/log contact-coop rang one more --group mobilising", /^You've logged 20 actions in the last 24 hours that are still waiting to be verified/);
    expect(reply).toContain("An admin can change this limit: `limits.actions.pendingPerDay` in the config.");
    // Logging for someone else counts against the one who logs it.
    await refused("alice", "/log @bea ran the stall --group mobilising", /You've logged 20 actions/);
    const cards = (t.db.$client.prepare("select count(*) as n from outbox where channel = 'console:dm:jo'").get() as { n: number }).n;
    expect(cards).toBe(20);
  });

  it("makes room as the drivers catch up, and as the day passes", async () => {
    t = new TestBot({ config: { ...actionsConfig, limits: { ...MANY_AT_ONCE, actions: { pendingPerDay: 2 } } } });
    await t.say("alice", "/log contact-coop one --group mobilising");
    await t.say("alice", "/log contact-coop two --group mobilising");
    t.texts();
    await refused("alice", "/log contact-coop three --group mobilising", /You've logged 2 actions/);
    await t.say("jo", "/verify A-1");
    expect((await t.say("alice", "/log contact-coop three --group mobilising")).outcome).toBe("ok");
    t.texts();
    await refused("alice", "/log contact-coop four --group mobilising", /You've logged 2 actions/);
    await t.advance(DAY);
    expect((await t.say("alice", "/log contact-coop four --group mobilising")).outcome).toBe("ok");
  });

  it("doesn't count actions logged by others for the member", async () => {
    t = new TestBot({ config: { ...actionsConfig, limits: { ...MANY_AT_ONCE, actions: { pendingPerDay: 1 } } } });
    await t.say("alice", "/whoami");
    await t.say("bea", "/log @alice ran the stall --group mobilising");
    t.texts();
    expect((await t.say("alice", "/log contact-coop rang the bakery --group mobilising")).outcome).toBe("ok");
  });
});

describe("meetings", () => {
  const say = (text: string) => t.say("robin", text, "business-planning");
  const meetings = () => t.db.$client.prepare("select count(*) as n from meetings").get() as { n: number };

  it('refuses "every 0 days" instead of reading it as daily', async () => {
    t = new TestBot({ config: exampleConfig({ limits: MANY_AT_ONCE }) });
    await say("/whoami");
    t.texts();
    for (const rule of ["every 0 days", "every 0 weeks on monday", "every 00 months on the 3rd"]) {
      await refused("robin", `/meeting schedule business-planning "Stand-up" ${rule} at 09:30`, /^"every 0+ (days|weeks|months)" never comes round\. Try e\.g\./, "business-planning");
    }
    await refused("robin", '/meeting schedule business-planning "Stand-up" 09:30 --every "0 days"', /never comes round/, "business-planning");
  });

  it("repeats at most every 365 days, 52 weeks, 12 months or 5 years", async () => {
    t = new TestBot({ config: exampleConfig({ limits: MANY_AT_ONCE }) });
    await say("/whoami");
    t.texts();
    const cases: [string, string][] = [
      ["every 999999999 days at 09:30", "A meeting can repeat at most every 365 days, so not every 999999999 days. An admin can change this limit: `limits.meetings.every.days` in the config."],
      ["every 53 weeks on monday at 09:30", "A meeting can repeat at most every 52 weeks, so not every 53 weeks. An admin can change this limit: `limits.meetings.every.weeks` in the config."],
      ["every 13 months on the 3rd at 09:30", "A meeting can repeat at most every 12 months, so not every 13 months. An admin can change this limit: `limits.meetings.every.months` in the config."],
      ["every 6 years on 1 may at 09:30", "A meeting can repeat at most every 5 years, so not every 6 years. An admin can change this limit: `limits.meetings.every.years` in the config."],
    ];
    for (const [rule, says] of cases) {
      expect(await refused("robin", `/meeting schedule business-planning "Rare" ${rule}`, /./, "business-planning")).toBe(says);
    }
    // At the limit is fine: the schedule is shown for confirmation.
    await say('/meeting schedule business-planning "Yearly-ish" every 365 days at 09:30');
    expect(t.texts()[0]).toMatch(/^\*Yearly-ish\* for Business Planning Group: every 365 days/);
  });

  it("is at most 3 years ahead: no year 9999, by any way of setting a date", async () => {
    t = new TestBot({ config: exampleConfig({ limits: MANY_AT_ONCE }) });
    await say('/meeting schedule business-planning "Soon" 2026-08-20 11:00');
    t.texts();
    const far = /^Meetings can be at most 3 years ahead \(until Fri 17 Aug 2029\), and .* is further\. An admin can change this limit: `limits\.meetings\.yearsAhead` in the config\.$/;
    expect(await refused("robin", '/meeting schedule business-planning "Far" 9999-01-01 11:00', far, "business-planning")).toContain("Fri 1 Jan 9999");
    await refused("robin", '/meeting schedule business-planning "Far" every monday from 9999-01-04 at 11:00', far, "business-planning");
    await refused("robin", '/meeting schedule business-planning "Far" 2029-08-18 11:00', far, "business-planning");
    await refused("robin", "/meeting move 1 2026-08-20 9999-01-01 11:00", far, "business-planning");
    await refused("robin", '/meeting edit 1 --when "2030-01-01 11:00"', far, "business-planning");
    await say('/meeting schedule business-planning "Just in time" 2029-08-17 08:00');
    expect(t.texts()[0]).toMatch(/^📅 Scheduled meeting 2/);
    expect(meetings().n).toBe(2);
  });

  it("has at most 5 reminders (a daily meeting once took 60)", async () => {
    t = new TestBot({ config: exampleConfig({ limits: MANY_AT_ONCE }) });
    await say("/whoami");
    t.texts();
    const sixty = Array.from({ length: 60 }, (_, i) => `${i + 1}m`).join(",");
    expect(await refused("robin", `/meeting schedule business-planning "Daily" every day at 09:30 --remind ${sixty}`, /./, "business-planning")).toBe(
      "A meeting can have at most 5 reminders, and that's 60. An admin can change this limit: `limits.meetings.reminders` in the config.",
    );
    // The same time twice is one reminder.
    await say('/meeting schedule business-planning "One-off" 2026-08-20 11:00 --remind 1w,1d,1d,2h,1h,10m');
    expect(t.texts()[0]).toMatch(/^📅 Scheduled meeting 1/);
    await refused("robin", "/meeting edit 1 --remind 1w,2d,1d,2h,1h,10m", /at most 5 reminders, and that's 6/, "business-planning");
  });

  it("follows the config", async () => {
    t = new TestBot({ config: exampleConfig({ limits: { ...MANY_AT_ONCE, meetings: { reminders: 6, yearsAhead: 10, every: { days: 400 } } } }) });
    await say('/meeting schedule business-planning "Far" 2035-01-01 11:00 --remind 1w,2d,1d,2h,1h,10m');
    expect(t.texts()[0]).toMatch(/^📅 Scheduled meeting 1/);
    await say('/meeting schedule business-planning "Rare" every 400 days at 09:30');
    expect(t.texts()[0]).toMatch(/every 400 days/);
  });
});
