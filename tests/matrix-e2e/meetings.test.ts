/**
 * Meetings on Matrix, for real: a driver links the group's room and
 * schedules a meeting there; the reminder arrives in that room with the RSVP
 * reaction lines; a 👍 on it is an RSVP the driver sees with `rsvps`.
 *
 * The e2e bot runs on the real clock, and meeting times are whole minutes,
 * so the meeting is set for the first whole minute at least 75 s ahead, with
 * `--remind 1m`: the reminder falls due 15 to 75 s after scheduling (the 15 s
 * margin so the command is surely handled before then: a reminder already
 * due when a meeting is scheduled is left out). Nothing sleeps: each step
 * waits for what people would see.
 */
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let room = "";

beforeAll(async () => {
  h = await MatrixE2E.start();
  room = await h.createRoom("admin", { name: "Comms", invite: ["alice", "bob"] });
  // Alice speaks once, so her name is known (and shown) when the driver lists RSVPs.
  const hello = await h.say("alice", "dm", "whoami");
  await h.waitForMessage("alice", "dm", (m) => m.inReplyTo === hello);
});

afterAll(async () => {
  await h?.teardown();
});

describe("meetings on Matrix (real Synapse, real clock)", () => {
  it("the group's linked room gets the meeting reminder with 👍 / 👎 / 🤔 lines; a 👍 on it is an RSVP the driver sees", { timeout: 180_000 }, async () => {
    // bob drives comms (see e2eConfig): he links this room to it.
    const link = await h.say("bob", room, "!coop group link comms");
    await h.waitForMessage("bob", room, (m) => m.inReplyTo === link && m.content.body.includes("is now Communications Group's matrix room"));

    // The first whole minute at least 75 s ahead, in the group's zone: its 1-minute reminder is 15-75 s away.
    const zone = h.bot.services.config.timezone;
    const start = DateTime.fromMillis(Date.now() + 75_000, { zone }).plus({ minutes: 1 }).startOf("minute");
    const when = start.toFormat("yyyy-LL-dd HH:mm");
    const schedule = await h.say("bob", room, `!coop meeting schedule comms "Stand-up" ${when} --remind 1m`);
    const scheduled = await h.waitForMessage("bob", "dm", (m) => m.content.body.startsWith("📅 Scheduled meeting"));
    expect(scheduled.content.body).toContain("Stand-up");
    const n = Number(/meeting (\d+)/.exec(scheduled.content.body)?.[1]);
    expect(h.received.find((e) => e.eventId === schedule)?.text).toContain("meeting schedule comms");
    await h.waitForMessage("alice", room, (m) => m.content.body.startsWith("📅 New meeting for Communications Group: Stand-up"));

    // The reminder, in the linked room, with the RSVP reactions offered as lines.
    const reminder = await h.waitForMessage("alice", room, (m) => m.content.body.startsWith("⏰ Stand-up (Communications Group)"), { timeoutMs: 120_000 });
    const date = start.toISODate();
    expect(reminder.content.body).toContain(`Coming? !coop rsvp ${n} yes|no|maybe`);
    expect(reminder.content.body).toContain(`React with 👍 for “Yes” or type !coop rsvp ${n} yes --date ${date}`);
    expect(reminder.content.body).toContain(`React with 👎 for “No” or type !coop rsvp ${n} no --date ${date}`);
    expect(reminder.content.body).toContain(`React with 🤔 for “Maybe” or type !coop rsvp ${n} maybe --date ${date}`);
    expect(reminder.content.formatted_body).toContain(`<code>!coop rsvp ${n} yes --date ${date}</code>`);
    // It came when it was due: not before the minute before the meeting.
    expect(reminder.ts).toBeGreaterThanOrEqual(start.toMillis() - 60_000);

    // Alice reacts 👍: the core sees the Yes button's command, and she is answered privately.
    const thumbs = await h.react("alice", room, reminder.eventId, "👍");
    const said = await h.waitForMessage("alice", "dm", (m) => m.content.body.startsWith("✅ You're coming to Stand-up"));
    expect(said.content.body).toContain("1 going so far.");
    expect(h.received.find((e) => e.eventId === thumbs)).toMatchObject({ text: `rsvp ${n} yes --date ${date}`, addressed: true, button: { messageRef: reminder.eventId } });

    // The driver's view.
    const ask = await h.say("bob", room, `!coop rsvps ${n}`);
    await waitFor("📬 on the driver's command", async () => (await h.reactions("bob", room)).find((r) => r.target === ask && r.key === "📬"));
    const list = await h.waitForMessage("bob", "dm", (m) => m.content.body.startsWith("Stand-up,"));
    expect(list.content.body).toMatch(/Yes \(1\): @?alice · Maybe \(0\) · No \(0\)$/);
    expect(list.content.formatted_body).toContain(`https://matrix.to/#/${ID.alice}`);
    // The room saw only the reminder and the announcement from the bot, not the answers.
    const fromBot = (await h.messages("alice", room)).map((m) => m.content.body as string);
    expect(fromBot.filter((b) => b.includes("You're coming") || b.startsWith("Stand-up,"))).toEqual([]);
  });
});
