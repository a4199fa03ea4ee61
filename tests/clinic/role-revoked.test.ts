// Access follows the role held now: a triager or adviser who loses the role
// can read nothing they held, and what they held goes back to the clinic at
// once (a new card where it needs claiming), with the triage room told.
import { describe, expect, it } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();
const QUESTION = "we need help with a cash-flow forecast for the credit union";

async function claimedByTara(t: TestBot): Promise<void> {
  await staffClinic(t, { advisers: ["bea --specialisms finance --capacity 2"] });
  await t.say("alice", `clinic ask ${QUESTION}`, "dm:alice");
  await t.say("alice", "consent CL-0001", "dm:alice");
  await t.say("tara", "/claim CL-0001", "triage");
  await t.say("tara", "/note CL-0001 rang them: six members, a draft plan", "triage");
  t.take();
}

const state = (t: TestBot) => t.db.$client.prepare("select state, claimed_by as claimedBy, adviser_id as adviserId, round from clinic_enquiries where id = 1").get();

describe("a triager whose role is revoked", () => {
  it("loses access at once, and the enquiry is back in the queue with a new card the triage room can claim", async () => {
    const t = bots();
    await claimedByTara(t);

    await t.say("admin", "/role revoke @tara triager");

    const sent = t.take();
    const card = sent.find((l) => l.includes("-> triage:") && l.includes("↩️ Back in the queue (@tara no longer triages)"));
    expect(card).toContain("*CL-0001*");
    expect(card).toContain("[Claim: /claim CL-0001]");
    expect(card).not.toContain(QUESTION);
    expect(state(t)).toEqual({ state: "open", claimedBy: null, adviserId: null, round: 1 });

    await t.say("tara", "/enquiry CL-0001", "dm:tara");
    await t.say("tara", "/note CL-0001 one more thing", "dm:tara");
    await t.say("tara", "/reply CL-0001 hello again", "dm:tara");
    const refusals = t.texts();
    expect(refusals[0]).toBe("CL-0001 is visible only to the clinic team working on it and the person who asked.");
    expect(refusals[1]).toMatch(/is for triagers/);
    // `reply` is open to the person who asked too, so the refusal names who may write in the conversation.
    expect(refusals[2]).toBe("Only the clinic team working on CL-0001 and the person who asked it can write in its conversation.");
    expect(refusals.join("\n")).not.toContain(QUESTION);
    expect(refusals.join("\n")).not.toContain("six members");

    // Another triager takes it from the new card.
    await t.say("uma", "/claim CL-0001", "triage");
    expect(state(t)).toMatchObject({ state: "claimed" });
  });

  it("an offer they made and nobody answered is withdrawn, and the adviser's card says so", async () => {
    const t = bots();
    await claimedByTara(t);
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    t.take();

    await t.say("admin", "/role revoke @tara triager");

    const edited = t.take().find((l) => l.includes("-> dm:bea") && l.includes("(edited)"));
    expect(edited).toContain("The offer of *CL-0001* was withdrawn");
    await t.say("bea", "/handoff accept CL-0001", "dm:bea");
    expect(t.texts()).toEqual(["CL-0001 isn't offered to you."]);
    expect(state(t)).toMatchObject({ state: "open", claimedBy: null });
  });

  it("one already with an adviser stays with them, and the triage room is asked to find someone to follow it up", async () => {
    const t = bots();
    await claimedByTara(t);
    await staffClinic(t, { triagers: [], leads: ["lee"] });
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "/handoff accept CL-0001", "dm:bea");
    t.take();

    await t.say("admin", "/role revoke @tara triager");

    expect(t.take().some((l) => l.includes("-> triage:") && l.includes("is with its adviser, but @tara no longer triages"))).toBe(true);
    expect(state(t)).toMatchObject({ state: "with-adviser", claimedBy: null });
    await t.say("lee", "/reassign CL-0001 @uma", "triage");
    expect(state(t)).toMatchObject({ state: "with-adviser", claimedBy: t.db.$client.prepare("select member_id as id from identities where platform_id = 'uma'").pluck().get() });
  });
});

describe("reads check the role held now", () => {
  it("a claim left behind by a role lost some other way (no release ran) gives no access to the text or notes", async () => {
    const t = bots();
    await claimedByTara(t);
    const tara = t.db.$client.prepare("select member_id from identities where platform_id = 'tara'").pluck().get();
    t.db.$client.prepare("delete from role_grants where member_id = ? and role = 'triager'").run(tara);

    await t.say("tara", "/enquiry CL-0001", "dm:tara");
    await t.say("tara", "/release CL-0001", "dm:tara");
    const answers = t.texts();
    expect(answers[0]).toBe("CL-0001 is visible only to the clinic team working on it and the person who asked.");
    expect(answers.join("\n")).not.toContain(QUESTION);
    expect(state(t)).toMatchObject({ state: "claimed" });
  });
});

describe("an adviser whose role is revoked", () => {
  it("loses the enquiry: it goes back to its triager, the check-ins stop, and they can't read it any more", async () => {
    const t = bots();
    await claimedByTara(t);
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "/handoff accept CL-0001", "dm:bea");
    t.take();

    await t.say("admin", "/role revoke @bea adviser");

    const sent = t.take();
    expect(sent.some((l) => l.includes("-> dm:tara") && l.includes("*CL-0001* is back with you: @bea is no longer an adviser"))).toBe(true);
    expect(sent.some((l) => l.includes("-> triage:") && l.includes("back with its triager @tara"))).toBe(true);
    expect(state(t)).toMatchObject({ state: "claimed", adviserId: null });
    expect(t.db.$client.prepare("select count(*) from jobs where key like 'clinic:checkin:%' and state = 'pending'").pluck().get()).toBe(0);
    await t.say("bea", "/enquiry CL-0001", "dm:bea");
    expect(t.texts()).toEqual(["CL-0001 is visible only to the clinic team working on it and the person who asked."]);
    // The transaction happened; it stays on the record.
    expect(t.db.$client.prepare("select count(*) from clinic_transactions").pluck().get()).toBe(1);
  });
});
