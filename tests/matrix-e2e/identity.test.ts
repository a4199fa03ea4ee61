/**
 * Identity and privacy on real Synapse: a pill or a full user id the
 * homeserver knows is a verified mention, so people who never spoke to the
 * bot can be thanked or given a role; a typed display name can't hand out
 * power; a clinic near-miss, or an edit that turns a message into a clinic
 * question, is redacted.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { findIdentity } from "../../db/members.ts";
import { rolesOf } from "../../db/roles.ts";
import { BOT_ID, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;

beforeAll(async () => {
  h = await MatrixE2E.start();
});

afterAll(async () => {
  await h?.teardown();
});

const replyTo = (name: "alice" | "admin", eventId: string) => h.waitForMessage(name, "dm", (m) => m.inReplyTo === eventId);

describe("mentions and privacy on Matrix (real Synapse)", () => {
  it("a pill gives a role to someone who never spoke to the bot, under the name the homeserver has for them", async () => {
    expect(findIdentity(h.bot.db, "matrix", ID.alice)).toBeUndefined();
    const cmd = await h.say("admin", "dm", `!coop role grant alice triager`, { html: `!coop role grant <a href="https://matrix.to/#/${ID.alice}">alice</a> triager` });
    const answer = await replyTo("admin", cmd);
    expect(answer.content.body).toContain("is now a triager");
    const alice = findIdentity(h.bot.db, "matrix", ID.alice)!;
    expect(alice.displayName).toBe("alice"); // the homeserver's name, not the id
    expect(rolesOf(h.bot.db, alice.memberId)).toEqual([{ role: "triager", scope: "" }]);
  });

  it("a typed full user id the homeserver knows works too: thanks reach bob, who never spoke to the bot", async () => {
    const cmd = await h.say("alice", "dm", `thanks ${ID.bob} for the minutes`);
    await replyTo("alice", cmd);
    const dm = await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("thanked you for the minutes"));
    expect(dm.sender).toBe(BOT_ID);
  });

  it("a user id the homeserver doesn't know is refused, and a typed name can't hand out power", async () => {
    const unknown = await h.say("admin", "dm", "!coop role grant @nobody-here:localhost triager");
    expect((await replyTo("admin", unknown)).content.body).toMatch(/^To be sure who you mean, mention them/);
    const byName = await h.say("admin", "dm", "!coop role grant @carol triager");
    expect((await replyTo("admin", byName)).content.body).toMatch(/^To be sure who you mean, mention them/);
    const carol = findIdentity(h.bot.db, "matrix", ID.carol)!;
    expect(rolesOf(h.bot.db, carol.memberId).map((r) => r.role)).not.toContain("triager");
  });

  it("a mistyped clinic command in a room is redacted before the bot answers", async () => {
    const room = await h.createRoom("admin", { name: "Near misses", invite: ["alice"], powerLevels: { users: { [BOT_ID]: 50 } } });
    const typo = await h.say("alice", room, "!coop clinic aks our treasurer took the float");
    const gone = await waitFor("the near-miss to be redacted", async () => (await h.timeline("alice", room)).find((e) => e.event_id === typo && e.unsigned?.redacted_because));
    expect(gone.unsigned.redacted_because.sender).toBe(BOT_ID);
  });

  it("an edit that turns a message into a clinic question is redacted with the message it edits", async () => {
    const room = await h.createRoom("admin", { name: "Edits", invite: ["alice"], powerLevels: { users: { [BOT_ID]: 50 } } });
    const original = await h.say("alice", room, "good morning all");
    const edit = await h.send(h.person("alice"), room, "m.room.message", {
      msgtype: "m.text",
      body: "* clinic ask our treasurer took the float",
      "m.new_content": { msgtype: "m.text", body: "clinic ask our treasurer took the float" },
      "m.relates_to": { rel_type: "m.replace", event_id: original },
    });
    for (const id of [original, edit]) {
      await waitFor(`event ${id} to be redacted`, async () => (await h.timeline("alice", room)).find((e) => e.event_id === id && e.unsigned?.redacted_because));
    }
  });
});
