/**
 * Welcoming people on Matrix, for real (a live Synapse, the real clock):
 * the onboarding tour from alice's first "hello" through the profile
 * questions to a Join typed from its line and the first jobs shown, with
 * exactly one follow-up after she stops half-way (the config makes it come
 * after a minute here); bob skipping the tour; then alice's approval into
 * comms followed by the welcome with the next meeting in her own zone, a 👍
 * on it that is her RSVP, the driver's invitation that attendance later
 * reports; an open join offering the #action item nobody took; and the
 * figures in `progress`.
 *
 * The meeting is set for the first whole minute at least 75 s ahead (times
 * are whole minutes, and the invitation must come before it starts); the
 * steps after it wait for it to start. Nothing sleeps: each step waits for
 * what people would see.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { e2eConfig, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let comms = "";
let digital = "";

const CONFIG = {
  groups: [
    ...(e2eConfig().groups as Record<string, unknown>[]).filter((g) => g.slug !== "leeds"),
    { slug: "digital", name: "Digital Group", kind: "working", policy: "open", drivers: [`matrix:${ID.carol}`], tags: ["tech"] },
    { slug: "leeds", name: "Leeds network", kind: "network", policy: "open", purpose: "Worker co-operators in and around Leeds.", tags: ["leeds", "yorkshire"] },
  ],
  actions: { jobs: [{ slug: "contact-coop", title: "Contact a worker co-op", journey: "motivate", effort: "about an hour" }] },
  welcome: { onboarding: { intro: "e2e.coop is a federation of worker co-operatives.", followUpAfter: "1m" } },
};

beforeAll(async () => {
  h = await MatrixE2E.start({ startBot: false });
  await h.startBot({ config: CONFIG });
  comms = await h.createRoom("admin", { name: "Comms", invite: ["alice", "bob", "carol"] });
  digital = await h.createRoom("admin", { name: "Digital", invite: ["carol"] });
}, 120_000);

afterAll(async () => {
  await h?.teardown();
});

const followUps = async () => (await h.messages("alice", "dm")).filter((m) => m.content.body.includes("Just checking in"));

describe("the onboarding tour on Matrix (real Synapse)", () => {
  it("a first hello starts it; answers fill the profile; one follow-up after stopping half-way; it ends with groups to join and the first jobs", { timeout: 180_000 }, async () => {
    await h.say("alice", "dm", "hello");
    const first = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Welcome to e2e.coop"));
    expect(first.content.body).toContain("e2e.coop is a federation of worker co-operatives.");
    expect(first.content.body).toContain("1/3 What are you good at");
    expect(first.content.body).toContain("Type !coop welcome skip for “Skip this question”");
    expect(first.content.formatted_body).toContain("<strong>1/3</strong>");

    await h.say("alice", "dm", "graphic design");
    const second = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("2/3"));
    expect(second.content.body).toContain("✓ Your skills: graphic design");

    // She goes quiet: one follow-up, a minute later (the config says so here).
    const followUp = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Just checking in"), { timeoutMs: 120_000 });
    expect(followUp.content.body).toContain("We were at question 2 of 3:");

    await h.say("alice", "dm", "Leeds");
    await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("3/3"));
    await h.say("alice", "dm", "welcome skip");
    const suggestions = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Where you could start"));
    expect(suggestions.content.body).toContain("Peer networks near you or in your field:\n• Leeds network: Worker co-operators in and around Leeds.");
    expect(suggestions.content.body).toContain("Type !coop join leeds for “Join Leeds network”");
    const jobs = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("First jobs you could pick up"));
    expect(jobs.content.body).toContain("• Contact a worker co-op (about an hour): !coop job contact-coop");

    // The Join line, typed.
    await h.say("alice", "dm", "join leeds");
    await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Welcome to Leeds network"));
    const profile = await h.say("alice", "dm", "profile");
    const shown = await h.waitForMessage("alice", "dm", (m) => m.inReplyTo === profile);
    expect(shown.content.body).toContain("Skills: graphic design\nLocation: Leeds");

    // Exactly one follow-up, and none still planned.
    expect(await followUps()).toHaveLength(1);
    const planned = h.bot.db.$client.prepare("select count(*) as n from jobs where kind = 'welcome.follow-up' and state = 'pending'").get() as { n: number };
    expect(planned.n).toBe(0);
  });

  it("bob, already a driver, isn't toured by his hello; `welcome` starts the tour and `welcome stop` skips it", async () => {
    const hello = await h.say("bob", "dm", "hello");
    const answer = await h.waitForMessage("bob", "dm", (m) => m.inReplyTo === hello);
    expect(answer.content.body).toMatch(/^Hello, bob! 👋 /);

    await h.say("bob", "dm", "welcome");
    await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("1/3"));
    const stop = await h.say("bob", "dm", "welcome stop");
    const stopped = await h.waitForMessage("bob", "dm", (m) => m.inReplyTo === stop);
    expect(stopped.content.body).toMatch(/^OK, no tour\./);
  });
});

describe("welcome into a group on Matrix (real Synapse, real clock)", () => {
  it("an approval, then the welcome with the next meeting in her zone; 👍 on it is her RSVP; the driver's invitation is reported by attendance; an open join offers the unowned #action", { timeout: 240_000 }, async () => {
    const link = await h.say("bob", comms, "!coop group link comms");
    await h.waitForMessage("bob", comms, (m) => m.inReplyTo === link && m.content.body.includes("is now Communications Group's matrix room"));
    const link2 = await h.say("carol", digital, "!coop group link digital");
    await h.waitForMessage("carol", digital, (m) => m.inReplyTo === link2 && m.content.body.includes("matrix room"));

    const zone = h.bot.services.config.timezone;
    const start = DateTime.fromMillis(Date.now() + 75_000, { zone }).plus({ minutes: 1 }).startOf("minute");
    const when = start.toFormat("yyyy-LL-dd HH:mm");
    await h.say("bob", comms, `!coop meeting schedule comms "Comms call" ${when} --remind none`);
    const scheduled = await h.waitForMessage("bob", "dm", (m) => m.content.body.startsWith("📅 Scheduled meeting") && m.content.body.includes("Comms call"));
    const meeting = Number(/meeting (\d+)/.exec(scheduled.content.body)?.[1]);
    // A minute earlier: at the same time as comms (which carol drives too) it would come with a clash warning.
    const standUp = start.minus({ minutes: 1 }).toFormat("yyyy-LL-dd HH:mm");
    await h.say("carol", digital, `!coop meeting schedule digital "Stand-up" ${standUp} --remind none`);
    await h.waitForMessage("carol", "dm", (m) => m.content.body.includes("Scheduled meeting") && m.content.body.includes("Stand-up"));

    // Alice reads times in Toronto's zone, and asks to join.
    const tz = await h.say("alice", "dm", "profile set timezone America/Toronto");
    await h.waitForMessage("alice", "dm", (m) => m.inReplyTo === tz);
    await h.say("alice", "dm", "join comms I do graphic design and some motion graphics");
    const card = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("would like to join Communications Group"));
    expect(card.content.body).toContain("> I do graphic design and some motion graphics");
    expect(card.content.body).toContain("Skills on their profile: graphic design");
    await h.react("bob", card.roomId, card.eventId, "✅");

    const welcome = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Welcome to Communications Group"));
    const inToronto = start.setZone("America/Toronto").setLocale("en-GB");
    expect(welcome.content.body).toContain(`📅 Next meeting: Comms call, ${inToronto.toFormat("ccc d LLL HH:mm")}–${inToronto.plus({ hours: 1 }).toFormat("HH:mm")}`);
    expect(welcome.content.body).toContain("(America/Toronto)");
    const date = start.toISODate();
    expect(welcome.content.body).toContain(`React with 👍 for “Yes” or type !coop rsvp ${meeting} yes --date ${date}`);
    // The calendar instruction is in the text already, so no separate line for its button.
    expect(welcome.content.body).toContain("!coop meeting ics comms gives you the group's meetings as a calendar file");

    await h.react("alice", welcome.roomId, welcome.eventId, "👍");
    const coming = await h.waitForMessage("alice", "dm", (m) => m.content.body.startsWith("✅ You're coming to Comms call"));
    expect(coming.content.body).toContain(inToronto.toFormat("ccc d LLL HH:mm"));

    // The approving driver's note, and the invitation it offers (typed here: Matrix has no button for it).
    const note = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("their welcome to Communications Group"));
    const invite = /!coop (welcome invite \d+)/.exec(note.content.body)?.[1];
    expect(invite).toBeDefined();
    const sent = await h.say("bob", "dm", invite!);
    const done = await h.waitForMessage("bob", "dm", (m) => m.inReplyTo === sent);
    expect(done.content.body).toMatch(/^📨 Invited @?alice to Comms call/);
    const invitation = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("invites you to the next meeting of Communications Group"));
    expect(invitation.content.body).toContain("(America/Toronto)");

    // The meetings start; Carol minutes an action nobody owns.
    await waitFor("the meetings to start", () => Date.now() >= start.toMillis() + 1000, 180_000);
    const action = await h.say("carol", digital, "#action test the CiviCRM import with last year's members");
    const noted = await h.waitForMessage("carol", "dm", (m) => m.content.body.startsWith("📝 Noted (action"));
    const actionId = Number(/action (\d+)/.exec(noted.content.body)?.[1]);
    expect(h.received.some((e) => e.eventId === action)).toBe(true);

    // Bob records who came: the invitation is reported.
    const att = await h.say("bob", "dm", `attended ${meeting} ${ID.alice} ${ID.bob}`);
    const recorded = await h.waitForMessage("bob", "dm", (m) => m.inReplyTo === att);
    expect(recorded.content.body).toMatch(/📨 Came after a personal invitation: @?alice \(1 of the 1 invited\)\./);

    // An open join: bob joins Digital, and his welcome offers the action nobody took; Carol gets the quiet note.
    await h.say("bob", "dm", "join digital I can help with CiviCRM");
    const bobWelcome = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("Welcome to Digital Group"));
    expect(bobWelcome.content.body).toContain(`• test the CiviCRM import with last year's members (action ${actionId}, from Stand-up on`);
    expect(bobWelcome.content.body).toContain(`!coop meeting action take ${actionId}`);
    const carolNote = await h.waitForMessage("carol", "dm", (m) => m.content.body.includes("joined Digital Group (open to all)"));
    expect(carolNote.content.body).toContain("They offered:\n> I can help with CiviCRM");

    // The figures: alice is the one newcomer; she joined a group within 14 days.
    const ask = await h.say("admin", "dm", "progress");
    const progress = await h.waitForMessage("admin", "dm", (m) => m.inReplyTo === ask);
    expect(progress.content.body).toMatch(/Newcomers welcomed: 1 in .* · 1 since the start/);
    expect(progress.content.body).toMatch(/Newcomers who joined a group within 14 days: 1 in .* · 1 since the start/);
  });
});
