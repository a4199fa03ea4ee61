// Reminders: DST-safe across a whole year, planned one occurrence at a time
// (so start-up does nothing per series), never doubled by a restart or a
// replay, and sent late or skipped after downtime by a stated policy.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { replayFile } from "../../adapters/console/replay.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";
import { scheduleMeeting } from "../../commands/meetings/index.ts";
import type { TestBot } from "../helpers/bot.ts";
import { groupId, jobStates, meetingsBot, rows, withContext } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const london = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/London" }).toMillis();
/** Pending meeting jobs (the core's daily pruning is always pending too). */
const pending = () => t.db.$client.prepare("select count(*) n from jobs where state = 'pending' and kind like 'meetings.%'").get() as { n: number };

describe("reminders across DST", () => {
  it("posts a fortnightly Monday 11:00 meeting's reminders at 11:00 the day before and 10:00 on the day, all year", async () => {
    t = meetingsBot({ start: "2026-03-10T09:00" });
    await t.say("robin", '/meeting schedule business-planning "Check-in" fortnightly on monday at 11:00', "business-planning");
    await t.say("robin", "/confirm", "business-planning");
    t.lines.splice(0);
    let mostPending = 0;
    for (let day = 0; day < 266; day++) {
      await t.advance(86_400_000);
      mostPending = Math.max(mostPending, pending().n);
    }
    const reminders = t.lines.filter((l) => l.room === "business-planning" && l.text.startsWith("⏰"));
    const dayBefore = reminders.filter((l) => l.text.includes(" tomorrow: "));
    const onTheDay = reminders.filter((l) => l.text.includes(" in 1 hour: "));
    expect(dayBefore).toHaveLength(19); // 16 Mar ... 23 Nov
    expect(onTheDay).toHaveLength(19);
    for (const l of dayBefore) expect(l.at).toMatch(/T11:00$/);
    for (const l of onTheDay) expect(l.at).toMatch(/T10:00$/);
    for (const l of reminders) expect(l.text).toMatch(/ 11:00–12:00 (GMT|BST) \(Europe\/London\)/);
    // The instants did move: 10:00 UTC in winter, 09:00 UTC in summer.
    const utcHours = new Set(onTheDay.map((l) => DateTime.fromISO(l.at, { zone: "Europe/London" }).toUTC().hour));
    expect([...utcHours].sort((a, b) => a - b)).toEqual([9, 10]);
    expect(onTheDay.map((l) => l.at.slice(0, 10))).toContain("2026-03-30");
    expect(onTheDay.map((l) => l.at.slice(0, 10))).toContain("2026-10-26");
    // Only the next occurrence is ever planned: a handful of pending jobs, not a year of them.
    expect(mostPending).toBeLessThanOrEqual(4);
  });
});

describe("planning cost", () => {
  it("does no per-series work at start: 2,000 series in the database, no job row created or changed", async () => {
    t = meetingsBot();
    const groups = ["comms", "policy", "digital", "mobilising", "business-planning"].map((slug) => groupId(t, slug));
    const days = ["WE", "TH", "FR"];
    withContext(t, (ctx) => {
      for (let i = 0; i < 2000; i++) {
        scheduleMeeting(ctx, {
          groupId: groups[i % groups.length]!,
          title: `Series ${i}`,
          kind: "meeting",
          start: `2026-08-${19 + (i % 3)}T${String(9 + (i % 9)).padStart(2, "0")}:00`,
          zone: "Europe/London",
          rrule: `FREQ=WEEKLY;INTERVAL=${1 + (i % 2)};BYDAY=${days[i % 3]}`,
          durationMinutes: 60,
          location: null,
          remindMinutes: "1440,60",
          createdBy: 1,
        });
      }
    });
    const jobs = rows(t, "jobs");
    // One pending plan job per series: nothing is expanded beyond its next occurrence.
    const meetingJobs = jobs.filter((j) => String(j.key).startsWith("meeting:"));
    expect(meetingJobs).toHaveLength(2000);
    expect(new Set(meetingJobs.map((j) => j.kind))).toEqual(new Set(["meetings.plan"]));
    const meetingRows = rows(t, "meetings");
    await t.close({ keep: true });

    t = meetingsBot({ dir: t.dir });
    await t.bot.start({ schedulerIntervalMs: 3600_000 });
    // The federation-wide hourly sweep may run at start; nothing per series does.
    const notSweep = (js: Record<string, unknown>[]) => js.filter((j) => j.kind !== "actions.nudge-sweep");
    expect(notSweep(rows(t, "jobs"))).toEqual(notSweep(jobs));
    expect(rows(t, "meetings")).toEqual(meetingRows);
  });
});

describe("restarts and replays", () => {
  it("sends nothing when the same transcript is replayed again on the same database", async () => {
    const dbPath = join(mkdtempSync(join(tmpdir(), "coopbot-meetings-")), "replay.sqlite");
    const replay = () => replayFile("tests/transcripts/meetings/dst-spring.txt", { capabilities, configPath: "examples/workers-coop.yaml", log: silentLogger, dbPath });
    const first = await replay();
    expect(first.output.filter((l) => l.includes("⏰"))).toHaveLength(4);
    const second = await replay();
    // No reminder, notice or stored message goes twice. Answers to read-only
    // commands (`meetings`) are not recorded, so a replay answers them again,
    // word for word.
    expect(second.output.filter((l) => l.includes("⏰"))).toEqual([]);
    expect(second.output.filter((l) => !first.output.includes(l))).toEqual([]);
    expect(second.output.length).toBeLessThan(first.output.length / 2);
  });
});

describe("downtime", () => {
  async function weeklyOutreach(): Promise<void> {
    t = meetingsBot();
    await t.say("kim", '/meeting schedule mobilising "Outreach call" weekly on wednesday at 18:00', "mobilising");
    await t.say("kim", "/confirm", "mobilising");
  }
  /** As `@clock` does: jump, then run whatever fell due meanwhile, late. */
  async function backOnline(iso: string): Promise<void> {
    t.clock.set(london(iso));
    t.bot.scheduler.runDue();
    await t.bot.dispatcher.drain();
  }

  it("sends only the latest overdue reminder of a meeting that hasn't started, marked late", async () => {
    await weeklyOutreach();
    t.lines.splice(0);
    await backOnline("2026-08-19T17:30");
    expect(t.texts()).toEqual([expect.stringMatching(/^⏰ \(late: I was offline\) \*Outreach call\* \(Mobilising Group\) in 30 minutes: /)]);
    expect(jobStates(t, "meeting:1:2026-08-19T18:00:v0:remind")).toEqual([
      { key: "meeting:1:2026-08-19T18:00:v0:remind:1d", state: "skipped", note: expect.stringMatching(/^superseded by the 1 hour reminder/) },
      { key: "meeting:1:2026-08-19T18:00:v0:remind:1h", state: "done", note: null },
    ]);
  });

  it("skips (and records why) a reminder for a meeting that was over when the bot came back", async () => {
    await weeklyOutreach();
    await t.advance(london("2026-08-18T19:00") - t.clock.now());
    t.lines.splice(0);
    await backOnline("2026-08-20T09:00");
    expect(jobStates(t, "meeting:1:2026-08-19T18:00:v0:remind:1h")).toEqual([
      { key: "meeting:1:2026-08-19T18:00:v0:remind:1h", state: "skipped", note: expect.stringMatching(/^the meeting was over when I could send it \(late by 16h\)/) },
    ]);
    expect(t.texts().filter((text) => text.startsWith("⏰"))).toEqual([]);
  });

  it("after a long outage plans from the next meeting to come, without planning the missed ones", async () => {
    await weeklyOutreach();
    await backOnline("2026-10-06T09:00");
    const plans = jobStates(t, "meeting:1:").filter((j) => j.key.endsWith(":plan"));
    expect(plans).toEqual([
      { key: "meeting:1:2026-08-19T18:00:v0:plan", state: "skipped", note: expect.stringMatching(/^2026-08-19T18:00 was over long before I could plan it \(late by 48d15h\): no reminders or attendance prompt/) },
      { key: "meeting:1:2026-10-07T18:00:v0:plan", state: "pending", note: null },
    ]);
    expect(jobStates(t, "meeting:1:2026-09")).toEqual([]);
  });
});

describe("changing a meeting moves its pending reminders", () => {
  it("cancels the old reminders and schedules new ones on move, and leaves none after cancel", async () => {
    t = meetingsBot();
    await t.say("sam", '/meeting schedule comms "Comms weekly" weekly on thursday at 14:00 --remind 1h', "comms");
    await t.say("sam", "/confirm", "comms");
    await t.advance(london("2026-08-19T15:00") - t.clock.now());
    expect(jobStates(t, "meeting:1:2026-08-20T14:00:v0:remind")).toEqual([{ key: "meeting:1:2026-08-20T14:00:v0:remind:1h", state: "pending", note: null }]);

    await t.say("sam", "/meeting move 1 2026-08-20 16:00", "comms");
    await t.advance(2 * 3600_000); // the new plan (a day before 16:00) has run
    const due = t.db.$client.prepare("select key, due_at from jobs where state = 'pending' and key like 'meeting:1:2026-08-20%remind%'").all() as { key: string; due_at: number }[];
    expect(due).toEqual([{ key: "meeting:1:2026-08-20T14:00:v1:remind:1h", due_at: london("2026-08-20T15:00") }]);
    expect(jobStates(t, "meeting:1:2026-08-20T14:00:v0:remind")[0]!.state).toBe("cancelled");

    await t.say("sam", "/meeting cancel 1", "comms");
    expect(jobStates(t, "meeting:1:").filter((j) => j.state === "pending")).toEqual([]);
    t.lines.splice(0);
    await t.advance(14 * 86_400_000);
    expect(t.texts()).toEqual([]);
  });
});
