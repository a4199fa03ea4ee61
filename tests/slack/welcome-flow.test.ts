// Welcoming people on Slack, through the real Bolt receiver with signed
// requests: an approval followed by the welcome (the next meeting in the
// member's own zone, RSVP buttons that work), an open join offering the
// #action items nobody took, the driver's "Invite to next meeting" that
// attendance later reports, and the onboarding tour from a first "hello" to
// a Join button pressed and the first jobs shown; skipping it; exactly one
// follow-up after stopping half-way; the figures in `progress`.
import { afterEach, describe, expect, it } from "vitest";
import type { ApiCall } from "./fake-slack-api.ts";
import { SlackHarness } from "./harness.ts";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0SAM: { name: "sam", displayName: "Sam" },
  U0DEE: { name: "dee", displayName: "Dee" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0BOB: { name: "bob", displayName: "Bob" },
  U0NEW: { name: "nia", displayName: "Nia" },
  U0SKIP: { name: "sol", displayName: "Sol" },
  U0HALF: { name: "hal", displayName: "Hal" },
};

const CONFIG = {
  federation: { name: "workers.coop" },
  groups: [
    { slug: "comms", name: "Communications Group", kind: "working", policy: "approval", drivers: ["slack:U0SAM"], rooms: ["slack:C0COMMS"], tags: ["design", "writing"] },
    { slug: "digital", name: "Digital Group", kind: "working", policy: "open", drivers: ["slack:U0DEE"], rooms: ["slack:C0DIGI"], tags: ["tech", "crm"] },
    { slug: "events", name: "Events Group", kind: "working", policy: "open", drivers: ["slack:U0DEE"], tags: ["events"] },
    { slug: "glasgow", name: "Glasgow network", kind: "network", policy: "open", purpose: "Worker co-operators in Glasgow.", tags: ["glasgow", "scotland"] },
  ],
  actions: {
    jobs: [
      { slug: "contact-coop", title: "Contact a worker co-op", journey: "motivate", effort: "about an hour" },
      { slug: "share-campaign", title: "Share campaign material", journey: "motivate", effort: "15 minutes", groups: ["comms"] },
    ],
  },
  welcome: {
    groups: { comms: { line: "You don't need to attend a meeting to do work in the group." }, events: { tellDrivers: false } },
    onboarding: { intro: "workers.coop is the federation of worker co-operatives.", followUpAfter: "2d" },
  },
};

const CHANNELS = { C0COMMS: { name: "comms" }, C0DIGI: { name: "digital" }, C0GENERAL: { name: "general" } };

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const start = () => SlackHarness.start({ users: USERS, channels: CHANNELS, config: CONFIG });
const textOf = (m: ApiCall) => String(m.args.text);
/** The newest message the bot posted in `user`'s DM whose text includes `part`. */
function dmWith(harness: SlackHarness, user: string, part: string) {
  const found = harness.dmsTo(user).filter((c) => String(c.args.text).includes(part));
  if (found.length === 0) throw new Error(`no DM to ${user} containing ${JSON.stringify(part)}; DMs: ${harness.dmsTo(user).map((c) => JSON.stringify(c.args.text)).join("\n")}`);
  return found.at(-1)!;
}
/** Everything `user` was told: their DMs and the replies only they saw. */
const everythingTo = (harness: SlackHarness, user: string) => [...harness.dmsTo(user).map(textOf), ...harness.privateReplies(user)];

describe("welcome into a group on Slack", () => {
  it("an approval is followed by a welcome with the next meeting in the member's zone, whose RSVP buttons work; the driver's Invite is reported by attendance", async () => {
    h = await start();
    await h.slash("U0SAM", "C0COMMS", 'meeting schedule comms "Comms call" 2026-08-24 11:00 --remind none');
    await h.slash("U0ALICE", "C0GENERAL", "profile set timezone America/Toronto");
    await h.slash("U0ALICE", "C0GENERAL", "join comms my background is graphic & digital design");

    const card = dmWith(h, "U0SAM", "would like to join");
    expect(textOf(card)).toContain("&gt; my background is graphic &amp; digital design"); // what she offered, quoted (Slack-escaped)
    await h.click("U0SAM", card, "Approve");

    const welcome = dmWith(h, "U0ALICE", "Welcome to *Communications Group*");
    const text = textOf(welcome);
    // 11:00 in London is 06:00 in Toronto.
    expect(text).toContain("📅 Next meeting: *Comms call*, Mon 24 Aug 06:00–07:00 (America/Toronto)");
    expect(text).toContain("You don't need to attend a meeting to do work in the group.");
    expect(text).toContain("Its driver is <@U0SAM>");
    expect(text).toContain("`/coop rsvp 1 yes|no|maybe`");
    expect(text).toContain("• Share campaign material (15 minutes): `/coop job share-campaign`");
    expect(h.buttonsOf(welcome)).toEqual([
      { label: "Yes", command: "rsvp 1 yes --date 2026-08-24", style: "primary" },
      { label: "No", command: "rsvp 1 no --date 2026-08-24" },
      { label: "Maybe", command: "rsvp 1 maybe --date 2026-08-24" },
      { label: "Add to my calendar", command: "meeting ics comms" },
    ]);

    // Her Yes on the welcome is an RSVP the driver sees.
    await h.click("U0ALICE", welcome, "Yes");
    expect(everythingTo(h, "U0ALICE")).toContain("✅ You're coming to *Comms call* on Mon 24 Aug 06:00. 1 going so far.");

    // The approving driver's note: what she offered was on the card; the button invites her.
    const note = dmWith(h, "U0SAM", "their welcome to *Communications Group*");
    expect(h.buttonsOf(note)).toEqual([{ label: "Invite to next meeting", command: "welcome invite 1", style: "primary" }]);
    await h.click("U0SAM", note, "Invite to next meeting");
    const invitation = dmWith(h, "U0ALICE", "invites you to the next meeting");
    expect(textOf(invitation)).toContain("<@U0SAM> invites you to the next meeting of *Communications Group*: *Comms call*, Mon 24 Aug 06:00–07:00 (America/Toronto)");
    expect(h.buttonsOf(invitation).map((b) => b.label)).toEqual(["Yes", "No", "Maybe", "Add to my calendar"]);
    expect(h.latest(note).text).toContain("<@U0SAM> invited <@U0ALICE>");
    expect(h.buttonsOf(h.latest(note))).toEqual([]);

    // After the meeting the driver records who came: the invitation is reported.
    await h.advance(7 * DAY + 3 * HOUR + 30 * MINUTE); // Mon 24 Aug 12:30
    await h.slash("U0SAM", "C0COMMS", "attended 1 <@U0ALICE> <@U0SAM>");
    const recorded = everythingTo(h, "U0SAM").find((t) => t.startsWith("Recorded 2 at *Comms call*"));
    expect(recorded).toContain("📨 Came after a personal invitation: <@U0ALICE> (1 of the 1 invited).");
  });

  it("an open join: the welcome offers the #action items nobody took, and the drivers get a quiet note with what was offered", async () => {
    h = await start();
    await h.slash("U0DEE", "C0DIGI", 'meeting schedule digital "Stand-up" 2026-08-17 10:00 --remind none');
    await h.advance(HOUR + 5 * MINUTE); // the stand-up is on
    await h.slash("U0DEE", "C0DIGI", "#action test the CiviCRM import with last year's members");
    await h.slash("U0DEE", "C0DIGI", "#action <@U0DEE> renew the domain");
    expect(h.privateReplies("U0DEE").slice(1)).toEqual(["📝 Noted (action 1) for *Stand-up*.", "📝 Noted (action 2 for <@U0DEE>) for *Stand-up*."]);

    await h.slash("U0BOB", "C0GENERAL", "join digital I can help with CiviCRM");
    expect(h.privateReplies("U0BOB")).toEqual(["Welcome to Digital Group! I've sent you what's next in a private message."]);
    const welcome = textOf(dmWith(h, "U0BOB", "Welcome to *Digital Group*"));
    expect(welcome).toContain("🙌 Ways to help now:\n• test the CiviCRM import with last year's members (action 1, from *Stand-up* on 17 Aug): `/coop meeting action take 1`");
    expect(welcome).not.toContain("renew the domain"); // Dee owns that one
    // Nothing is scheduled after this one: the welcome says so, and the driver hears it.
    expect(welcome).toContain("It has no meeting scheduled yet; I've let its drivers know.");

    const note = textOf(dmWith(h, "U0DEE", "joined *Digital Group* (open to all)"));
    expect(note).toContain("They offered:\n&gt; I can help with CiviCRM");

    // A group whose config turns the quiet note off: Bob is welcomed, and Dee hears
    // only that the group has nothing scheduled (no note, no Invite button).
    const before = h.dmsTo("U0DEE").length;
    await h.slash("U0BOB", "C0GENERAL", "join events");
    expect(textOf(dmWith(h, "U0BOB", "Welcome to *Events Group*"))).toContain("Its driver is <@U0DEE>");
    const toDee = h.dmsTo("U0DEE").slice(before);
    expect(toDee.map(textOf)).toEqual([expect.stringMatching(/^📅 <@U0BOB> just joined \*Events Group\*, which has no meeting coming up;/)]);
    expect(h.buttonsOf(toDee[0]!)).toEqual([]);

    // Taking it from the welcome.
    await h.slash("U0BOB", "C0GENERAL", "meeting action take 1");
    expect(h.privateReplies("U0BOB").at(-1)).toBe("📌 Action 1 is yours: test the CiviCRM import with last year's members. `/coop meeting action done 1` when it's done.");
  });
});

describe("the onboarding tour on Slack", () => {
  it("from a first hello, through the profile questions, to a Join button pressed and the first jobs shown", async () => {
    h = await start();
    await h.dm("U0NEW", "hello");
    const first = dmWith(h, "U0NEW", "Welcome to *workers.coop*");
    expect(textOf(first)).toContain("workers.coop is the federation of worker co-operatives.");
    expect(textOf(first)).toContain("*1/3* What are you good at");
    expect(h.buttonsOf(first).map((b) => b.label)).toEqual(["Skip this question", "Skip the tour"]);

    await h.dm("U0NEW", "graphic design and writing");
    expect(textOf(dmWith(h, "U0NEW", "*2/3*"))).toContain("✓ Your skills: graphic design and writing");
    await h.dm("U0NEW", "Glasgow");
    const third = dmWith(h, "U0NEW", "*3/3*");
    await h.click("U0NEW", third, "Skip this question");

    const suggestions = dmWith(h, "U0NEW", "Where you could start");
    expect(textOf(suggestions)).toContain("Working groups that could use what you do:\n• *Communications Group*");
    expect(textOf(suggestions)).toContain("Peer networks near you or in your field:\n• *Glasgow network*: Worker co-operators in Glasgow.");
    expect(h.buttonsOf(suggestions)).toEqual([
      { label: "Join Communications Group", command: "join comms" },
      { label: "Join Glasgow network", command: "join glasgow" },
    ]);
    const jobs = textOf(dmWith(h, "U0NEW", "First jobs you could pick up"));
    expect(jobs).toContain("• Contact a worker co-op (about an hour): `/coop job contact-coop`");

    await h.click("U0NEW", suggestions, "Join Glasgow network");
    expect(textOf(dmWith(h, "U0NEW", "Welcome to *Glasgow network*"))).toContain("📅 It has no meeting scheduled yet");
    await h.slash("U0NEW", "C0GENERAL", "profile");
    expect(h.privateReplies("U0NEW").at(-1)).toMatch(/Skills: graphic design and writing\nLocation: Glasgow\n.*\n.*\nGroups: glasgow/);

    // Counted: a newcomer, who joined a group within 14 days.
    await h.slash("UADMIN", "C0GENERAL", "progress 2026-08");
    const progress = h.privateReplies("UADMIN").at(-1)!;
    expect(progress).toContain("• Newcomers welcomed: 1 in August 2026 · 1 since the start (no target set)");
    expect(progress).toContain("• Newcomers who joined a group within 14 days: 1 in August 2026 · 1 since the start (no target set)");

    // A tour finished: no follow-up, ever.
    const before = h.dmsTo("U0NEW").length;
    await h.advance(10 * DAY);
    expect(h.dmsTo("U0NEW")).toHaveLength(before);
  });

  it("skipping the tour at once: no questions, no follow-up, and a later hello is just a hello", async () => {
    h = await start();
    await h.dm("U0SKIP", "hi");
    await h.click("U0SKIP", dmWith(h, "U0SKIP", "*1/3*"), "Skip the tour");
    expect(textOf(h.dmsTo("U0SKIP").at(-1)!)).toMatch(/^OK, no tour\. `\/coop welcome` starts it again/);
    await h.advance(5 * DAY);
    await h.dm("U0SKIP", "hello");
    const texts = h.dmsTo("U0SKIP").map(textOf);
    expect(texts).toHaveLength(3);
    expect(texts[2]).toMatch(/^👋 Hello, <@U0SKIP>!/);
    expect(texts.some((t) => t.includes("Just checking in"))).toBe(false);
  });

  it("stopping half-way brings exactly one gentle follow-up, never a second", async () => {
    h = await start();
    await h.dm("U0HALF", "hello");
    await h.dm("U0HALF", "bookkeeping");
    expect(textOf(h.dmsTo("U0HALF").at(-1)!)).toContain("*2/3* Where are you based?");

    await h.advance(2 * DAY + MINUTE);
    const followUps = () => h!.dmsTo("U0HALF").filter((c) => textOf(c).includes("Just checking in"));
    expect(followUps()).toHaveLength(1);
    expect(textOf(followUps()[0]!)).toContain("We were at question 2 of 3:\n*2/3* Where are you based?");
    expect(h.buttonsOf(followUps()[0]!).map((b) => b.label)).toEqual(["Skip this question", "Skip the tour"]);

    // She answers once more and goes quiet again: still only the one.
    await h.dm("U0HALF", "Leeds");
    await h.advance(30 * DAY);
    expect(followUps()).toHaveLength(1);

    // The figures: one newcomer, in no group yet, with nothing verified yet.
    await h.slash("UADMIN", "C0GENERAL", "progress 2026-08");
    const progress = h.privateReplies("UADMIN").at(-1)!;
    expect(progress).toContain("• Newcomers welcomed: 1 in August 2026 · 1 since the start (no target set)");
    expect(progress).toContain("• Newcomers who joined a group within 14 days: 0 in August 2026 · 0 since the start (no target set)");
    expect(progress).toContain("• Days from welcome to first verified action (median): none yet in August 2026 · none yet since the start (no target set)");
  });
});
