/**
 * Membership follows into rooms on Matrix: joining an open network whose
 * room is linked gets the member a real invite to that room from the bot
 * (Synapse shows it as their membership "invite"), and the welcome says so.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { apiOk, BOT_ID, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let room = "";

beforeAll(async () => {
  h = await MatrixE2E.start();
  // The admin's room for the Leeds network, the bot in it; alice is not.
  room = await h.createRoom("admin", { name: "Leeds network" });
  await h.say("admin", room, "!coop group link leeds");
  await h.waitForMessage("admin", room, (m) => m.content.body.includes("This room is now Leeds network's matrix room"));
});

afterAll(async () => {
  await h?.teardown();
});

/** alice's membership events in the room, oldest first, as the room's admin sees its timeline. */
const aliceEvents = async (): Promise<Record<string, any>[]> => {
  const page = await apiOk(h.person("admin").token, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/messages?dir=b&limit=100`);
  return (page.chunk as Record<string, any>[]).filter((e) => e.type === "m.room.member" && e.state_key === ID.alice).reverse();
};

describe("joining invites into the linked room (real Synapse)", () => {
  it("alice joins the open network from her DM: the bot invites her to its room, and tells her", async () => {
    expect(await aliceEvents()).toEqual([]);
    await h.say("alice", "dm", "join leeds");
    const welcome = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Leeds network"));
    expect(welcome.content.body).toContain("I'm adding you to its Matrix room");
    // The invite comes from the bot (her test client then accepts it, as a person clicking Join would).
    const invite = await waitFor("alice's invite", async () => (await aliceEvents()).find((e) => e.content?.membership === "invite"));
    expect(invite.sender).toBe(BOT_ID);
  });
});
