import { describe, expect, it } from "vitest";
import { getEnquiry } from "../../db/clinic.ts";
import { transactionsBetween } from "../../db/clinic-network.ts";
import { staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();
const QUESTION = "can we --really pay ourselves less than the minimum wage while we start up?";

describe("asking the clinic in chat", () => {
  it("takes a question typed in a public room out of it, even with --words in it, and answers by direct message with a reference", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", `/clinic ask ${QUESTION}`, "general");
    const lines = t.take();
    expect(lines[0]).toBe("[2026-08-17 09:00] bot -> general (removed a message): A message for the Co-op Clinic was taken out of this room to keep it private.");
    const inGeneral = lines.filter((l) => l.includes("-> general"));
    expect(inGeneral).toHaveLength(1);
    const card = lines.find((l) => l.includes("-> triage:"))!;
    expect(card).toContain("*CL-0001* · via chat · no category hint");
    expect(card).not.toContain("minimum wage");
    const dm = lines.find((l) => l.includes("-> dm:alice"))!;
    expect(dm).toContain("as *CL-0001*. I took it out of general");
    expect(dm).toContain(`> ${QUESTION}`);
    expect(getEnquiry(t.db, 1)).toMatchObject({ source: "chat", text: QUESTION, state: "open", askerPlatform: "console" });
  });

  it("takes even a question it can't accept out of the room, and stores nothing", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", "hello", "dm:alice");
    t.take();
    const before = t.snapshot();
    await t.say("alice", `/clinic ask ${"help ".repeat(900)}`, "general");
    expect(t.take()).toEqual([
      "[2026-08-17 09:00] bot -> general (removed a message): A message for the Co-op Clinic was taken out of this room to keep it private.",
      "[2026-08-17 09:00] bot -> dm:alice: Your question is 4499 characters long; the clinic takes up to 4000. Could you shorten it and ask again? I took it out of general so only the clinic team sees it.",
    ]);
    expect(t.snapshot()).toEqual(before);
  });

  it("records a question delivered twice (a platform retry) once", async () => {
    const t = bots();
    await staffClinic(t);
    const event = t.event("alice", `/clinic ask ${QUESTION}`, "general");
    expect(t.bot.receive(event).outcome).toBe("ok");
    expect(t.bot.receive(event).outcome).toBe("duplicate");
    expect(t.db.$client.prepare("select count(*) as n from clinic_enquiries").get()).toEqual({ n: 1 });
  });

  it("asked in a direct message, removes nothing and says nothing about rooms", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("bob", `clinic ask ${QUESTION}`, "dm:bob");
    const lines = t.take();
    expect(lines.some((l) => l.includes("removed a message"))).toBe(false);
    expect(lines.find((l) => l.includes("-> dm:bob"))).toContain("Your question is with the Co-op Clinic as *CL-0001*. A triager will pick it up soon.");
  });
});

describe("erasing an enquiry", () => {
  const OUTCOME = "drafted a phased pay policy with the members and checked it against the rules";
  const NOTE = "they are a bakery of six with one retiring owner";
  const REPLY = "could you send us your current rules please";

  it("leaves none of its text anywhere in the database, edits what was sent, and keeps the counts", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ["bea --specialisms finance"] });
    bots.secrets.push(QUESTION, OUTCOME, NOTE, REPLY);
    await t.say("alice", `clinic ask ${QUESTION}`, "dm:alice");
    await t.say("alice", "consent CL-0001", "dm:alice");
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    await t.say("tara", `/note CL-0001 ${NOTE}`, "triage");
    await t.say("tara", `/reply CL-0001 ${REPLY}`, "triage");
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    await t.say("bea", `resolve CL-0001 ${OUTCOME}`, "dm:bea");
    const dump = () => JSON.stringify(t.snapshot([]));
    expect(dump()).toContain(QUESTION.replace(/"/g, '\\"'));
    t.take();

    await t.say("alice", "clinic erase CL-0001", "dm:alice");
    const lines = t.take();
    expect(lines.filter((l) => l.includes("(edited): 🗑️ *CL-0001* was erased")).length).toBeGreaterThanOrEqual(5);
    for (const secret of [QUESTION, OUTCOME, NOTE, REPLY]) expect(dump()).not.toContain(secret);
    expect(getEnquiry(t.db, 1)).toMatchObject({ category: "finance", source: "chat", state: "resolved", text: null, outcome: null });
    expect(transactionsBetween(t.db, undefined, t.clock.now())).toHaveLength(1);
  });

  it("refuses anyone but the person who asked (or an admin), and anything still open, changing nothing", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", `clinic ask ${QUESTION}`, "dm:alice");
    await t.say("bob", "hello", "dm:bob");
    t.take();
    const before = t.snapshot();
    await t.say("alice", "clinic erase CL-0001", "dm:alice");
    await t.say("bob", "clinic erase CL-0001", "dm:bob");
    expect(t.texts()).toEqual([
      "CL-0001 is still open; it can be erased once the clinic has closed it.",
      "Only the person who asked CL-0001 (or an admin, for a website enquirer) can erase it.",
    ]);
    expect(t.snapshot()).toEqual(before);
  });
});
