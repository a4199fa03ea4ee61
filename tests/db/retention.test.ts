// The daily pruning: what goes after `storage.retentionDays`, what stays
// (the young, the editable, anything pending, every audit table), what a
// redelivered event finds after its ledger row is gone, and the riskiest
// job key: a meeting reminder pruned before its meeting.
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { buildConfig } from "../../bot/config.ts";
import { createLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";
import { inboundActor } from "../../db/inbound.ts";
import { getJob } from "../../db/jobs.ts";
import { PRUNED_TABLES } from "../../db/retention.ts";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";
import { exampleConfig } from "../meetings/helpers.ts";

const DAY = 24 * 3600_000;
const london = (iso: string) => DateTime.fromISO(iso, { zone: "Europe/London" }).toMillis();
const CONFIG = {
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"] }],
  console: { rooms: { triage: "private" } },
  clinic: { triageRoom: "console:triage" },
};

let t: TestBot;
afterEach(async () => t?.close());

const all = <T>(sql: string, ...params: unknown[]) => t.db.$client.prepare(sql).all(...params) as T[];
const count = (sql: string, ...params: unknown[]) => (t.db.$client.prepare(sql).get(...params) as { n: number }).n;
const maxId = (table: string) => count(`select coalesce(max(rowid), 0) as n from ${table}`);

/** Every table the pruning must leave alone: audit trails, members, groups, the clinic, the inbox. */
const untouched = () => t.snapshot(["__drizzle_migrations", ...PRUNED_TABLES.map((p) => p.name)]);

interface OutboxLine {
  id: number;
  kind: string;
  state: string;
  msg_key: string | null;
  message: string;
}
const outboxUpTo = (id: number) => all<OutboxLine>("select id, kind, state, msg_key, message from outbox where id <= ? order by id", id);
const referable = (r: OutboxLine) => r.kind === "post" && (r.msg_key !== null || Array.isArray(JSON.parse(r.message).buttons));

/** A month of a small federation's traffic on day 0, and one more command on day 20. */
interface LastIds {
  outbox: number;
  inbound_events: number;
  jobs: number;
}
const lastIds = (): LastIds => ({ outbox: maxId("outbox"), inbound_events: maxId("inbound_events"), jobs: maxId("jobs") });

async function dayZeroAndTwenty(): Promise<{ day0: LastIds; day20: LastIds }> {
  await t.say("alice", "/join comms I do design"); // stays pending: its card keeps its buttons
  await t.say("bob", "/join comms");
  await t.say("sam", "/approve 2", "dm:sam");
  await t.say("carol", "/log ran the stall at the fair --group comms");
  await t.say("dave", "/thanks @carol for the stall #solidarity");
  await t.say("alice", "/remind me 1h put the kettle on");
  await t.say("alice", "/remind me 90d renew the domain");
  await t.say("alice", "/link matrix"); // a one-time code
  await t.say("bob", "/link confirm ABCD-EFGH"); // a wrong one
  await t.say("admin", "/role grant @tara triager");
  await t.say("erin", "/clinic ask how do we write a secondary rule?", "dm:erin");
  await t.say("tara", "/claim CL-0001", "triage");
  await t.say("tara", "/note CL-0001 called them back", "triage");
  await t.advance(2 * 3600_000); // the 1h reminder runs
  const day0 = lastIds();
  await t.advance(20 * DAY - 2 * 3600_000);
  await t.say("frank", "/whoami");
  const day20 = lastIds();
  return { day0, day20 };
}

describe("the daily pruning", () => {
  it("deletes old delivered messages, ledger rows, finished jobs and codes, and keeps the young, the editable, the pending and every audit table", async () => {
    t = new TestBot({ config: CONFIG });
    const { day0, day20 } = await dayZeroAndTwenty();
    const oldReferable = outboxUpTo(day0.outbox).filter(referable).map((r) => r.id);
    expect(oldReferable.length).toBeGreaterThanOrEqual(3); // join request cards, the action's notice
    const young = { outbox: count("select count(*) as n from outbox where id > ?", day0.outbox), inbound: count("select count(*) as n from inbound_events where rowid > ?", day0.inbound_events) };
    await t.advance(9 * DAY); // day 29: nothing is 30 days old yet
    expect(count("select count(*) as n from outbox where id <= ?", day0.outbox)).toBe(day0.outbox);
    const before = untouched();

    await t.advance(2 * DAY); // day 31: the run at 03:30 prunes day 0
    // Outbox: of day 0, only the posts something may still edit or press are left.
    expect(outboxUpTo(day0.outbox).map((r) => r.id)).toEqual(oldReferable);
    expect(count("select count(*) as n from outbox where id > ? and id <= ?", day0.outbox, day20.outbox)).toBe(young.outbox);
    // The dedupe ledger: day 0 gone, day 20 kept (and still answers who caused what).
    expect(count("select count(*) as n from inbound_events where rowid <= ?", day0.inbound_events)).toBe(0);
    expect(count("select count(*) as n from inbound_events where rowid > ?", day0.inbound_events)).toBeGreaterThanOrEqual(young.inbound);
    const recent = all<{ platform: string; event_id: string; member_id: number }>("select platform, event_id, member_id from inbound_events order by rowid desc limit 1")[0]!;
    expect(inboundActor(t.db, `${recent.platform}:${recent.event_id}`)).toBe(recent.member_id);
    // Jobs: the reminder that ran on day 0 is gone; the one due on day 90 waits.
    const jobs = all<{ key: string; state: string }>("select key, state from jobs where id <= ?", day0.jobs);
    expect(jobs.filter((j) => j.key.startsWith("remind:") && j.state !== "pending")).toEqual([]);
    expect(jobs.filter((j) => j.key.startsWith("remind:") && j.state === "pending")).toHaveLength(1);
    const cutoff = london("2026-09-17T03:30") - 30 * DAY;
    expect(count("select count(*) as n from jobs where state != 'pending' and finished_at < ? and due_at < ?", cutoff, cutoff)).toBe(0);
    expect(count("select count(*) as n from jobs where state = 'pending' and key like 'core.prune:%'")).toBe(1);
    // Codes and failed guesses, long expired.
    expect(count("select count(*) as n from link_codes")).toBe(0);
    expect(count("select count(*) as n from link_failures")).toBe(0);
    // Everything else, untouched.
    expect(untouched()).toEqual(before);

    await t.advance(151 * DAY); // day 182: past editableMessageDays
    const keysLeft = outboxUpTo(day0.outbox).map((r) => r.msg_key);
    // alice's request is still pending (deciding it edits its card), erin's enquiry isn't erased, and it is
    // still open: its card in the triage room is the root its conversation's thread hangs from.
    expect(new Set(keysLeft)).toEqual(new Set(["join-request:1", "clinic:text:1", "clinic:card:1:0"]));
  });

  it("logs one line per run with what it deleted, never any text", async () => {
    const lines: Record<string, unknown>[] = [];
    const log = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(JSON.parse(line)) } });
    t = new TestBot({ config: CONFIG, log });
    await dayZeroAndTwenty();
    lines.length = 0;
    await t.advance(11 * DAY);
    const runs = lines.filter((l) => l.msg === "pruned old rows");
    expect(runs).toHaveLength(11);
    const last = runs.at(-1) as { deleted: Record<string, number> };
    expect(Object.keys(last.deleted).sort()).toEqual(PRUNED_TABLES.map((p) => p.name).sort());
    expect(last.deleted.inbound_events).toBeGreaterThan(10);
    expect(JSON.stringify(runs)).not.toMatch(/kettle|stall|secondary rule/);
  });

  it("works in batches, one short transaction each, resuming after a restart", async () => {
    const config = { ...CONFIG, storage: { retentionDays: 2 }, limits: MANY_AT_ONCE };
    t = new TestBot({ config });
    // 1,200 ledger rows: three batches. (A command that writes: a read-only one leaves no row.)
    for (let i = 0; i < 1200; i++) await t.say(`m${i % 10}`, "/profile set interests tea");
    // The run of 20 Aug is the first to find them 2 days old. Its first batch runs; then the bot stops.
    const dueAt = london("2026-08-20T03:30");
    await t.advance(dueAt - 60_000 - t.clock.now());
    t.clock.set(dueAt);
    expect(t.bot.scheduler.runOne(getJob(t.db, "core.prune:2026-08-20")!)).toBe(true);
    // The outbox comes first: one batch of its 1,200 replies went, the rest wait.
    const afterOne = count("select count(*) as n from outbox");
    expect(afterOne).toBeLessThan(1200);
    expect(afterOne).toBeGreaterThan(0);
    expect(count("select count(*) as n from inbound_events")).toBe(1200);
    const dir = t.dir;
    await t.close({ keep: true });
    t = new TestBot({ config, dir, start: "2026-08-20T03:31" });
    await t.advance(DAY / 2);
    expect(count("select count(*) as n from inbound_events where received_at < ?", dueAt - 2 * DAY)).toBe(0);
    expect(count("select count(*) as n from outbox where created_at < ?", dueAt - 2 * DAY)).toBe(0);
    const batches = all<{ key: string; state: string }>("select key, state from jobs where key like 'core.prune:2026-08-20%' order by id");
    // One job per batch, each key once, all done: nothing ran twice, nothing was left.
    expect(new Set(batches.map((b) => b.key)).size).toBe(batches.length);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    expect(batches.every((b) => b.state === "done")).toBe(true);
  });
});

describe("a redelivered event after its ledger row is pruned", () => {
  // The ledger remembers an event for retentionDays (at least 2): far past
  // every platform's redelivery (Slack retries within the hour; the Matrix
  // adapter drops events older than its 24 h catch-up before the core sees
  // them). An event older than that is new to the bot: it can't tell, as
  // events carry no time the core trusts.
  it("is a duplicate within the retention age, and a new event after it", async () => {
    t = new TestBot({ config: CONFIG });
    const event = t.event("alice", "/profile set interests tea");
    expect(t.bot.receive(event).outcome).toBe("ok");
    await t.advance(29 * DAY);
    expect(t.bot.receive(event).outcome).toBe("duplicate");
    await t.advance(2 * DAY);
    expect(inboundActor(t.db, `console:${event.eventId}`)).toBeUndefined();
    expect(t.bot.receive(event).outcome).toBe("ok");
  });

  it("cannot be configured shorter than the platforms' redelivery windows", () => {
    expect(() => buildConfig({ storage: { retentionDays: 1 } }, capabilities)).toThrow(/storage\.retentionDays/);
    expect(() => buildConfig({ storage: { retentionDays: 60, editableMessageDays: 30 } }, capabilities)).toThrow(/storage\.editableMessageDays: must be at least retentionDays/);
  });
});

describe("meeting reminders whose jobs are pruned before the meeting", () => {
  // The riskiest job keys: reminders are planned again whenever a meeting
  // changes or a late plan job runs. A 3-day reminder with a 2-day retention
  // is pruned before its meeting; nothing may plan it again.
  it("are each sent once, through a change and a restart after the pruning", async () => {
    const config = exampleConfig({ storage: { retentionDays: 2, editableMessageDays: 2 }, meetings: { remind: ["3d", "1h"] } });
    t = new TestBot({ config });
    await t.say("robin", '/meeting schedule business-planning "Check-in" weekly on monday at 11:00', "business-planning");
    await t.say("robin", "/confirm", "business-planning");
    await t.advance(london("2026-08-24T08:00") - t.clock.now());
    // The 3-day reminder of 24 Aug ran on the 21st and its job is gone.
    expect(getJob(t.db, "meeting:1:2026-08-24T11:00:v0:remind:3d")).toBeUndefined();
    await t.say("robin", "/meeting edit 1 --where https://meet.example.org/bp", "business-planning");
    const sent = t.texts();
    const dir = t.dir;
    await t.close({ keep: true });
    t = new TestBot({ config, dir, start: "2026-08-24T08:30" });
    await t.advance(4 * 7 * DAY);
    const reminders = [...sent, ...t.texts()].filter((text) => text.startsWith("⏰"));
    expect(reminders.length).toBeGreaterThanOrEqual(8);
    expect(reminders.length).toBe(new Set(reminders).size);
    // 24 Aug: the 3-day reminder before the pruning, the 1-hour one after the change and the restart.
    expect(reminders.filter((r) => r.includes("24 Aug")).map((r) => /in (1 hour|3 days)/.exec(r)?.[1])).toEqual(["3 days", "1 hour"]);
  });
});
