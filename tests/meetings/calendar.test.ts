// The iCalendar a group's meetings produce (RFC 5545) and the HTTP feed that
// serves it only to holders of the group's secret token.
import { afterEach, describe, expect, it } from "vitest";
import { groupCalendar } from "../../commands/meetings/calendar.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import type { TestBot } from "../helpers/bot.ts";
import { meetingsBot, withContext } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

/** Unfolds content lines (RFC 5545 3.1): CRLF followed by one space continues the line. */
const unfold = (ics: string) => ics.replace(/\r\n /g, "").split("\r\n").filter(Boolean);

async function scheduledGroup(config: Record<string, unknown> = {}): Promise<void> {
  t = meetingsBot({ config });
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

  it("leaves meeting links out for people outside the group", async () => {
    await scheduledGroup();
    t.texts();
    await t.say("bob", "/meeting ics business-planning", "general");
    await t.say("robin", "/meeting ics business-planning", "general");
    const [outsider, driver] = t.texts();
    expect(outsider).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
    expect(outsider).not.toContain("LOCATION:");
    expect(driver).toContain("LOCATION:https://meet.example.org/bp");
  });
});

describe("calendar feed over HTTP", () => {
  it("serves the group's calendar with its token, and a bare 404 without it", async () => {
    await scheduledGroup({ http: { port: 0, publicUrl: "https://bot.example.org/" } });
    await t.bot.start({ schedulerIntervalMs: 3600_000 });
    const port = t.bot.httpAddress()!.port;
    t.texts();
    await t.say("bob", "/meeting feed business-planning", "general");
    expect(t.texts()).toEqual([expect.stringMatching(/calendar link is for members/)]);
    await t.say("robin", "/meeting feed business-planning", "business-planning");
    const [dm, reply] = t.texts();
    expect(reply).toBe("I've sent you the calendar link in a private message.");
    const url = /https:\/\/bot\.example\.org\/calendar\/business-planning\.ics\?token=([\w-]{20,})/.exec(dm!);
    expect(url).not.toBeNull();
    const token = url![1]!;

    const get = (path: string) => fetch(`http://127.0.0.1:${port}${path}`);
    const ok = await get(`/calendar/business-planning.ics?token=${token}`);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(await ok.text()).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");

    const unknownPath = await (await get("/nothing-here")).text();
    for (const path of [
      "/calendar/business-planning.ics",
      `/calendar/business-planning.ics?token=${token.slice(0, -1)}x`,
      `/calendar/comms.ics?token=${token}`,
      `/calendar/no-such-group.ics?token=${token}`,
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text(), path).toBe(unknownPath);
    }

    // A driver can replace the link; the old one stops working.
    await t.say("robin", "/meeting feed business-planning --reset", "dm:robin");
    expect((await get(`/calendar/business-planning.ics?token=${token}`)).status).toBe(404);
    const fresh = /token=([\w-]+)/.exec(t.texts().at(-1)!)![1]!;
    expect((await get(`/calendar/business-planning.ics?token=${fresh}`)).status).toBe(200);
  });
});
