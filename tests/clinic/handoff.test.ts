import { beforeEach, describe, expect, it } from "vitest";
import { defineCapability } from "../../bot/capability.ts";
import { BaseContext } from "../../bot/context.ts";
import type { DomainEvents } from "../../bot/domain.ts";
import { capabilities } from "../../commands/index.ts";
import { getJob, jobsLike } from "../../db/jobs.ts";
import type { TestBot } from "../helpers/bot.ts";
import { DAY, HOUR, staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();

// Stands in for the actions capability: it only listens.
let resolved: DomainEvents["clinic.handoff-resolved"][] = [];
const listener = defineCapability({ name: "listener", on: { "clinic.handoff-resolved": (_ctx, payload) => void resolved.push(payload) } });
beforeEach(() => {
  resolved = [];
});

const ADVISERS = ["bea --specialisms finance,legal --region scotland --capacity 2", "cat --specialisms finance --capacity 1", "dan --specialisms legal --region wales"];

/** alice's enquiry (CL-0001 unless said), consented, claimed by tara, triaged finance/scotland. */
async function triaged(t: TestBot, ref = "CL-0001"): Promise<void> {
  await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
  await t.say("alice", `consent ${ref}`, "dm:alice");
  t.clock.advance(30 * 60_000);
  await t.say("tara", `/claim ${ref}`, "triage");
  await t.say("tara", `/triage ${ref} --category finance --region scotland`, "triage");
}

const count = (t: TestBot, table: string) => (t.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe("suggesting advisers", () => {
  it("lists those with the specialism, the region (or anywhere) and room, least busy first, and not those away", async () => {
    const t = bots();
    await staffClinic(t, { advisers: [...ADVISERS, "eve --specialisms finance --region scotland --capacity 4"] });
    await t.say("eve", "adviser away until 2026-08-20", "dm:eve");
    await t.say("bob", "clinic ask we need help with our accounts", "dm:bob");
    await t.say("bob", "consent CL-0001", "dm:bob");
    await t.say("uma", "/claim CL-0001", "triage");
    await t.say("uma", "/triage CL-0001 --category finance", "triage");
    await t.say("uma", "/handoff CL-0001 @cat", "triage");
    await triaged(t, "CL-0002");
    t.take();
    // cat is full (1 of 1), eve is away, dan does legal in Wales; bea has room.
    await t.say("tara", "/suggest CL-0002", "triage");
    const [text] = t.take();
    expect(text).toContain("*Advisers for CL-0002* (finance, scotland), least busy first:\n  1. @bea — finance, legal · scotland · 0/2 open\n  /handoff");
    // Back from holiday, eve (as idle as bea, with more room) comes first.
    await t.advance(4 * DAY);
    await t.say("tara", "/suggest CL-0002", "triage");
    const [later] = t.take().filter((l) => l.includes("Advisers for"));
    expect(later).toContain("1. @eve — finance · scotland · 0/4 open\n  2. @bea — finance, legal · scotland · 0/2 open\n");
  });

  it("ranks the least loaded first", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ["bea --specialisms finance --capacity 3", "cat --specialisms finance --capacity 3"] });
    await t.say("bob", "clinic ask another finance question about loans", "dm:bob");
    await t.say("bob", "consent CL-0001", "dm:bob");
    await t.say("uma", "/claim CL-0001", "triage");
    await t.say("uma", "/triage CL-0001 --category finance", "triage");
    await t.say("uma", "/handoff CL-0001 @bea", "triage");
    await triaged(t, "CL-0002");
    const [text] = t.take().filter((l) => l.includes("Advisers for CL-0002"));
    expect(text).toMatch(/1\. @cat — finance · anywhere · 0\/3 open\n.*2\. @bea — finance · anywhere · 1\/3 open/);
  });
});

describe("handing off", () => {
  it("refuses without the enquirer's consent, and changes nothing", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ADVISERS });
    await t.say("alice", "clinic ask we need help with a cash-flow forecast for the bank", "dm:alice");
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    t.take();
    const before = t.snapshot();
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    expect(t.texts()).toEqual(["@alice hasn't agreed to share CL-0001 with an adviser yet. I asked when they wrote in; they can agree with /consent CL-0001, or ask them with /reply CL-0001 <message>."]);
    expect(t.snapshot()).toEqual(before);
  });

  it("records one transaction however often Accept is clicked, and the enquiry is the adviser's", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ADVISERS });
    await triaged(t);
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    t.clock.advance(HOUR);
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    expect(count(t, "clinic_transactions")).toBe(1);
    const row = t.db.$client.prepare("select * from clinic_transactions").get() as Record<string, unknown>;
    expect(row).toMatchObject({ enquiry_id: 1, category: "finance", started_at: t.clock.now(), resolved_at: null });
    expect(t.texts().at(-1)).toBe("You already accepted CL-0001.");
    await t.say("alice", "enquiry CL-0001", "dm:alice");
    expect(t.texts()[0]).toContain("with adviser @bea (triager @tara)");
  });

  it("on a decline, returns it to the claimer with the next suggestion and never suggests the same adviser again", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ADVISERS });
    await triaged(t);
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    t.take();
    await t.say("bea", "handoff decline CL-0001 conflict of interest: I audit their bank", "dm:bea");
    const lines = t.take();
    expect(lines.find((l) => l.includes("-> dm:tara"))).toBe(
      "[2026-08-17 09:30] bot -> dm:tara: ❌ @bea declined *CL-0001*: conflict of interest: I audit their bank\n  Next suggestions:\n  1. @cat — finance · anywhere · 0/1 open\n  /handoff CL-0001 @adviser <note> offers it.\n  [Hand off to cat: /handoff CL-0001 @cat]",
    );
    expect(lines.find((l) => l.includes("-> dm:bea (edited)"))).toContain("❌ You declined *CL-0001*");
  });
});

describe("resolving", () => {
  it("emits clinic.handoff-resolved once, closes the transaction and stops the check-ins", async () => {
    const t = bots({ capabilities: [...capabilities, listener] });
    await staffClinic(t, { advisers: ADVISERS });
    await triaged(t);
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    await t.advance(2 * DAY);
    await t.say("bea", "resolve CL-0001 forecast done; the bank agreed the overdraft", "dm:bea");
    await t.say("bea", "resolve CL-0001 again", "dm:bea");
    const ids = t.db.$client.prepare("select id, display_name as name from members").all() as { id: number; name: string }[];
    const id = (name: string) => ids.find((m) => m.name === name)!.id;
    expect(resolved).toEqual([{ adviserId: id("bea"), triagerId: id("tara"), enquiryRef: "CL-0001", category: "finance" }]);
    expect(t.db.$client.prepare("select resolved_at as at from clinic_transactions").get()).toEqual({ at: t.clock.now() });
    expect(jobsLike(t.db, "clinic:checkin:").map((j) => j.state)).toEqual(["cancelled"]);
    t.take();
    await t.advance(30 * DAY);
    expect(t.take()).toEqual([]);
  });

  it("emits nothing when a triager closes an enquiry that never reached an adviser", async () => {
    const t = bots({ capabilities: [...capabilities, listener] });
    await staffClinic(t);
    await t.say("alice", "clinic ask is there a model rule for probation periods?", "dm:alice");
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/resolve CL-0001 pointed them to the model rules", "triage");
    expect(resolved).toEqual([]);
    expect(t.take().find((l) => l.includes("-> dm:alice: Your Co-op Clinic enquiry *CL-0001* is now closed"))).toBeDefined();
  });

  it("checks in after 7 days of the adviser's silence, counted from their last note", async () => {
    const t = bots();
    await staffClinic(t, { advisers: ADVISERS });
    await triaged(t);
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    const accepted = t.clock.now();
    await t.advance(5 * DAY);
    await t.say("bea", "note CL-0001 first meeting held", "dm:bea");
    t.take();
    await t.advance(5 * DAY);
    expect(t.take()).toEqual([]);
    await t.advance(2 * DAY + HOUR);
    const checkIns = t.take().filter((l) => l.includes("How is *CL-0001* going?"));
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]).toMatch(/^\[2026-08-29 09:30\] bot -> dm:bea:/);
    expect(getJob(t.db, `clinic:checkin:1:${accepted + 7 * DAY}`)?.state).toBe("skipped");
  });
});

describe("the clinic's figures", () => {
  it("counts triagers, advisers, transactions in a range and website enquiries", async () => {
    const t = bots();
    await staffClinic(t, { triagers: ["tara", "uma"], leads: ["tara", "lee"], advisers: ADVISERS });
    await triaged(t);
    await t.say("tara", "/handoff CL-0001 @bea", "triage");
    await t.say("bea", "handoff accept CL-0001", "dm:bea");
    await t.say("admin", "/adviser retire @dan", "triage");
    const ctx = new BaseContext(t.bot.services, "test");
    const figure = (key: string, range: { from?: number; to: number }) => t.bot.services.metrics.find((m) => m.key === key)!.compute(ctx, range);
    const now = t.clock.now();
    expect(figure("clinic.triagers", { to: now })).toBe(3);
    expect(figure("clinic.advisers", { to: now })).toBe(2);
    expect(figure("clinic.advisers", { to: now - 1 })).toBe(3);
    expect(figure("clinic.transactions", { to: now })).toBe(1);
    expect(figure("clinic.transactions", { from: now + 1, to: now + DAY })).toBe(0);
    expect(figure("clinic.website-enquiries", { to: now })).toBe(0);
  });
});
