// Editing a meeting: a new recurring schedule waits for confirmation like a
// new meeting; small changes apply at once; a change made just as a reminder
// fell due neither loses it nor sends it twice.
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { jobStates, meetingsBot, rows } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const london = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/London" }).toMillis();

async function weekly(): Promise<void> {
  t = meetingsBot();
  await t.say("sam", '/meeting schedule comms "Comms weekly" weekly on thursday at 14:00 --remind 1h', "comms");
  await t.say("sam", "/confirm", "comms");
  t.texts();
}

describe("meeting edit", () => {
  it("shows a new recurring schedule for confirmation, keeping the time of day when only the rule changes", async () => {
    await weekly();
    await t.say("sam", '/meeting edit 1 --every "fortnight on wednesday"', "comms");
    expect(t.texts()[0]).toMatch(/would become: every 2 weeks on Wednesday at 14:00 \(Europe\/London\).*\nNext: Wed 19 Aug 14:00, Wed 2 Sept 14:00, Wed 16 Sept 14:00\./s);
    expect(rows(t, "meetings")[0]).toMatchObject({ rrule: "FREQ=WEEKLY;BYDAY=TH", revision: 0 });
    await t.say("sam", "/confirm", "comms");
    expect(rows(t, "meetings")[0]).toMatchObject({ start: "2026-08-19T14:00", rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", revision: 1 });
    expect(jobStates(t, "meeting:1:").filter((j) => j.state === "pending").map((j) => j.key)).toEqual(["meeting:1:2026-08-19T14:00:v1:plan"]);
  });

  it("refuses a stale draft when the meeting changed meanwhile", async () => {
    await weekly();
    await t.say("sam", '/meeting edit 1 --every "week on friday"', "comms");
    await t.say("admin", '/meeting edit 1 --title "Comms catch-up"', "general");
    t.texts();
    await t.say("sam", "/confirm", "comms");
    expect(t.texts()).toEqual(["Meeting 1 was changed by someone else meanwhile; run your edit again."]);
    expect(rows(t, "meetings")[0]).toMatchObject({ title: "Comms catch-up", rrule: "FREQ=WEEKLY;BYDAY=TH" });
  });

  it("refuses --when alone for a recurring meeting, and an empty edit, changing nothing", async () => {
    await weekly();
    const before = t.snapshot();
    await t.say("sam", '/meeting edit 1 --when "2026-09-01 11:00"', "comms");
    await t.say("sam", "/meeting edit 1", "comms");
    await t.say("sam", "/meeting edit 1 --every sometimes", "comms");
    const replies = t.texts();
    expect(replies[0]).toMatch(/repeats: give the whole new rule with --every/);
    expect(replies[1]).toMatch(/^Say what to change/);
    expect(replies[2]).toMatch(/I couldn't understand "sometimes"/);
    expect(t.snapshot()).toEqual(before);
  });

  it("still sends, once, a reminder that was due but not yet sent when the meeting was changed", async () => {
    await weekly();
    await t.advance(london("2026-08-20T12:59") - t.clock.now());
    t.clock.set(london("2026-08-20T13:00")); // due now; the scheduler hasn't ticked yet
    await t.say("sam", '/meeting edit 1 --title "Comms catch-up"', "comms");
    t.lines.splice(0);
    await t.advance(60_000);
    const reminders = t.texts().filter((text) => text.startsWith("⏰"));
    expect(reminders).toEqual([expect.stringMatching(/^⏰ \*Comms catch-up\* \(Communications Group\) in 1 hour: /)]);
    await t.say("sam", '/meeting edit 1 --where "Room 1"', "comms");
    await t.advance(30 * 60_000);
    expect(t.texts().filter((text) => text.startsWith("⏰"))).toEqual([]);
  });
});
