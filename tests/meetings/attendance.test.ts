// RSVPs count each member once per occurrence (whatever the platform), each
// newly recorded attendance is announced once as `meeting.attended`, and
// attendance feeds the peer-network figures.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { defineCapability } from "../../bot/capability.ts";
import type { DomainEvents } from "../../bot/domain.ts";
import type { InboundEvent } from "../../bot/events.ts";
import { capabilities } from "../../commands/index.ts";
import type { TestBot } from "../helpers/bot.ts";
import { ScriptedAdapter } from "../helpers/scripted-adapter.ts";
import { groupId, meetingsBot, rows, withContext } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const DAY = 86_400_000;

describe("RSVP", () => {
  it("keeps one answer per member and occurrence, even from two platforms", async () => {
    t = meetingsBot();
    await t.say("robin", '/meeting schedule business-planning "Budget review" 2026-08-20 11:00', "business-planning");
    await t.say("bob", "/whoami", "general");
    const bob = (t.db.$client.prepare("select member_id id from identities where platform_id = 'bob'").get() as { id: number }).id;
    t.db.$client.prepare("insert into identities (platform, platform_id, member_id, display_name, created_at) values ('slack', 'U0BOB', ?, 'bob', 0)").run(bob);

    expect(t.bot.receive(t.event("bob", "/rsvp 1 maybe", "business-planning")).outcome).toBe("ok");
    const fromSlack = { ...t.event("bob", "rsvp 1 yes", "general"), platform: "slack" as const, sender: { platformId: "U0BOB", displayName: "bob" }, room: { id: "C1", kind: "public" as const }, addressed: true };
    expect(t.bot.receive(fromSlack).outcome).toBe("ok");
    expect(rows(t, "meeting_rsvps")).toMatchObject([{ meeting_id: 1, occurrence: "2026-08-20T11:00", member_id: bob, answer: "yes" }]);
  });
});

describe("attendance", () => {
  function recordingBot(): { events: DomainEvents["meeting.attended"][] } {
    const events: DomainEvents["meeting.attended"][] = [];
    const listener = defineCapability({ name: "test-actions", on: { "meeting.attended": (_ctx, p) => void events.push(p) } });
    t = meetingsBot({ capabilities: [...capabilities, listener] });
    return { events };
  }

  it("emits meeting.attended once per newly recorded member, never for repeats", async () => {
    const { events } = recordingBot();
    await t.say("robin", '/meeting schedule business-planning "Budget review" 2026-08-20 11:00', "business-planning");
    for (const who of ["bob", "cat"]) await t.say(who, "/rsvp 1 yes", "business-planning");
    await t.say("dan", "/whoami", "general");
    await t.advance(3 * DAY + 3 * 3600_000);
    await t.say("robin", "/attended 1 --rsvp-yes", "business-planning");
    await t.say("robin", "/attended 1 @bob @dan", "business-planning");
    await t.say("robin", "/attended 1 --rsvp-yes", "business-planning");
    const id = (name: string) => (t.db.$client.prepare("select member_id id from identities where platform_id = ?").get(name) as { id: number }).id;
    const robin = id("robin");
    const bp = groupId(t, "business-planning");
    expect(events).toEqual([
      { memberId: id("bob"), groupId: bp, meetingId: 1, occurrence: "2026-08-20T11:00", recordedBy: robin },
      { memberId: id("cat"), groupId: bp, meetingId: 1, occurrence: "2026-08-20T11:00", recordedBy: robin },
      { memberId: id("dan"), groupId: bp, meetingId: 1, occurrence: "2026-08-20T11:00", recordedBy: robin },
    ]);
    expect(rows(t, "meeting_attendance")).toHaveLength(3);
  });

  it("refuses attendance for a meeting that hasn't started, and changes nothing", async () => {
    const { events } = recordingBot();
    await t.say("robin", '/meeting schedule business-planning "Budget review" 2026-08-20 11:00', "business-planning");
    await t.say("bob", "/whoami", "general");
    t.texts();
    const before = t.snapshot();
    await t.say("robin", "/attended 1 @bob --date 2026-08-20", "business-planning");
    await t.say("robin", "/attended 1 @nobody", "business-planning");
    expect(t.texts()).toEqual([expect.stringMatching(/hasn't started yet/), expect.stringMatching(/hasn't met yet/)]);
    expect(t.snapshot()).toEqual(before);
    expect(events).toEqual([]);
  });
});

describe("metrics", () => {
  it("counts active peer networks, their distinct participants, and webinars held", async () => {
    t = meetingsBot();
    // Two peer-network meetings (tech twice, food once) and a working group's meeting.
    await t.say("admin", '/meeting schedule tech "Tech meet-up" 2026-08-18 18:00', "general");
    await t.say("admin", '/meeting schedule food "Food meet-up" 2026-08-19 18:00', "general");
    await t.say("admin", '/meeting schedule comms "Comms" 2026-08-19 10:00', "general");
    await t.say("admin", '/meeting schedule tech "Intro to co-op finance" 2026-08-20 18:00 --kind webinar', "general");
    await t.say("admin", '/meeting schedule tech "Governance basics" 2026-09-20 18:00 --kind workshop', "general");
    for (const who of ["bob", "cat", "dan"]) await t.say(who, "/whoami", "general");
    await t.advance(4 * DAY);
    for (const cmd of ["/attended 1 @bob @cat", "/attended 2 @cat @dan", "/attended 3 @bob @cat @dan", "/attended 4 @bob"]) await t.say("admin", cmd, "general");
    const figure = (key: string, range: { from?: number; to: number }) =>
      withContext(t, (ctx) => ctx.services.metrics.find((m) => m.key === key)!.compute(ctx, range));
    const now = t.clock.now();
    expect(figure("meetings.networks-active", { to: now })).toBe(2);
    expect(figure("meetings.network-participants", { to: now })).toBe(3);
    expect(figure("meetings.webinars", { to: now })).toBe(1); // the workshop hasn't happened yet
    // A period that holds only the first day: just tech, with bob and cat.
    const firstDay = { from: now - 4 * DAY, to: now - 2 * DAY };
    expect(figure("meetings.networks-active", firstDay)).toBe(1);
    expect(figure("meetings.network-participants", firstDay)).toBe(2);
    expect(figure("meetings.webinars", firstDay)).toBe(0);
  });
});

describe("linked accounts", () => {
  it("merges RSVPs and attendance into one member: one row per occurrence, the later answer standing", async () => {
    t = meetingsBot();
    const matrix = new ScriptedAdapter("matrix");
    t.bot.attach(matrix);
    const onMatrix = async (text: string) => {
      const event: InboundEvent = { platform: "matrix", eventId: `$${randomUUID()}`, sender: { platformId: "@bob:example.org", displayName: "Bob" }, room: { id: "!dm-bob", kind: "dm" }, text, addressed: true };
      t.bot.receive(event);
      await t.bot.dispatcher.drain();
    };
    await t.say("robin", '/meeting schedule business-planning "Budget review" 2026-08-20 11:00', "business-planning");
    await t.say("bob", "/rsvp 1 maybe", "business-planning");
    await t.advance(60_000);
    await onMatrix("rsvp 1 yes");
    expect(rows(t, "meeting_rsvps")).toHaveLength(2);
    await t.advance(3 * DAY + 2 * 3600_000);
    await t.say("robin", "/attended 1 @bob", "business-planning");
    withContext(t, (ctx) => {
      const matrixBob = (ctx.db.$client.prepare("select member_id id from identities where platform = 'matrix'").get() as { id: number }).id;
      ctx.db.$client.prepare("insert into meeting_attendance (meeting_id, occurrence, member_id, group_id, occurrence_at, recorded_by, recorded_at) select meeting_id, occurrence, ?, group_id, occurrence_at, recorded_by, recorded_at from meeting_attendance").run(matrixBob);
    });
    t.texts();
    await t.say("bob", "/link matrix", "dm:bob");
    const code = /\*([0-9A-Z]{4}-[0-9A-Z]{4})\*/.exec(t.texts().join("\n"))![1]!;
    await onMatrix(`link confirm ${code}`);
    await onMatrix(`link accept ${code}`);
    await t.say("bob", `/link accept ${code}`, "dm:bob");
    const bob = (t.db.$client.prepare("select member_id id from identities where platform_id = 'bob'").get() as { id: number }).id;
    expect(rows(t, "meeting_rsvps")).toMatchObject([{ member_id: bob, answer: "yes" }]);
    expect(rows(t, "meeting_attendance")).toMatchObject([{ member_id: bob }]);
  });
});
