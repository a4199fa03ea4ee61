// `forget me`, table by table: every word the member wrote is gone (and
// every tie to their accounts), while the anonymous facts that counts are
// made of stay, so totals and progress don't move.
import { describe, expect, it } from "vitest";
import { activists } from "../../commands/actions/progress.ts";
import { FORMER_MEMBER } from "../../db/forget.ts";
import { withContext } from "../meetings/helpers.ts";
import { ALICE_WROTE, OTHERS_WROTE, aliceTakesPart, count, everything, memberIdOf, usePrivacyBots } from "./harness.ts";
import type { TestBot } from "../helpers/bot.ts";

const bots = usePrivacyBots();

/** Asks and confirms; what the bot sent, as the console shows it. */
async function forget(t: TestBot, who: string): Promise<string[]> {
  await t.say(who, "forget me", `dm:${who}`);
  await t.say(who, "forget me confirm", `dm:${who}`);
  return t.take();
}

/** The figures that must not move when someone is forgotten. */
function counts(t: TestBot, alice: number) {
  return {
    actions: count(t, "select * from actions"),
    verified: count(t, "select * from actions where state = 'verified'"),
    alicesActions: count(t, "select * from actions where member_id = ?", alice),
    thanks: count(t, "select * from thanks"),
    thanked: count(t, "select * from thanks_recipients"),
    attendance: count(t, "select * from meeting_attendance"),
    notes: count(t, "select * from meeting_notes"),
    enquiries: count(t, "select * from clinic_enquiries"),
    requests: count(t, "select * from join_requests"),
    activists: withContext(t, (ctx) => activists.compute(ctx, { to: ctx.now })),
  };
}

describe("forget me", () => {
  it("erases what the member wrote from every table and keeps the counts", async () => {
    const t = bots();
    await aliceTakesPart(t);
    const alice = memberIdOf(t, "alice");
    const before = counts(t, alice);
    for (const text of Object.values(ALICE_WROTE)) expect(everything(t)).toContain(text);

    const replies = await forget(t, "alice");
    expect(replies).toContainEqual(expect.stringContaining("bot -> dm:alice: Done: I've forgotten you."));
    expect(counts(t, alice)).toEqual(before);
    const all = everything(t);
    for (const text of Object.values(ALICE_WROTE)) expect(all, `"${text}" is still stored`).not.toContain(text);

    const row = (sql: string, ...params: unknown[]) => t.db.$client.prepare(sql).get(...params) as Record<string, unknown>;
    const rows = (sql: string, ...params: unknown[]) => t.db.$client.prepare(sql).all(...params) as Record<string, unknown>[];
    // members and identities: a name nobody can find, no accounts, no roles.
    expect(row("select display_name, forgotten_at from members where id = ?", alice)).toEqual({ display_name: FORMER_MEMBER, forgotten_at: t.clock.now() });
    expect(count(t, "select * from identities where member_id = ?", alice)).toBe(0);
    expect(count(t, "select * from role_grants where member_id = ?", alice)).toBe(0);
    expect(count(t, "select * from inbound_events where member_id = ?", alice)).toBe(0);
    // groups: no memberships, no profile; the request stays, without its note.
    expect(count(t, "select * from group_members where member_id = ?", alice)).toBe(0);
    expect(count(t, "select * from member_profiles where member_id = ?", alice)).toBe(0);
    expect(rows("select state, note, reason from join_requests where member_id = ?", alice)).toEqual([{ state: "approved", note: null, reason: null }]);
    // actions: all still there in the same states, without words; one she logged for bea keeps bea's record.
    expect(rows("select state, note, evidence, hours from actions where member_id = ? order by id", alice)).toEqual([
      { state: "verified", note: "", evidence: null, hours: null },
      { state: "verified", note: "", evidence: null, hours: 1.5 },
      { state: "pending", note: "", evidence: null, hours: null },
      { state: "pending", note: "", evidence: null, hours: null },
    ]);
    expect(count(t, "select * from action_trail where note is not null and action_id in (select id from actions where member_id = ?)", alice)).toBe(0);
    expect(row("select note from actions where logged_by = ? and member_id != ?", alice, alice)).toEqual({ note: OTHERS_WROTE.aliceLoggedForBea });
    expect(all).not.toContain(OTHERS_WROTE.beaNominatesAlice);
    // thanks: hers keep counting without the message; bea's to her is bea's and stays.
    expect(rows("select reason from thanks where giver_id = ?", alice)).toEqual([{ reason: "(erased)" }]);
    expect(all).toContain(OTHERS_WROTE.thanksToAlice);
    // meetings: attendance and the past answer stay, the answer for next week goes; her note's words go, jo's action has no owner.
    expect(rows("select occurrence, answer from meeting_rsvps where member_id = ?", alice)).toEqual([{ occurrence: "2026-08-18T18:00", answer: "yes" }]);
    expect(rows("select kind, text, owner_id from meeting_notes order by id")).toEqual([
      { kind: "info", text: "(erased)", owner_id: null },
      { kind: "action", text: OTHERS_WROTE.joNoteForAlice, owner_id: null },
    ]);
    // clinic: the enquiry is closed and erased, and says nothing of who asked.
    expect(row("select state, text, asker_id, asker_platform, erased_at is not null as erased from clinic_enquiries")).toEqual({ state: "resolved", text: null, asker_id: null, asker_platform: null, erased: 1 });
    // jobs: the reminder is cancelled and what it said is gone.
    expect(rows("select state, payload from jobs where kind = 'core.remind'")).toEqual([{ state: "cancelled", payload: "{}" }]);
  });

  it("tells other people's screens too: the posts that quoted her are edited", async () => {
    const t = bots();
    await aliceTakesPart(t);
    const edited = (await forget(t, "alice")).filter((line) => line.includes("(edited)")).map((line) => /bot -> (\S+) \(edited\)/.exec(line)![1]);
    // The public thanks in comms and bea's copy of it, the drivers' cards about her actions, the clinic's card.
    expect(new Set(edited)).toEqual(new Set(["comms", "dm:bea", "dm:sam", "triage", "dm:alice"]));
  });

  it("lets the same account start afresh as a new member", async () => {
    const t = bots();
    await aliceTakesPart(t);
    const alice = memberIdOf(t, "alice");
    await forget(t, "alice");
    await t.say("alice", "whoami", "dm:alice");
    expect(memberIdOf(t, "alice")).not.toBe(alice);
    expect(t.texts()).toEqual([expect.stringMatching(/^You are \*alice\* \(member \d+\)\.\nAccounts: console \(alice\)\nRoles: none/)]);
  });

  it("is confirmed only by the same member, within ten minutes", async () => {
    const t = bots();
    await aliceTakesPart(t);
    await t.say("alice", "forget me", "dm:alice");
    await t.say("bea", "forget me confirm", "dm:bea");
    expect(t.texts().at(-1)).toMatch(/^There's nothing to confirm/);
    await t.advance(11 * 60_000);
    await t.say("alice", "forget me confirm", "dm:alice");
    expect(t.texts().at(-1)).toMatch(/^There's nothing to confirm/);
    expect(everything(t)).toContain(ALICE_WROTE.question);
  });
});

describe("forget me, for the last admin", () => {
  const ledgers = ["inbound_events", "outbox", "__drizzle_migrations"];

  it("is refused and changes no row", async () => {
    const t = bots();
    await t.say("admin", "hello", "dm:admin");
    const before = t.snapshot(ledgers);
    await t.say("admin", "forget me", "dm:admin");
    expect(t.texts().at(-1)).toMatch(/^You're the only admin, so I can't forget you/);
    expect(t.snapshot(ledgers)).toEqual(before);
  });

  it("is refused at confirmation too, if the other admins went in the meantime", async () => {
    const t = bots();
    await t.say("bea", "hello", "dm:bea");
    await t.say("admin", "/role grant @bea admin");
    await t.say("admin", "forget me", "dm:admin");
    await t.say("admin", "/role revoke @bea admin");
    t.take();
    const before = t.snapshot(ledgers);
    await t.say("admin", "forget me confirm", "dm:admin");
    expect(t.texts().at(-1)).toMatch(/^You're the only admin/);
    expect(t.snapshot(ledgers)).toEqual(before);
  });

  it("lets an admin go once another admin holds the role; their power goes with them", async () => {
    const t = bots();
    await t.say("bea", "hello", "dm:bea");
    await t.say("admin", "/role grant @bea admin");
    const admin = memberIdOf(t, "admin");
    await forget(t, "admin");
    expect(count(t, "select * from role_grants where member_id = ?", admin)).toBe(0);
    expect(t.db.$client.prepare("select m.display_name as name from role_grants g join members m on m.id = g.member_id where g.role = 'admin'").all()).toEqual([{ name: "bea" }]);
  });
});
