import { describe, it, expect } from "vitest";
import { buildCalendar, foldLine, escapeText } from "../../commands/meetings/ics.ts";

const STAMP = Date.parse("2026-08-19T09:00:00Z");
const LONG_TITLE =
  "Café ☕ coöp réunion 🎉🎉 naïve façade — Straße 👩‍👩‍👧 großartig, with; specials\\ and a title long enough to fold 😀😀😀 twice over for sure";

function calendar(zone = "Europe/London") {
  return buildCalendar({
    name: "Tech WG, meetings; all",
    zone,
    stampMs: STAMP,
    events: [
      {
        uid: "wg-tech-1@coopbot",
        title: LONG_TITLE,
        start: "2026-03-16T11:00",
        durationMinutes: 90,
        rrule: "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO",
        exdates: ["2026-04-13T11:00", "2026-10-26T11:00"],
        location: "Room 1, floor 2",
        description: "Agenda:\nline two; with \\ backslash",
        sequence: 2,
        status: "CONFIRMED",
      },
    ],
  });
}

const unfold = (ics: string) => ics.replace(/\r\n /g, "");
const props = (ics: string) => unfold(ics).split("\r\n");
const octets = (s: string) => Buffer.byteLength(s, "utf8");
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe("ICS line format", () => {
  const ics = calendar();

  it("uses CRLF for every line break and ends with CRLF", () => {
    expect(ics.endsWith("END:VCALENDAR\r\n")).toBe(true);
    expect(/[^\r]\n/.test(ics)).toBe(false);
    expect(/\r[^\n]/.test(ics)).toBe(false);
  });

  it("keeps every physical line within 75 octets, even with a long UTF-8 title", () => {
    const lines = ics.split("\r\n");
    expect(lines.some((l) => l.startsWith(" "))).toBe(true); // something was folded
    for (const line of lines) expect(octets(line)).toBeLessThanOrEqual(75);
  });

  it("never splits a character when folding, and unfolding restores the exact text", () => {
    for (const line of ics.split("\r\n")) {
      expect(loneSurrogate.test(line)).toBe(false);
      expect(Buffer.from(line, "utf8").toString("utf8")).toBe(line);
    }
    const summary = props(ics).find((p) => p.startsWith("SUMMARY:"));
    expect(summary).toBe(
      "SUMMARY:Café ☕ coöp réunion 🎉🎉 naïve façade — Straße 👩‍👩‍👧 großartig\\, with\\; specials\\\\ and a title long enough to fold 😀😀😀 twice over for sure",
    );
  });

  it("folds with CRLF + one space and fills lines up to the limit", () => {
    const folded = foldLine(`DESCRIPTION:${"é".repeat(60)}`);
    const [first, second] = folded.split("\r\n");
    expect(octets(first!)).toBe(74); // 12 ASCII + 31 two-byte chars; a 32nd would make 76
    expect(second!.startsWith(" ")).toBe(true);
    expect(folded.replace(/\r\n /g, "")).toBe(`DESCRIPTION:${"é".repeat(60)}`);
  });

  it("escapes backslash, semicolon, comma and newlines in TEXT values", () => {
    expect(escapeText("a\\b;c,d\ne\r\nf")).toBe("a\\\\b\\;c\\,d\\ne\\nf");
    const p = props(ics);
    expect(p).toContain("DESCRIPTION:Agenda:\\nline two\\; with \\\\ backslash");
    expect(p).toContain("LOCATION:Room 1\\, floor 2");
    expect(p).toContain("X-WR-CALNAME:Tech WG\\, meetings\\; all");
  });
});

describe("ICS content", () => {
  const p = props(calendar());

  it("has the calendar header properties", () => {
    expect(p[0]).toBe("BEGIN:VCALENDAR");
    expect(p).toContain("VERSION:2.0");
    expect(p.some((l) => l.startsWith("PRODID:"))).toBe(true);
  });

  it("writes DTSTART and DTEND with TZID, DTSTAMP in UTC, UID, RRULE, SEQUENCE and STATUS", () => {
    expect(p).toContain("DTSTART;TZID=Europe/London:20260316T110000");
    expect(p).toContain("DTEND;TZID=Europe/London:20260316T123000");
    expect(p).toContain("DTSTAMP:20260819T090000Z");
    expect(p).toContain("UID:wg-tech-1@coopbot");
    expect(p).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
    expect(p).toContain("SEQUENCE:2");
    expect(p).toContain("STATUS:CONFIRMED");
  });

  it("writes EXDATE with TZID in local time", () => {
    expect(p).toContain("EXDATE;TZID=Europe/London:20260413T110000,20261026T110000");
  });

  it("has a Europe/London VTIMEZONE with DAYLIGHT +0000->+0100 and STANDARD +0100->+0000", () => {
    const tz = p.slice(p.indexOf("BEGIN:VTIMEZONE"), p.indexOf("END:VTIMEZONE") + 1);
    expect(tz).toContain("TZID:Europe/London");
    const block = (kind: string) => tz.slice(tz.indexOf(`BEGIN:${kind}`), tz.indexOf(`END:${kind}`) + 1);
    const daylight = block("DAYLIGHT");
    const standard = block("STANDARD");
    expect(daylight).toEqual(expect.arrayContaining([
      "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    ]));
    expect(daylight.find((l) => l.startsWith("DTSTART:"))).toMatch(/^DTSTART:\d{4}03\d\dT010000$/);
    expect(standard).toEqual(expect.arrayContaining([
      "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    ]));
    expect(standard.find((l) => l.startsWith("DTSTART:"))).toMatch(/^DTSTART:\d{4}10\d\dT020000$/);
    // The observances must start before the first event.
    expect(daylight.find((l) => l.startsWith("DTSTART:"))! < "DTSTART:20260316").toBe(true);
  });

  it("gives a zone without DST a single STANDARD observance (Asia/Kolkata +0530, UTC +0000)", () => {
    for (const [zone, offset] of [["Asia/Kolkata", "+0530"], ["UTC", "+0000"]] as const) {
      const q = props(calendar(zone));
      const tz = q.slice(q.indexOf("BEGIN:VTIMEZONE"), q.indexOf("END:VTIMEZONE") + 1);
      expect(tz.filter((l) => l === "BEGIN:STANDARD")).toHaveLength(1);
      expect(tz).not.toContain("BEGIN:DAYLIGHT");
      expect(tz).toContain(`TZOFFSETFROM:${offset}`);
      expect(tz).toContain(`TZOFFSETTO:${offset}`);
      expect(q).toContain(`DTSTART;TZID=${zone}:20260316T110000`);
    }
  });

  it("gives an exact DURATION when the local end time happens twice (the clocks going back)", () => {
    const q = props(buildCalendar({
      name: "x", zone: "Europe/London", stampMs: STAMP,
      events: [{ uid: "u", title: "t", start: "2026-10-25T00:30", durationMinutes: 120 }],
    }));
    // 00:30 BST + 2h = 01:30 GMT, but "DTEND 01:30" would mean the first 01:30 (BST): one hour.
    expect(q).toContain("DURATION:PT2H");
    expect(q.some((l: string) => l.startsWith("DTEND"))).toBe(false);
  });

  it("computes DTEND from the real instant when a meeting spans the clocks going back", () => {
    const q = props(buildCalendar({
      name: "x", zone: "Europe/London", stampMs: STAMP,
      events: [{ uid: "u", title: "t", start: "2026-10-25T00:30", durationMinutes: 180 }],
    }));
    // 00:30 BST + 3h = 02:30 GMT (the wall clock only moved 2 hours).
    expect(q).toContain("DTEND;TZID=Europe/London:20261025T023000");
  });

  it("rejects an unknown zone", () => {
    expect(() => buildCalendar({ name: "x", zone: "Nowhere/Land", stampMs: STAMP, events: [] })).toThrow(/time zone/);
  });
});
