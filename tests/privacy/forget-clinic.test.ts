// `forget me` for the clinic's own people: work in their hands goes back
// (so no enquirer is left with nobody), what they wrote about other
// people's enquiries stays as that enquiry's record, and the counts of help
// given don't move. (The privacy guard of the clinic harness runs after
// each test: no enquiry text may reach a public room on the way.)
import { describe, expect, it } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { staffClinic, useClinicBots } from "../clinic/harness.ts";
import { count, memberIdOf } from "./harness.ts";

const bots = useClinicBots();
const NOTE = "called them: six members and a draft plan";

async function forget(t: TestBot, who: string): Promise<string[]> {
  await t.say(who, "forget me", `dm:${who}`);
  await t.say(who, "forget me confirm", `dm:${who}`);
  return t.take();
}

const enquiry = (t: TestBot, id: number) => t.db.$client.prepare("select state, claimed_by as claimedBy, adviser_id as adviserId, round from clinic_enquiries where id = ?").get(id);

/** CL-0001 claimed by tara (with her note); CL-0002 with bea as adviser (uma triaging); CL-0003 offered to bea. */
async function clinicAtWork(t: TestBot): Promise<void> {
  await staffClinic(t, { advisers: ["bea --specialisms finance --capacity 3"] });
  for (const [who, ref] of [["bob", "CL-0001"], ["cal", "CL-0002"], ["dan", "CL-0003"]] as const) {
    await t.say(who, `clinic ask ${who} needs help with the co-op's cash flow this autumn`, `dm:${who}`);
    await t.say(who, `consent ${ref}`, `dm:${who}`);
  }
  await t.say("tara", "/claim CL-0001", "triage");
  await t.say("tara", `/note CL-0001 ${NOTE}`, "triage");
  for (const ref of ["CL-0002", "CL-0003"]) {
    await t.say("uma", `/claim ${ref}`, "triage");
    await t.say("uma", `/triage ${ref} --category finance`, "triage");
    await t.say("uma", `/handoff ${ref} @bea`, "triage");
  }
  await t.say("bea", "handoff accept CL-0002", "dm:bea");
  t.take();
}

describe("forget me, for the clinic's people", () => {
  it("puts a triager's claimed enquiry back in the queue with a fresh card, and keeps the note they wrote on it", async () => {
    const t = bots();
    await clinicAtWork(t);
    const tara = memberIdOf(t, "tara");
    const lines = await forget(t, "tara");
    expect(enquiry(t, 1)).toEqual({ state: "open", claimedBy: null, adviserId: null, round: 1 });
    expect(lines).toContainEqual(expect.stringContaining("bot -> triage: ↩️ Back in the queue (its triager left): *CL-0001*"));
    expect(t.db.$client.prepare("select author_id as author, text from clinic_notes").all()).toEqual([{ author: tara, text: NOTE }]);
    await t.say("uma", "/claim CL-0001", "triage");
    expect(enquiry(t, 1)).toMatchObject({ state: "claimed", claimedBy: memberIdOf(t, "uma") });
  });

  it("leaves live cards their commands posted alone: a card from their `release` can still be claimed", async () => {
    const t = bots();
    await clinicAtWork(t);
    await t.say("tara", "/release CL-0001", "triage");
    await forget(t, "tara");
    const cards = t.db.$client.prepare("select message from outbox where msg_key = 'clinic:card:1:1' and kind = 'post'").all() as { message: string }[];
    expect(cards.map((c) => JSON.parse(c.message))).toEqual([expect.objectContaining({ buttons: [expect.objectContaining({ label: "Claim" })] })]);
  });

  it("gives an adviser's enquiries back to their triager and withdraws offers waiting for them; the transaction stays", async () => {
    const t = bots();
    await clinicAtWork(t);
    const transactions = count(t, "select * from clinic_transactions");
    const uma = memberIdOf(t, "uma");
    const lines = await forget(t, "bea");
    expect(enquiry(t, 2)).toEqual({ state: "claimed", claimedBy: uma, adviserId: null, round: 0 });
    expect(enquiry(t, 3)).toEqual({ state: "claimed", claimedBy: uma, adviserId: null, round: 0 });
    expect(count(t, "select * from clinic_handoffs where state in ('offered', 'accepted')")).toBe(0);
    expect(count(t, "select * from clinic_transactions")).toBe(transactions);
    expect(count(t, "select * from clinic_advisers where retired_at is null")).toBe(0);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining("bot -> dm:uma: ↩️ *CL-0002* is back with you: the adviser left the clinic."),
        expect.stringContaining("bot -> dm:uma: ↩️ The offer of *CL-0003* was withdrawn: the adviser left the clinic."),
      ]),
    );
    // No more check-ins for an adviser who isn't there.
    expect(count(t, "select * from jobs where kind = 'clinic.adviser-check-in' and state = 'pending'")).toBe(0);
  });

  it("withdraws and erases an enquirer's open enquiry, telling the people on it", async () => {
    const t = bots();
    await clinicAtWork(t);
    const lines = await forget(t, "cal");
    expect(enquiry(t, 2)).toMatchObject({ state: "resolved", adviserId: memberIdOf(t, "bea") });
    expect(t.db.$client.prepare("select text, asker_id as asker from clinic_enquiries where id = 2").get()).toEqual({ text: null, asker: null });
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringContaining("bot -> dm:uma: ↩️ *CL-0002* was withdrawn: the enquirer asked to be forgotten, so it is closed and erased."),
        expect.stringContaining("bot -> dm:bea: ↩️ *CL-0002* was withdrawn"),
      ]),
    );
    // Seen afterwards by the triager or the adviser: neither the text nor who asked.
    await t.say("uma", "/enquiry CL-0002", "triage");
    await t.say("bea", "enquiry CL-0002", "dm:bea");
    for (const text of t.texts()) {
      expect(text).toMatch(/^\*CL-0002\* · via chat · received .* · closed\nErased on /);
      expect(text).not.toMatch(/cal|cash flow|@/);
    }
  });
});
