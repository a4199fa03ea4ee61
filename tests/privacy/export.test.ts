// `export me`: a member's own data, as JSON, only ever in their direct
// messages, and never in one huge message: every message stays under the
// limit however much there is, and the parts join up into valid JSON.
import { MANY_AT_ONCE } from "../helpers/bot.ts";
import { describe, expect, it } from "vitest";
import { MAX_MESSAGE } from "../../commands/privacy/export.ts";
import type { ConsoleLine } from "../../adapters/console/render.ts";
import { ALICE_WROTE, aliceTakesPart, usePrivacyBots } from "./harness.ts";

const bots = usePrivacyBots();

/** Every section in the messages, its parts joined again and parsed. */
function sections(texts: string[]): Record<string, unknown> {
  const parts = new Map<string, string[]>();
  for (const text of texts) {
    for (const m of text.matchAll(/\*(\w+)\*(?: \(part \d+ of \d+\))?\n```\n([\s\S]*?)\n```/g)) parts.set(m[1]!, [...(parts.get(m[1]!) ?? []), m[2]!]);
  }
  return Object.fromEntries([...parts].map(([name, p]) => [name, JSON.parse(p.join("\n"))]));
}

describe("export me", () => {
  it("sends everything about the member to their direct messages, and only a pointer to the room", async () => {
    const t = bots();
    await aliceTakesPart(t);
    await t.say("alice", "/export me", "comms");
    const lines: ConsoleLine[] = t.lines.splice(0);
    expect(lines.filter((l) => l.room !== "dm:alice").map((l) => l.text)).toEqual(["I've sent your data to you in a direct message, to keep it out of this room."]);
    const data = sections(lines.filter((l) => l.room === "dm:alice").map((l) => l.text)) as Record<string, any>;
    expect(data.you).toMatchObject({ name: "alice" });
    expect(data.accounts).toEqual([expect.objectContaining({ platform: "console", id: "alice" })]);
    expect(data.profile).toMatchObject({ skills: ALICE_WROTE.skills });
    expect(data.groups).toEqual([expect.objectContaining({ group: "comms" })]);
    expect(data.joinRequests).toEqual([expect.objectContaining({ note: ALICE_WROTE.joinNote, state: "approved" })]);
    expect(data.actions.map((a: { note: string }) => a.note)).toEqual(expect.arrayContaining([ALICE_WROTE.actionNote, ALICE_WROTE.pendingNote]));
    expect(data.thanksGiven).toEqual([expect.objectContaining({ to: ["bea"], for: ALICE_WROTE.thanks, public: true })]);
    expect(data.thanksReceived).toEqual([expect.objectContaining({ from: "bea" })]);
    expect(data.rsvps.map((r: { date: string }) => r.date)).toEqual(["2026-08-18T18:00", "2026-08-25T18:00"]);
    expect(data.attendance).toEqual([{ meeting: "Policy circle", date: "2026-08-18T18:00" }]);
    expect(data.meetingNotesYouWrote).toEqual([expect.objectContaining({ kind: "info", text: ALICE_WROTE.meetingNote })]);
    expect(data.reminders).toEqual([expect.objectContaining({ text: ALICE_WROTE.reminder })]);
    expect(data.clinicEnquiries).toEqual([expect.objectContaining({ enquiry: "CL-0001", question: ALICE_WROTE.question })]);
  });

  it("keeps every message under the limit, however much there is, and the parts join up", async () => {
    // Sixty actions logged at one instant: more than the limits let a person do, so they are raised here.
    const t = bots({ config: { limits: { ...MANY_AT_ONCE, actions: { pendingPerDay: 1000 } } } });
    await t.say("alice", "hello", "dm:alice");
    for (let i = 1; i <= 60; i++) await t.say("alice", `/log handed out leaflets at stall number ${i} ${"and talked to people about worker co-ops ".repeat(4)}`, "dm:alice");
    const question = `our question & <details> ${"about the buyout terms and the loan ".repeat(110)}`.slice(0, 3990).trim();
    await t.say("alice", `clinic ask ${question}`, "dm:alice");
    t.take();
    await t.say("alice", "export me", "dm:alice");
    const texts = t.texts();
    expect(texts.length).toBeGreaterThan(5);
    for (const text of texts) expect(text.length).toBeLessThanOrEqual(MAX_MESSAGE);
    const data = sections(texts) as Record<string, any>;
    expect(data.actions).toHaveLength(60);
    // A text too long for one line comes as a list of pieces.
    expect(data.clinicEnquiries[0].question.join("")).toBe(question);
  });
});
