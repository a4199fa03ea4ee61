// Scheduling: refusals change nothing; a recurring schedule waits for its
// driver's confirmation in the database (so it survives a restart), and a
// draft is decided once (the decision is a conditional UPDATE).
import { afterEach, describe, expect, it } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { meetingsBot, rows } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

describe("meeting schedule", () => {
  it("refuses input it can't use with a reason, and writes nothing", async () => {
    t = meetingsBot();
    await t.say("robin", "/whoami", "business-planning");
    t.texts();
    const before = t.snapshot();
    const bad = [
      '/meeting schedule business-planning "Check-in" every blue moon',
      '/meeting schedule business-planning "Check-in" fortnightly',
      '/meeting schedule business-planning "Check-in" 2026-08-10 11:00',
      '/meeting schedule business-planning "Check-in" 2026-02-30 11:00',
      '/meeting schedule business-planning "Check-in" tomorrow 10:00 --for 0m',
      '/meeting schedule business-planning "Check-in" tomorrow 10:00 --for 2d',
      '/meeting schedule business-planning "Check-in" tomorrow 10:00 --remind soon',
      '/meeting schedule business-planning "Check-in" tomorrow 10:00 --remind 6w',
      '/meeting schedule business-planning "Check-in" tomorrow 10:00 --kind party',
      '/meeting schedule nope "Check-in" tomorrow 10:00',
      '/meeting schedule comms "Check-in" tomorrow 10:00',
      "/meeting schedule business-planning",
    ];
    for (const text of bad) await t.say("robin", text, "business-planning");
    const replies = t.texts();
    expect(replies).toHaveLength(bad.length);
    expect(replies[0]).toMatch(/I couldn't understand "blue moon"\. Try e\.g\. "2026-08-23 11:00"/);
    expect(replies[1]).toMatch(/Please add a time/);
    expect(replies[2]).toMatch(/is in the past/);
    expect(replies[3]).toMatch(/There is no 30 February 2026/);
    expect(replies[4]).toMatch(/`0m` isn't a length/);
    expect(replies[5]).toMatch(/between 5 minutes and 24 hours/);
    expect(replies[6]).toMatch(/`soon` isn't a reminder time/);
    expect(replies[7]).toMatch(/at most 4 weeks/);
    expect(replies[8]).toMatch(/expected one of meeting, webinar, workshop/);
    expect(replies[9]).toMatch(/There's no group `nope`/);
    expect(replies[10]).toMatch(/is for drivers and admins/);
    expect(replies[11]).toMatch(/required/);
    expect(t.snapshot()).toEqual(before);
  });

  it("keeps a recurring schedule unsaved until its own driver confirms, across a restart", async () => {
    t = meetingsBot();
    await t.say("robin", '/meeting schedule business-planning "Check-in" fortnightly on monday at 11:00', "business-planning");
    expect(t.texts()[0]).toMatch(/Next: Mon 17 Aug 11:00, Mon 31 Aug 11:00, Mon 14 Sept 11:00\./);
    expect(rows(t, "meetings")).toHaveLength(0);
    await t.close({ keep: true });

    t = meetingsBot({ dir: t.dir });
    await t.say("sam", "/confirm", "comms");
    expect(t.texts()).toEqual(["Nothing is waiting for your confirmation (drafts last 30m)."]);
    await t.say("sam", "/meeting confirm 1", "comms");
    expect(t.texts()).toEqual(["Draft d1 is someone else's to confirm."]);
    expect(rows(t, "meetings")).toHaveLength(0);

    await t.say("robin", "/confirm", "business-planning");
    expect(rows(t, "meetings")).toMatchObject([{ title: "Check-in", start: "2026-08-17T11:00", zone: "Europe/London", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO" }]);
    expect(rows(t, "meeting_drafts")).toMatchObject([{ state: "confirmed" }]);
  });

  it("does not schedule twice when a click is followed by a typed confirm", async () => {
    t = meetingsBot();
    await t.say("robin", '/meeting schedule business-planning "Check-in" weekly on monday at 11:00', "business-planning");
    await t.say("robin", "/meeting confirm 1", "business-planning");
    await t.say("robin", "/confirm", "business-planning");
    expect(rows(t, "meetings")).toHaveLength(1);
    expect(t.texts().at(-1)).toBe("Nothing is waiting for your confirmation (drafts last 30m).");
  });

  it("expires a draft nobody confirmed, and then refuses it even by number", async () => {
    t = meetingsBot();
    await t.say("robin", '/meeting schedule business-planning "Check-in" weekly on monday at 11:00', "business-planning");
    await t.advance(30 * 60_000);
    expect(rows(t, "meeting_drafts")).toMatchObject([{ state: "expired" }]);
    t.texts();
    await t.say("robin", "/meeting confirm 1", "business-planning");
    expect(t.texts()).toEqual(["Draft d1 was already expired."]);
    expect(rows(t, "meetings")).toHaveLength(0);
  });

  it("saves a one-off at once, in the group's own time zone", async () => {
    t = meetingsBot();
    await t.say("admin", '/group create leeds "Leeds network" --kind network --timezone America/Toronto', "general");
    await t.say("admin", '/meeting schedule leeds "Meet-up" 2026-09-01 18:00', "general");
    expect(rows(t, "meetings")).toMatchObject([{ start: "2026-09-01T18:00", zone: "America/Toronto", rrule: null }]);
  });
});
