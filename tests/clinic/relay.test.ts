// The relay's edges: with no triage room the clinic's end is the triagers'
// and then the claimer's DMs; an enquirer can't flood a conversation; the
// same words clicked or typed twice go once; a closed enquiry's
// conversation has ended; a line that isn't for the clinic still gets the
// usual answer.
import { describe, expect, it } from "vitest";
import { threadRootRef } from "../../db/clinic-outbox.ts";
import { DAY, staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();
const count = (t: { db: { $client: { prepare(s: string): { get(): unknown } } } }) => (t.db.$client.prepare("select count(*) as n from clinic_messages").get() as { n: number }).n;

describe("the clinic relay", () => {
  it("without a triage room, goes to every triager until one claims it, then to the claimer alone", async () => {
    const t = bots({ config: { console: { rooms: {} }, clinic: {} } });
    await staffClinic(t);
    await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
    t.take();
    await t.say("alice", "we have six members", "dm:alice");
    const before = t.take();
    expect(before).toContain("[2026-08-17 09:00] bot -> dm:tara: 📨 *CL-0001* · @alice wrote:\n  > we have six members");
    expect(before).toContain("[2026-08-17 09:00] bot -> dm:uma: 📨 *CL-0001* · @alice wrote:\n  > we have six members");
    await t.say("tara", "claim CL-0001", "dm:tara");
    t.take();
    await t.say("alice", "and one big customer", "dm:alice");
    const after = t.take();
    expect(after).toContain("[2026-08-17 09:00] bot -> dm:tara: 📨 *CL-0001* · @alice wrote (for @tara):\n  > and one big customer");
    expect(after.join("\n")).not.toContain("dm:uma");
  });

  it("takes 30 messages a day into one enquiry and refuses the 31st, storing nothing; the same words twice go once", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
    await t.say("alice", "one more thing", "dm:alice");
    t.take();
    await t.say("alice", "one more thing", "dm:alice");
    expect(t.texts()).toEqual(["You sent exactly that a moment ago; I passed it on then."]);
    for (let i = 2; i <= 30; i++) {
      t.clock.set(t.clock.now() + 60_000);
      await t.say("alice", `detail number ${i}`, "dm:alice");
    }
    expect(count(t)).toBe(30);
    t.take();
    await t.say("alice", "detail number 31", "dm:alice");
    expect(t.texts()).toEqual([
      "You've sent 30 messages about CL-0001 in the last 24 hours, which is as many as the clinic takes in a day; the team will read what you sent and answer. An admin can change this limit: `limits.clinic.messagesPerDay` in the config.",
    ]);
    expect(count(t)).toBe(30);
    await t.advance(24 * 3600_000);
    await t.say("alice", "detail number 31", "dm:alice");
    expect(count(t)).toBe(31);
  });

  it("once closed, says so instead of passing it on, and leaves a line from someone with no enquiry to the rest of the bot", async () => {
    const t = bots();
    await staffClinic(t);
    // Not the clinic's: left to the rest of the bot (for someone new, the welcome tour), and nothing reaches the triage room.
    await t.say("bob", "hullo there", "dm:bob");
    const answer = t.take();
    expect(answer.join("\n")).toContain("I don't know `hullo`.");
    expect(answer.join("\n")).not.toMatch(/Passed on|-> triage/);
    await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/resolve CL-0001 pointed them to a template", "triage");
    t.take();
    await t.say("alice", "thanks, that worked", "dm:alice");
    expect(t.texts()).toEqual(["Your clinic enquiry *CL-0001* is closed, so I haven't passed that on. /clinic ask <question> starts a new one."]);
    expect(count(t)).toBe(0);
  });

  it("keeps the card an open enquiry's thread hangs from past the pruning age (180 days for a post that may be edited), and lets it go once closed", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
    const root = threadRootRef(t.db, 1, { platform: "console", id: "triage" });
    expect(root).toBeDefined();
    await t.advance(200 * DAY);
    expect(threadRootRef(t.db, 1, { platform: "console", id: "triage" })).toBe(root);
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/resolve CL-0001 pointed them to a template", "triage");
    await t.advance(200 * DAY);
    expect(threadRootRef(t.db, 1, { platform: "console", id: "triage" })).toBeUndefined();
  });
});
