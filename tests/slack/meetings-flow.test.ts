// Meetings on Slack, end to end through the real Bolt (HTTP and Socket
// Mode): a driver schedules a meeting with `/coop`, the clock moves, the
// reminder lands in the group's channel as Block Kit with Yes / No / Maybe
// (once, even through a rate limit), clicks on it are RSVPs (a double click
// counts once), and the driver records who came with one click.
import { afterEach, describe, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

const HOUR = 3600_000;
const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0SAM: { name: "sam", displayName: "Sam" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0BOB: { name: "bob", displayName: "Bob" },
};
const CONFIG = {
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", rooms: ["slack:C0COMMS"], drivers: ["slack:U0SAM"] }],
};

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(["http", "socket"] as const)("meetings on Slack (%s)", (mode) => {
  it("a meeting reminder reaches the group's channel once with Yes / No / Maybe buttons; a click is an RSVP the driver sees, and a double click counts once", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });

    // Monday 17 Aug 09:00: Sam schedules a one-off for Thursday 11:00, reminders a day and an hour before.
    await h.slash("U0SAM", "C0COMMS", 'meeting schedule comms "Budget review" 2026-08-20 11:00 --remind 1d,1h');
    expect(h.privateReplies("U0SAM")).toEqual([
      "📅 Scheduled meeting 1: *Budget review* — once, on Thursday 20 August 2026 at 11:00 (Europe/London), 1 hour, reminders 1 day and 1 hour before.",
    ]);
    const announcement = h.posts("C0COMMS");
    expect(announcement.map((c) => c.args.text)).toEqual([expect.stringContaining("📅 New meeting for *Communications Group*: *Budget review*")]);
    expect(h.buttonsOf(announcement[0]!)).toEqual([]);

    // Nothing more until the day before.
    await h.advance(2 * 24 * HOUR + HOUR);
    expect(h.posts("C0COMMS")).toHaveLength(1);
    // Slack is rate-limiting the bot just then: the reminder waits exactly Retry-After, and is posted once.
    h.fake.rateLimitNext("chat.postMessage", 5);
    await h.advance(HOUR); // Wednesday 19 Aug 11:00
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.status === 429)).toHaveLength(1);
    expect(h.posts("C0COMMS")).toHaveLength(1);
    await h.advance(5000);

    const reminders = h.posts("C0COMMS").slice(1);
    expect(reminders).toHaveLength(1);
    const reminder = reminders[0]!;
    expect(reminder.args.text).toBe(
      "⏰ *Budget review* (Communications Group) tomorrow: Thu 20 Aug 11:00–12:00 BST (Europe/London).\nComing? `/coop rsvp 1 yes|no|maybe`",
    );
    expect(reminder.args.blocks).toEqual([
      { type: "section", text: { type: "mrkdwn", text: reminder.args.text } },
      {
        type: "actions",
        block_id: "coop_actions_0",
        elements: [
          { type: "button", action_id: "coop_btn_0", text: { type: "plain_text", text: "Yes", emoji: true }, value: "rsvp 1 yes --date 2026-08-20", style: "primary" },
          { type: "button", action_id: "coop_btn_1", text: { type: "plain_text", text: "No", emoji: true }, value: "rsvp 1 no --date 2026-08-20" },
          { type: "button", action_id: "coop_btn_2", text: { type: "plain_text", text: "Maybe", emoji: true }, value: "rsvp 1 maybe --date 2026-08-20" },
        ],
      },
    ]);

    // Alice clicks Yes, and (impatient) clicks it again: two clicks, two trigger ids.
    const first = await h.click("U0ALICE", reminder, "Yes");
    const second = await h.click("U0ALICE", reminder, "Yes");
    expect(first.report?.eventId).not.toBe(second.report?.eventId);
    expect(first.report?.event).toMatchObject({ text: "rsvp 1 yes --date 2026-08-20", room: { id: "C0COMMS", kind: "public" } });
    // Bob says no.
    await h.click("U0BOB", reminder, "No");

    expect(h.privateReplies("U0ALICE")).toEqual([
      "✅ You're coming to *Budget review* on Thu 20 Aug 11:00. 1 going so far.",
      "✅ You're coming to *Budget review* on Thu 20 Aug 11:00. 1 going so far.",
    ]);
    expect(h.privateReplies("U0BOB")).toEqual(["👍 Noted: you can't come to *Budget review* on Thu 20 Aug 11:00. 1 going so far."]);
    // The answers are ephemeral: nothing new in the channel, and the reminder keeps its buttons for others.
    expect(h.posts("C0COMMS")).toHaveLength(2);
    expect(h.buttonsOf(h.latest(reminder)).map((b) => b.label)).toEqual(["Yes", "No", "Maybe"]);

    await h.slash("U0SAM", "C0COMMS", "rsvps 1");
    expect(h.privateReplies("U0SAM").at(-1)).toBe("*Budget review*, Thu 20 Aug 11:00: Yes (1): <@U0ALICE> · Maybe (0) · No (1): <@U0BOB>");

    // The hour-before reminder counts her once.
    await h.advance(23 * HOUR);
    expect(h.posts("C0COMMS").at(-1)?.args.text).toContain("(1 going so far)");

    // When it has ended, Sam is asked who came, with a one-click "everyone who said yes".
    await h.advance(2 * HOUR); // Thursday 12:00
    const [ask] = h.dmsTo("U0SAM");
    expect(ask?.args.text).toBe(
      "📋 *Budget review* (Thu 20 Aug 11:00–12:00) has ended. Who came?\nRecord it with `/coop attended 1 @name @name --date 2026-08-20`, or take the 1 who said yes.",
    );
    await h.click("U0SAM", ask!, "Everyone who said yes");
    expect(h.buttonsOf(h.latest(ask!))).toEqual([]);
    expect(h.dmsTo("U0SAM").at(-1)?.args.text).toBe("Recorded 1 at *Budget review* (Thu 20 Aug 11:00): <@U0ALICE>.");
  });

  it("a recurring meeting is shown privately with Confirm / Discard; the driver's click saves it, and a second click saves nothing more", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });

    await h.slash("U0SAM", "C0COMMS", 'meeting schedule comms "Check-in" every fortnight on monday at 11:00 --remind 1h');
    const drafts = h.fake.callsTo("response_url");
    expect(drafts).toHaveLength(1);
    const draft = { channel: "C0COMMS", ts: "1712399999.000100", text: drafts[0]!.args.text as string, blocks: drafts[0]!.args.blocks as any[] };
    expect(draft.text).toContain("*Check-in* for Communications Group: every 2 weeks on Monday at 11:00");
    expect(h.buttonsOf(draft).map((b) => [b.label, b.command])).toEqual([
      ["Confirm", "meeting confirm d1"],
      ["Discard", "meeting discard d1"],
    ]);
    expect(h.posts("C0COMMS")).toEqual([]); // nothing is saved or announced yet

    await h.click("U0SAM", draft, "Confirm", { ephemeral: true });
    await h.click("U0SAM", draft, "Confirm", { ephemeral: true }); // the ephemeral copy can't be edited: its buttons stay

    const replies = h.privateReplies("U0SAM");
    expect(replies.slice(1)).toEqual([expect.stringMatching(/^📅 Scheduled meeting 1: \*Check-in\* — every 2 weeks on Monday at 11:00/), "Draft d1 was already confirmed."]);
    expect(h.posts("C0COMMS").map((c) => c.args.text)).toEqual([expect.stringContaining("📅 New meeting for *Communications Group*: *Check-in*")]);
    expect(h.bot.db.$client.prepare("select count(*) as n from meetings").get()).toEqual({ n: 1 });
    // An edit of a message Slack never gave a reference for is skipped, not failed (and nobody is told of a failure).
    expect(h.outbox().filter((r) => r.state !== "sent" && r.state !== "skipped")).toEqual([]);
  });
});
