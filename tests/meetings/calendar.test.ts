// The iCalendar a group's meetings produce (RFC 5545). Each member's own
// feed of it over HTTP is in feed.test.ts.
import { afterEach, describe, expect, it } from "vitest";
import { groupCalendar } from "../../commands/meetings/calendar.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import type { TestBot } from "../helpers/bot.ts";
import { meetingsBot, withContext } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

/** Unfolds content lines (RFC 5545 3.1): CRLF followed by one space continues the line. */
const unfold = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n").filter(Boolean);

async function scheduledGroup(): Promise<void> {
  t = meetingsBot();
  const title = "Fortnightly check-in; budget, membership offer & the co-op development fund — ünïcödé";
  await t.say("robin", `/meeting schedule business-planning "${title}" every fortnight on monday at 11:00 --where https://meet.example.org/bp`, "business-planning");
  await t.say("robin", "/confirm", "business-planning");
  await t.say("robin", "/meeting skip 1 2026-08-31", "business-planning");
  await t.say("robin", "/meeting move 1 2026-09-14 14:00", "business-planning");
  await t.say("robin", '/meeting schedule business-planning "Night-shift handover" 2026-10-25 00:30 --for 2h', "business-planning");
}

describe("meeting ics", () => {
  it("follows RFC 5545: CRLF, 75-octet folding, escaped text, TZID with a VTIMEZONE, RRULE, EXDATE for skips, RECURRENCE-ID for moves, exact lengths", async () => {
    await scheduledGroup();
    const ics = withContext(t, (ctx) => groupCalendar(ctx, findGroupBySlug(ctx.db, "business-planning")!, { details: true }));
    expect(ics.endsWith("\r\n")).toBe(true);
    expect(ics.replace(/\r\n/g, "")).not.toMatch(/[\r\n]/);
    for (const line of ics.split("\r\n")) expect(Buffer.byteLength(line, "utf8")).toBeLessThanOrEqual(75);
    const lines = unfold(ics);
    expect(lines[0]).toBe("BEGIN:VCALENDAR");
    expect(lines.at(-1)).toBe("END:VCALENDAR");
    expect(lines).toContain("VERSION:2.0");
    expect(lines.filter((l) => l === "BEGIN:VTIMEZONE")).toHaveLength(1);
    expect(lines).toContain("TZID:Europe/London");
    expect(lines).toContain("SUMMARY:Fortnightly check-in\\; budget\\, membership offer & the co-op development fund — ünïcödé");
    expect(lines).toContain("DTSTART;TZID=Europe/London:20260817T110000");
    expect(lines).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
    expect(lines).toContain("EXDATE;TZID=Europe/London:20260831T110000");
    expect(lines).toContain("RECURRENCE-ID;TZID=Europe/London:20260914T110000");
    expect(lines).toContain("DTSTART;TZID=Europe/London:20260914T140000");
    // Two hours across the clocks going back end at an ambiguous 01:30: an exact DURATION says it.
    expect(lines).toContain("DTSTART;TZID=Europe/London:20261025T003000");
    expect(lines).toContain("DURATION:PT2H");
    const events = lines.filter((l) => l === "BEGIN:VEVENT").length;
    expect(events).toBe(3);
    expect(lines.filter((l) => l.startsWith("UID:meeting-1@"))).toHaveLength(2); // the series and its moved occurrence
    for (const l of lines) expect(l).toMatch(/^[A-Z-]+[;:]/);
  });

  it("comes as a file in a direct message (never a wall of text in the room), without meeting links for people outside the group", async () => {
    await scheduledGroup();
    t.texts();
    await t.say("bob", "/meeting ics business-planning", "general");
    await t.say("robin", "/meeting ics business-planning", "general");
    const sent = t.lines.splice(0);
    expect(sent.map((l) => [l.room, l.file?.name ?? null])).toEqual([
      ["dm:bob", "business-planning.ics"],
      ["general", null],
      ["dm:robin", "business-planning.ics"],
      ["general", null],
    ]);
    expect(sent.every((l) => !l.text.includes("BEGIN:VCALENDAR"))).toBe(true);
    const [outsider, driver] = sent.filter((l) => l.file).map((l) => Buffer.from(l.file!.data, "base64").toString("utf8"));
    expect(outsider).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
    expect(outsider).not.toContain("LOCATION:");
    expect(driver).toContain("LOCATION:https://meet.example.org/bp");
  });
});
