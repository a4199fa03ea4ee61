/**
 * Joining a group on Matrix: the request reaches the drivers' DMs with a
 * "React with ✅" line, a ✅ reaction approves, the card is edited so it no
 * longer offers the reaction, and two drivers reacting at once give exactly
 * one decision.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJoinRequest } from "../../db/groups.ts";
import { BOT_ID, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let room = "";

beforeAll(async () => {
  h = await MatrixE2E.start();
  room = await h.createRoom("admin", { name: "Lobby", invite: ["alice", "bob", "carol"] });
  // The drivers speak once, so their names are known (seeded drivers start as their user id).
  await h.say("bob", "dm", "whoami");
  await h.say("carol", "dm", "whoami");
  await h.waitForMessage("bob", "dm", (m) => m.content.body.startsWith("You are"));
  await h.waitForMessage("carol", "dm", (m) => m.content.body.startsWith("You are"));
});

afterAll(async () => {
  await h?.teardown();
});

const requestNumber = (body: string) => Number(/\(request (\d+)\)/.exec(body)?.[1]);

describe("joining with reactions (real Synapse)", () => {
  it("a driver approves with ✅ on the request in their DM: the requester is welcomed and the card is edited", async () => {
    const cmd = await h.say("alice", room, "!coop join mobilising I can run the stall");
    const ack = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Your request to join Mobilising Group"));
    expect(ack.content.body).toContain("bob");

    const card = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("would like to join") && m.content.body.includes("Mobilising"));
    const n = requestNumber(card.content.body);
    // The typed commands once (in the text), the reactions on one line; the plain body has no markup characters.
    expect(card.content.body).toContain(`Approve with !coop approve ${n} or decline with !coop decline ${n} <reason>.`);
    expect(card.content.body).toContain("React with ✅ to approve or ❌ to decline");
    expect(card.content.body).not.toMatch(/[*`]/);
    expect(card.content.formatted_body).toContain(`<code>!coop approve ${n}</code>`);
    expect(card.content.formatted_body).toContain(`<a href="https://matrix.to/#/${ID.alice}">`);
    expect(card.content.formatted_body).toContain("<blockquote>I can run the stall</blockquote>");
    expect(card.content["m.mentions"].user_ids).toContain(ID.alice);

    const reaction = await h.react("bob", card.roomId, card.eventId, "✅");
    const welcome = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("approved your request"));
    expect(welcome.content.body).toContain("you're now a member of Mobilising Group");
    const edited = await h.waitForMessage("bob", card.roomId, (m) => m.eventId === card.eventId && m.edited);
    expect(edited.content.body).toContain("approved");
    expect(edited.content.body).not.toContain("React with");
    expect(edited.content.formatted_body).not.toContain("React with");
    // The driver's own answer is a reply to the card.
    const answer = await h.waitForMessage("bob", card.roomId, (m) => m.inReplyTo === card.eventId && m.content.body.includes("is now a member"));
    expect(answer.content.body).toContain("alice is now a member of Mobilising Group");
    // The core saw the reaction as the button's typed command.
    expect(h.received.find((e) => e.eventId === reaction)).toMatchObject({ text: `approve ${n}`, addressed: true, button: { messageRef: card.eventId } });
    expect(h.received.some((e) => e.eventId === cmd)).toBe(true);
  });

  it("a reaction that matches no button, or on someone else's message, does nothing", async () => {
    const card = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("Mobilising"));
    const party = await h.react("bob", card.roomId, card.eventId, "🎉");
    const hello = await h.say("alice", room, "hello everyone");
    const onPerson = await h.react("bob", room, hello, "✅");
    // Sentinels after them in both rooms: once answered, the reactions before them were handled (in order, per room).
    const ping = await h.say("bob", card.roomId, "whoami");
    const lobbyPing = await h.say("alice", room, "!coop whoami");
    await h.waitForMessage("bob", card.roomId, (m) => m.inReplyTo === ping);
    await waitFor("📬 on the lobby sentinel", async () => (await h.reactions("alice", room)).find((r) => r.target === lobbyPing && r.key === "📬"));
    expect(h.received.some((e) => e.eventId === party || e.eventId === onPerson)).toBe(false);
    expect(h.received.find((e) => e.eventId === hello)).toMatchObject({ addressed: false, text: "hello everyone" });
  });

  it("two drivers reacting ✅ at once on the same request give exactly one decision", async () => {
    await h.say("alice", room, "!coop join comms I write copy");
    const [bobCard, carolCard] = await Promise.all([
      h.waitForMessage("bob", "dm", (m) => m.content.body.includes("would like to join Communications Group")),
      h.waitForMessage("carol", "dm", (m) => m.content.body.includes("would like to join Communications Group")),
    ]);
    const n = requestNumber(bobCard.content.body);
    expect(requestNumber(carolCard.content.body)).toBe(n);

    await Promise.all([h.react("bob", bobCard.roomId, bobCard.eventId, "✅"), h.react("carol", carolCard.roomId, carolCard.eventId, "✅️")]);

    await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("approved your request") && m.content.body.includes("Communications"));
    // Both cards are edited (the decision is shown to every driver), and exactly one driver is the decider.
    await h.waitForMessage("bob", bobCard.roomId, (m) => m.eventId === bobCard.eventId && m.edited);
    await h.waitForMessage("carol", carolCard.roomId, (m) => m.eventId === carolCard.eventId && m.edited);
    const outcome = async (who: "bob" | "carol", card: typeof bobCard) =>
      (await h.messages(who, card.roomId)).find((m) => m.inReplyTo === card.eventId && /is now a member|already approved|decided a moment ago/.test(m.content.body))?.content.body as string | undefined;
    const [bobSaw, carolSaw] = await Promise.all([
      waitFor("bob's answer", () => outcome("bob", bobCard)),
      waitFor("carol's answer", () => outcome("carol", carolCard)),
    ]);
    const winners = [bobSaw, carolSaw].filter((b) => b.includes("is now a member"));
    expect(winners).toHaveLength(1);
    expect([bobSaw, carolSaw].filter((b) => /already approved|decided a moment ago/.test(b))).toHaveLength(1);
    expect(getJoinRequest(h.bot.db, n)?.state).toBe("approved");
    const welcomes = (await h.messages("alice", "dm")).filter((m) => m.content.body.includes("approved your request") && m.content.body.includes("Communications"));
    expect(welcomes).toHaveLength(1);
    expect(welcomes[0]!.sender).toBe(BOT_ID);
  });
});
