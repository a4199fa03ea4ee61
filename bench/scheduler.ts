// 100k recurring meetings in Europe/London: the time to schedule them, the
// memory it takes, start-up with them in the database (nothing is expanded
// at start), and a simulated day of reminders on the virtual clock.
import Database from "better-sqlite3";
import { join } from "node:path";
import { DateTime } from "luxon";
import { Bot, TICK_BATCH } from "../bot/app.ts";
import { ManualClock } from "../bot/clock.ts";
import { buildConfig } from "../bot/config.ts";
import { BaseContext } from "../bot/context.ts";
import { silentLogger } from "../bot/log.ts";
import { capabilities } from "../commands/index.ts";
import { scheduleMeeting } from "../commands/meetings/index.ts";
import { inTransaction } from "../db/connection.ts";
import { listGroups } from "../db/groups.ts";
import { CountingAdapter } from "./counting-adapter.ts";
import { percentile } from "./stats.ts";

const ZONE = "Europe/London";
const GROUPS = 200;
const BATCH = 1000;
/** Sunday before the week the meetings start in: scheduling happens "now". */
const SCHEDULED_AT = DateTime.fromISO("2026-08-16T00:00", { zone: ZONE }).toMillis();
const DAY_START = DateTime.fromISO("2026-08-17T00:00", { zone: ZONE }).toMillis();
/** The simulation covers Sunday (the day-before reminders for Monday) and Monday. */
const SIM_HOURS = 48;
const RULES = ["FREQ=WEEKLY", "FREQ=WEEKLY;INTERVAL=2", "FREQ=MONTHLY;BYDAY=1TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=WEEKLY;BYDAY=MO,WE"];

function config() {
  const groups = Array.from({ length: GROUPS }, (_, i) => ({ slug: `g${i}`, name: `Group ${i}`, kind: i % 3 ? "working" : "network", rooms: [`console:room-${i}`] }));
  return buildConfig({ admins: ["console:admin"], timezone: ZONE, groups }, capabilities);
}

function openBot(db: string, clock: ManualClock): Bot {
  return new Bot({ config: config(), capabilities, clock, log: silentLogger, db, dispatcher: { sleep: async () => undefined } });
}

/** The i-th meeting: spread over the week's weekdays and working hours, a mix of rules. */
function meetingRow(i: number, groupIds: number[], createdBy: number) {
  const day = DateTime.fromMillis(DAY_START, { zone: ZONE }).plus({ days: i % 7 });
  const slot = (i >> 3) % 20; // 09:00 .. 18:30 in half hours
  const start = day.set({ hour: 9 + Math.floor(slot / 2), minute: (slot % 2) * 30 }).toFormat("yyyy-MM-dd'T'HH:mm");
  return { groupId: groupIds[i % groupIds.length]!, title: `Meeting ${i}`, kind: "meeting", start, zone: ZONE, rrule: RULES[i % RULES.length]!, durationMinutes: 60, location: null, remindMinutes: "1440,60", createdBy };
}

export interface SchedulerResult {
  count: number;
  scheduleMs: number;
  rawScheduleMs: number;
  rssMb: number;
  heapMb: number;
  startMs: number;
  emptyStartMs: number;
  jobsAtStart: number;
  jobsAfterStart: number;
  dayJobs: number;
  dayMessages: number;
  lateP50ms: number;
  lateP99ms: number;
  dayWallMs: number;
  busyWallMs: number;
  dbPath: string;
}

export async function schedulerBench(dir: string, count: number): Promise<SchedulerResult> {
  const dbPath = join(dir, `meetings-${count}.sqlite`);
  const clock = new ManualClock(SCHEDULED_AT);
  let bot = openBot(dbPath, clock);
  const groupIds = listGroups(bot.db).map((g) => g.id);
  const admin = bot.db.$client.prepare("select member_id as id from identities where platform = 'console' and platform_id = 'admin'").get() as { id: number };

  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  for (let from = 0; from < count; from += BATCH) {
    inTransaction(bot.db, () => {
      const ctx = new BaseContext(bot.services, "bench");
      for (let i = from; i < Math.min(count, from + BATCH); i++) scheduleMeeting(ctx, meetingRow(i, groupIds, admin.id));
    });
  }
  const scheduleMs = performance.now() - t0;
  const rssMb = Math.max(0, process.memoryUsage().rss - rssBefore) / 2 ** 20;
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  bot.close();

  const rawScheduleMs = rawSchedule(join(dir, `raw-meetings-${count}.sqlite`), count, groupIds);

  // Start-up: with `count` series in the database, and with none.
  const jobsAtStart = jobCount(dbPath);
  const s0 = performance.now();
  bot = openBot(dbPath, new ManualClock(SCHEDULED_AT));
  await bot.start({ schedulerIntervalMs: 3_600_000 });
  const startMs = performance.now() - s0;
  await bot.stop();
  bot.close();
  const jobsAfterStart = jobCount(dbPath);
  const e0 = performance.now();
  const empty = openBot(join(dir, `empty-${count}.sqlite`), new ManualClock(SCHEDULED_AT));
  await empty.start({ schedulerIntervalMs: 3_600_000 });
  const emptyStartMs = performance.now() - e0;
  await empty.stop();
  empty.close();

  const day = await simulateDay(dbPath);
  return { count, scheduleMs, rawScheduleMs, rssMb, heapMb, startMs, emptyStartMs, jobsAtStart, jobsAfterStart, ...day, dbPath };
}

/**
 * The baseline for scheduling: the least durable work per series, with raw
 * prepared statements: one meeting row and one job row, in batches.
 */
function rawSchedule(path: string, count: number, groupIds: number[]): number {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`create table meetings (id integer primary key, group_id int, title text, start text, zone text, rrule text, remind text);
           create table jobs (id integer primary key, key text unique, due_at int, payload text, state text default 'pending');
           create index jobs_due on jobs(due_at) where state = 'pending';`);
  const meeting = db.prepare("insert into meetings (group_id, title, start, zone, rrule, remind) values (?, ?, ?, ?, ?, ?)");
  const job = db.prepare("insert into jobs (key, due_at, payload) values (?, ?, ?)");
  const t0 = performance.now();
  for (let from = 0; from < count; from += BATCH) {
    db.transaction(() => {
      for (let i = from; i < Math.min(count, from + BATCH); i++) {
        const row = meetingRow(i, groupIds, 1);
        const id = meeting.run(row.groupId, row.title, row.start, row.zone, row.rrule, row.remindMinutes).lastInsertRowid;
        job.run(`meeting:${id}:plan`, SCHEDULED_AT + i, `{"meetingId":${id}}`);
      }
    })();
  }
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

function jobCount(path: string): number {
  const db = new Database(path, { readonly: true });
  const n = (db.prepare("select count(*) as n from jobs").get() as { n: number }).n;
  db.close();
  return n;
}

/**
 * Two days on the virtual clock, ticking each second as the live bot does:
 * due jobs run at the tick, messages go out. Lateness is how long after its
 * due time each job ran (virtual time), so a backlog shows up as lateness.
 */
async function simulateDay(dbPath: string): Promise<Pick<SchedulerResult, "dayJobs" | "dayMessages" | "lateP50ms" | "lateP99ms" | "dayWallMs" | "busyWallMs">> {
  const clock = new ManualClock(SCHEDULED_AT);
  const bot = openBot(dbPath, clock);
  const adapter = new CountingAdapter();
  bot.attach(adapter);
  const end = SCHEDULED_AT + SIM_HOURS * 3600_000;
  let wall = 0;
  let busy = 0;
  // The virtual clock moves by the wall time the work takes, as the real one
  // would: a batch that finds more due work runs again at once (as the live
  // bot does), later by the time the previous batch took; otherwise the next
  // tick is the next whole second.
  for (let t = SCHEDULED_AT; t < end; ) {
    clock.set(t);
    const w0 = performance.now();
    const ran = bot.scheduler.runDue(TICK_BATCH);
    if (ran > 0) await bot.dispatcher.drain();
    const spent = performance.now() - w0;
    wall += spent;
    if (ran > 0) busy += spent;
    t = ran >= TICK_BATCH ? t + Math.ceil(spent) : Math.floor((t + spent) / 1000) * 1000 + 1000;
  }
  await bot.stop();
  bot.close();
  const db = new Database(dbPath, { readonly: true });
  const late = (db.prepare("select finished_at - due_at as late from jobs where finished_at >= ? and finished_at < ? and state in ('done','skipped')").all(SCHEDULED_AT, end) as { late: number }[])
    .map((r) => r.late)
    .sort((a, b) => a - b);
  db.close();
  return { dayJobs: late.length, dayMessages: adapter.delivered, lateP50ms: percentile(late, 50), lateP99ms: percentile(late, 99), dayWallMs: wall, busyWallMs: busy };
}
