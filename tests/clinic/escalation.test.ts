import { describe, expect, it } from "vitest";
import { dueJobs, getJob } from "../../db/jobs.ts";
import { TestBot } from "../helpers/bot.ts";
import { DAY, HOUR, staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();
const ASK = "/clinic ask how do we set up a members' loan scheme?";

describe("escalating an unclaimed enquiry", () => {
  it("sends nothing when the claim lands in the very minute the escalation falls due, before the job runs", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", ASK, "general");
    t.take();
    const due = getJob(t.db, "clinic:escalate:1:r0:room")!.dueAt;
    expect(due - t.clock.now()).toBe(4 * HOUR);
    t.clock.set(due);
    await t.say("tara", "/claim CL-0001", "triage");
    t.bot.scheduler.runDue();
    await t.bot.dispatcher.drain();
    await t.advance(30 * DAY);
    const lines = t.take();
    expect(lines.some((l) => /Still unclaimed|Nobody has claimed/.test(l))).toBe(false);
    expect(getJob(t.db, "clinic:escalate:1:r0:room")?.state).toBe("cancelled");
    expect(getJob(t.db, "clinic:escalate:1:r0:leads")?.state).toBe("cancelled");
  });

  it("does nothing when a scheduler had already picked the job up as the claim committed (another process)", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", ASK, "general");
    const due = getJob(t.db, "clinic:escalate:1:r0:room")!.dueAt;
    t.clock.set(due);
    const [picked] = dueJobs(t.db, due).filter((j) => j.key.startsWith("clinic:"));
    expect(picked?.key).toBe("clinic:escalate:1:r0:room");
    await t.say("tara", "/claim CL-0001", "triage");
    t.take();
    expect(t.bot.scheduler.runOne(picked!)).toBe(false);
    await t.bot.dispatcher.drain();
    expect(t.take()).toEqual([]);
  });

  it("pings the triage room after 4 business hours, then the triage leads after 24, each once", async () => {
    const t = bots({ start: "2026-08-14T16:00" });
    await staffClinic(t, { leads: ["lee"] });
    await t.say("alice", ASK, "general");
    t.take();
    await t.advance(14 * DAY);
    const lines = t.take();
    expect(lines.map((l) => l.slice(0, l.indexOf(" *CL-")))).toEqual([
      "[2026-08-17 11:30] bot -> triage: ⏰ Still unclaimed after 4 working hours:",
      "[2026-08-19 14:30] bot -> dm:lee: ⚠️ Nobody has claimed this after 24 working hours:",
    ]);
    expect(lines[1]).toContain("[Claim: /claim CL-0001]");
  });

  it("tells the admins, with no button, when there is no triage lead", async () => {
    const t = bots();
    await staffClinic(t);
    await t.say("alice", ASK, "general");
    t.take();
    await t.advance(7 * DAY);
    const toAdmin = t.take().filter((l) => l.includes("-> dm:admin"));
    expect(toAdmin).toHaveLength(1);
    expect(toAdmin[0]).toContain("There is no triage lead; give it to a triager with /reassign CL-0001 @triager.");
    expect(toAdmin[0]).not.toContain("[Claim");
  });

  it("keeps a pending escalation across a restart and sends it once", async () => {
    let t = bots();
    await staffClinic(t);
    await t.say("alice", ASK, "general");
    await t.close({ keep: true });
    t = bots({ dir: t.dir });
    await t.advance(5 * HOUR);
    expect(t.take().filter((l) => l.includes("Still unclaimed"))).toHaveLength(1);
  });
});

describe("where cards go", () => {
  it("sends them to each triager directly when no triage room is configured, and removes every button on a claim", async () => {
    const t = bots({ config: { clinic: {} } });
    await staffClinic(t);
    await t.say("alice", ASK, "general");
    const cards = t.take().filter((l) => l.includes("New enquiry"));
    expect(cards.map((l) => /-> (dm:\w+)/.exec(l)![1])).toEqual(["dm:tara", "dm:uma"]);
    await t.say("uma", "claim CL-0001", "dm:uma");
    expect(t.take().filter((l) => l.includes("(edited)")).map((l) => /-> (dm:\w+)/.exec(l)![1])).toEqual(["dm:tara", "dm:uma"]);
  });

  it("tells the admins when there is neither a triage room nor a triager", async () => {
    const t = bots({ config: { clinic: {} } });
    await t.say("alice", ASK, "general");
    expect(t.take().filter((l) => l.includes("-> dm:admin"))).toEqual([
      "[2026-08-17 09:00] bot -> dm:admin: A clinic enquiry is waiting, but there is no triage room and nobody holds the triager role. /role grant @someone triager names one.",
    ]);
  });

  it("refuses to start with a triage room that isn't private", () => {
    expect(() => new TestBot({ config: { clinic: { triageRoom: "console:general" } } })).toThrow(/clinic.triageRoom: console:general is not a private room/);
  });

  it("refuses business hours that end before they start", () => {
    expect(() => new TestBot({ config: { clinic: { businessHours: { start: "17:00", end: "09:00" } } } })).toThrow(/clinic.businessHours: end must be after start/);
  });
});
