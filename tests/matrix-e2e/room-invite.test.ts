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

const membershipOf = async (userId: string): Promise<string | undefined> => {
  const state = (await apiOk(h.person("admin").token, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state`)) as unknown as Record<string, any>[];
  return state.find((e) => e.type === "m.room.member" && e.state_key === userId)?.content?.membership;
};

describe("joining invites into the linked room (real Synapse)", () => {
  it("alice joins the open network from her DM: the bot invites her to its room, and tells her", async () => {
    expect(await membershipOf(ID.alice)).toBeUndefined();
    await h.say("alice", "dm", "join leeds");
    const welcome = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Leeds network"));
    expect(welcome.content.body).toContain("I'm adding you to its Matrix room");
    const membership = await waitFor("alice's invite", async () => (await membershipOf(ID.alice)) === "invite" && "invite");
    expect(membership).toBe("invite");
    const state = (await apiOk(h.person("admin").token, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(room)}/state`)) as unknown as Record<string, any>[];
    expect(state.find((e) => e.type === "m.room.member" && e.state_key === ID.alice)?.sender).toBe(BOT_ID);
  });
});
