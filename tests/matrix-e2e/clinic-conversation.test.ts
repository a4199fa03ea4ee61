/**
 * A clinic conversation on Matrix (real Synapse): the enquirer's DM with the
 * bot and the enquiry's thread under its card in the triage room are two
 * ends of one conversation. The claiming triager answers by writing
 * `!coop …` in the thread; the adviser, once they accept, hears the
 * enquirer too and answers with `!coop reply`.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ID, MatrixE2E } from "./harness.ts";

let h: MatrixE2E;
let triage = "";
let card = "";

beforeAll(async () => {
  h = await MatrixE2E.start({ startBot: false });
  triage = await h.createRoom("admin", { name: "Clinic triage", invite: ["bob"], bot: false });
  await h.startBot({ config: { clinic: { triageRoom: `matrix:${triage}` } } });
  await h.invite("admin", triage, "bot");
  await h.waitForBotJoined(triage);
  const grant = await h.say("admin", "dm", `role grant ${ID.bob} triager`);
  await h.waitForMessage("admin", "dm", (m) => m.inReplyTo === grant);
  const welcome = await h.say("carol", "dm", "whoami");
  await h.waitForMessage("carol", "dm", (m) => m.inReplyTo === welcome);
  const added = await h.say("admin", "dm", `adviser add ${ID.carol} --specialisms finance`);
  await h.waitForMessage("admin", "dm", (m) => m.inReplyTo === added);
});

afterAll(async () => {
  await h?.teardown();
});

describe("a clinic conversation on Matrix (real Synapse)", () => {
  it("the enquirer's words after asking go to the enquiry's thread in the triage room", async () => {
    await h.say("alice", "dm", "clinic ask we need a cash-flow forecast for the bank by Friday");
    const found = await h.waitForMessage("bob", triage, (m) => m.content.body.startsWith("📥 New enquiry") && m.content.body.includes("CL-0001"));
    card = found.eventId;
    await h.say("alice", "dm", "we have six members and one big customer");
    const relayed = await h.waitForMessage("bob", triage, (m) => m.content.body.includes("six members"));
    expect(relayed.thread).toBe(card);
    expect(relayed.content.body).toContain("📨 CL-0001 · alice wrote:");
    await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Passed on to the clinic, with your enquiry CL-0001"));
  });

  it("the claimer writes in the thread and it reaches the enquirer's DM; her answer comes back to the thread", async () => {
    const claimed = await h.say("bob", triage, "!coop claim CL-0001");
    await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("You claimed"));
    void claimed;
    await h.say("bob", triage, "!coop how much does the big customer owe you?", { thread: card });
    const got = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("how much does the big customer owe you?"));
    expect(got.content.body).toContain("💬 Co-op Clinic, about CL-0001 — from bob");
    expect(got.content.body).toContain("To answer, just write here and I'll pass it on.");
    await h.say("alice", "dm", "about eleven thousand pounds");
    const back = await h.waitForMessage("bob", triage, (m) => m.content.body.includes("eleven thousand"));
    expect(back.thread).toBe(card);
    expect(back.content.body).toContain("(for bob)");
  });

  it("once an adviser accepts, they hear the enquirer and answer her with reply", async () => {
    await h.say("alice", "dm", "consent CL-0001");
    await h.say("bob", triage, "!coop triage CL-0001 --category finance");
    await h.waitForMessage("bob", "dm", (m) => m.content.body.includes("CL-0001: category finance"));
    await h.say("bob", triage, `!coop handoff CL-0001 ${ID.carol}`);
    await h.waitForMessage("carol", "dm", (m) => m.content.body.includes("would like to hand you CL-0001"));
    await h.say("carol", "dm", "handoff accept CL-0001");
    await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("has taken it on"));
    await h.say("alice", "dm", "when can we talk?");
    const heard = await h.waitForMessage("carol", "dm", (m) => m.content.body.includes("when can we talk?"));
    expect(heard.content.body).toContain("📨 CL-0001 · alice wrote");
    await h.say("carol", "dm", "reply CL-0001 Thursday at ten suits me");
    const answer = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("Thursday at ten suits me"));
    expect(answer.content.body).toContain("from carol");
    // The triage room's timeline holds the conversation only in the card's thread.
    const room = await h.messages("bob", triage);
    const talk = room.filter((m) => /six members|eleven thousand|when can we talk|Thursday/.test(m.content.body));
    expect(talk.length).toBeGreaterThanOrEqual(4);
    expect(talk.every((m) => m.thread === card)).toBe(true);
  });
});
