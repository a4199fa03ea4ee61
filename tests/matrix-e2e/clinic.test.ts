/**
 * The Co-op Clinic on Matrix: a question typed in a room is redacted at once
 * (or, where the bot lacks the power, only the note is posted), and two
 * triagers reacting 🙋 on the same card in the triage room give exactly one
 * claim.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_ID, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let triage = "";

beforeAll(async () => {
  h = await MatrixE2E.start({ startBot: false });
  // The triage room is in the config, so it exists before the bot starts.
  triage = await h.createRoom("admin", { name: "Clinic triage", invite: ["bob", "carol"], bot: false });
  await h.startBot({ config: { clinic: { triageRoom: `matrix:${triage}` } } });
  await h.invite("admin", triage, "bot");
  await h.waitForBotJoined(triage);
  for (const who of [ID.bob, ID.carol]) {
    const cmd = await h.say("admin", "dm", `role grant ${who} triager`);
    await h.waitForMessage("admin", "dm", (m) => m.inReplyTo === cmd);
  }
});

afterAll(async () => {
  await h?.teardown();
});

describe("the clinic on Matrix (real Synapse)", () => {
  let card = "";

  it("redacts a question typed in a room, with the note as the reason, and answers the asker privately", async () => {
    const lobby = await h.createRoom("admin", { name: "Lobby", invite: ["alice"], powerLevels: { users: { [BOT_ID]: 50 } } }); // v12: the creator has all power without being listed
    const question = await h.say("alice", lobby, "!coop clinic ask how do we convert our business to a worker co-op?");
    const gone = await waitFor("the question to be redacted", async () => (await h.timeline("alice", lobby)).find((e) => e.event_id === question && Object.keys(e.content ?? {}).length === 0 && e.unsigned?.redacted_because));
    expect(gone.unsigned.redacted_because).toMatchObject({ sender: BOT_ID, content: { reason: "A message for the Co-op Clinic was taken out of this room to keep it private." } });
    const thanks = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Your question is with the Co-op Clinic as CL-"));
    expect(thanks.content.body).toContain("> how do we convert our business to a worker co-op?");
    expect(thanks.content.body).toMatch(/!coop consent CL-\d+/); // the typed way to consent, once
    expect(thanks.content.body).not.toMatch(/[*`]/); // a clean plain body: formatting only in formatted_body
    expect(thanks.content.body).toContain("I took it out of Lobby");
  });

  it("where it may not redact, posts only the note (the question stays) and logs why", async () => {
    const room = await h.createRoom("admin", { name: "Open floor", invite: ["alice"] });
    const question = await h.say("alice", room, "!coop clinic ask can we pay ourselves a dividend?");
    const note = await h.waitForMessage("alice", room, (m) => m.content.body.includes("taken out of this room"));
    expect(note.content.body).toBe("A message for the Co-op Clinic was taken out of this room to keep it private.");
    const original = (await h.timeline("alice", room)).find((e) => e.event_id === question)!;
    expect(original.content.body).toContain("dividend");
    expect(h.logLines("no power to remove a message")).not.toEqual([]);
  });

  it("shows the card in the triage room with a 🙋 line", async () => {
    const found = await h.waitForMessage("bob", triage, (m) => m.content.body.startsWith("📥 New enquiry") && m.content.body.includes("CL-0001"));
    expect(found.content.body).toContain("!coop claim CL-0001 takes it on.");
    expect(found.content.body).toContain("React with 🙋 to claim"); // the typed command is in the text: said once
    expect(found.content.formatted_body).toContain("<code>!coop claim CL-0001</code>");
    expect(found.content.body).not.toContain("convert"); // never the text in the room
    card = found.eventId;
  });

  it("two triagers reacting 🙋 at once on the same card: exactly one claims it", async () => {
    await Promise.all([h.react("bob", triage, card, "🙋"), h.react("carol", triage, card, "🙋‍♀️")]);
    const settled = await h.waitForMessage("bob", triage, (m) => m.eventId === card && m.edited);
    expect(settled.content.body).toMatch(/^CL-0001 · .* — ✋ claimed by (bob|carol)/);
    expect(settled.content.body).not.toContain("React with");
    const claimedBy = settled.content.body.includes("claimed by bob") ? "bob" : "carol";
    const other = claimedBy === "bob" ? "carol" : "bob";
    const won = await h.waitForMessage(claimedBy, "dm", (m) => m.content.body.includes("You claimed") && m.content.body.includes("CL-0001"));
    expect(won.content.body).toContain("convert our business");
    const lost = await h.waitForMessage(other, "dm", (m) => m.content.body.includes("CL-0001 is already claimed by"));
    expect(lost.content.body).toContain(claimedBy);
    expect((await h.messages(other, "dm")).filter((m) => m.content.body.includes("You claimed") && m.content.body.includes("CL-0001"))).toEqual([]);
  });
});
