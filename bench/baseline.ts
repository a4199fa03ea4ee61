// The baseline: the same SQLite work a "log an action" command does, written
// with raw better-sqlite3 prepared statements in one transaction per command
// (read member by platform id, read group, insert action, update counter).
import Database from "better-sqlite3";
import { join } from "node:path";
import { Checkpointer } from "../db/checkpointer.ts";
import { openDatabase } from "../db/connection.ts";
import { rounds, timeOps, type Timing } from "./stats.ts";

export async function rawBaseline(dir: string, n: number, roundCount: number): Promise<Timing> {
  const db = new Database(join(dir, "baseline.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.pragma("foreign_keys = ON");
  db.exec(`
    create table members (id integer primary key, platform text not null, platform_id text not null, name text not null, unique (platform, platform_id));
    create table groups (id integer primary key, slug text not null unique);
    create table actions (id integer primary key, member_id integer not null references members(id), group_id integer references groups(id), text text not null, created_at integer not null);
    create table counters (member_id integer primary key, n integer not null);
  `);
  for (let i = 0; i < 50; i++) db.prepare("insert into members (platform, platform_id, name) values ('console', ?, ?)").run(`m${i}`, `m${i}`);
  db.prepare("insert into groups (slug) values ('comms')").run();
  const member = db.prepare("select id from members where platform = ? and platform_id = ?");
  const group = db.prepare("select id from groups where slug = ?");
  const insert = db.prepare("insert into actions (member_id, group_id, text, created_at) values (?, ?, ?, ?)");
  const counter = db.prepare("insert into counters (member_id, n) values (?, 1) on conflict (member_id) do update set n = n + 1");
  const command = db.transaction((i: number) => {
    const m = member.get("console", `m${i % 50}`) as { id: number };
    const g = group.get("comms") as { id: number };
    insert.run(m.id, g.id, `shared campaign material ${i}`, i);
    counter.run(m.id);
  });
  let i = 0;
  const result = await rounds(roundCount, () => timeOps(n, () => command(i++)));
  db.close();
  return result;
}

/**
 * A second baseline, for what it's worth knowing: raw prepared statements
 * writing the same rows coopbot's `log` writes (inbound record, action,
 * trail entry, nudge job, reply and driver card in the outbox) in one
 * transaction, then recording the two messages sent in a second one. The
 * gap between this and coopbot is the framework; the gap between this and
 * the first baseline is the durability model.
 */
export async function rawSameRows(dir: string, n: number, roundCount: number): Promise<Timing> {
  const db = new Database(join(dir, "baseline-same-rows.sqlite"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(`
    create table inbound (platform text, event_id text, at int, member int, command text, outcome text, primary key (platform, event_id));
    create table members (id integer primary key, platform text not null, platform_id text not null, unique (platform, platform_id));
    create table groups (id integer primary key, slug text not null unique);
    create table actions (id integer primary key, member_id int, logged_by int, job_id int, note text, group_id int, hours real, done_at int, state text, source text, created_at int);
    create unique index actions_source on actions (source, member_id, job_id) where source is not null;
    create index actions_state on actions (state, group_id);
    create index actions_member on actions (member_id, done_at);
    create table trail (id integer primary key, action_id int, what text, by int, at int);
    create index trail_action on trail (action_id);
    create table jobs (id integer primary key, kind text, key text unique, due_at int, payload text, state text default 'pending', created_at int);
    create index jobs_due on jobs (due_at) where state = 'pending';
    create table outbox (id integer primary key, kind text, platform text, channel text, target text, message text, state text default 'pending', created_at int, sent_at int, platform_ref text);
    create index outbox_channel on outbox (channel, id) where state = 'pending';
  `);
  for (let i = 0; i < 50; i++) db.prepare("insert into members (platform, platform_id) values ('console', ?)").run(`m${i}`);
  db.prepare("insert into groups (slug) values ('comms')").run();
  const s = {
    inbound: db.prepare("insert into inbound values (?, ?, ?, ?, 'log', 'ok')"),
    member: db.prepare("select id from members where platform = ? and platform_id = ?"),
    group: db.prepare("select id from groups where slug = ?"),
    action: db.prepare("insert into actions (member_id, logged_by, note, group_id, hours, done_at, state, created_at) values (?, ?, ?, ?, 1, ?, 'pending', ?)"),
    trail: db.prepare("insert into trail (action_id, what, by, at) values (?, 'logged', ?, ?)"),
    job: db.prepare("insert into jobs (kind, key, due_at, payload, created_at) values ('actions.nudge', ?, ?, '{}', ?)"),
    outbox: db.prepare("insert into outbox (kind, platform, channel, target, message, created_at) values ('post', 'console', ?, '{}', ?, ?)"),
    sent: db.prepare("update outbox set state = 'sent', sent_at = ?, platform_ref = ? where id = ? and state = 'pending'"),
  };
  const command = db.transaction((i: number) => {
    s.inbound.run("console", `e${i}`, i, i % 50);
    const m = s.member.get("console", `m${i % 50}`) as { id: number };
    const g = s.group.get("comms") as { id: number };
    const action = s.action.run(m.id, m.id, `shared campaign material ${i}`, g.id, i, i).lastInsertRowid;
    s.trail.run(action, m.id, i);
    s.job.run(`action:${action}:nudge`, i + 7, i);
    const reply = s.outbox.run("console:room:comms", `{"text":"Logged A-${action}"}`, i).lastInsertRowid;
    const card = s.outbox.run("console:dm:m0", `{"text":"verify A-${action}"}`, i).lastInsertRowid;
    return [reply, card];
  });
  const markSent = db.transaction((ids: (number | bigint)[], i: number) => ids.forEach((id) => s.sent.run(i, `ref-${id}`, id)));
  let i = 0;
  const result = await rounds(roundCount, () =>
    timeOps(n, () => {
      const ids = command(i);
      markSent(ids, i++);
    }),
  );
  db.close();
  return result;
}

/**
 * The fair baseline: exactly the durable work a writing command must do, on
 * coopbot's own schema and pragmas, with raw prepared statements and the
 * bot's own checkpoint policy (a worker thread): record the event (dedupe),
 * read the member, write the action, queue the reply, in one transaction;
 * then record the reply sent. Nothing a framework adds.
 */
export async function fairBaseline(dir: string, n: number, roundCount: number): Promise<Timing> {
  const db = openDatabase(join(dir, "fair-baseline.sqlite"));
  const checkpointer = new Checkpointer(db, () => undefined);
  checkpointer.start();
  const sqlite = db.$client;
  const now = Date.UTC(2026, 7, 17, 9);
  const seed = sqlite.transaction(() => {
    for (let i = 0; i < 50; i++) {
      const id = Number(sqlite.prepare("insert into members (display_name, created_at) values (?, ?)").run(`m${i}`, now).lastInsertRowid);
      sqlite.prepare("insert into identities (platform, platform_id, member_id, display_name, created_at) values ('console', ?, ?, ?, ?)").run(`m${i}`, id, `m${i}`, now);
    }
  });
  seed();
  const s = {
    inbound: sqlite.prepare("insert into inbound_events (platform, event_id, received_at, member_id, command, outcome) values ('console', ?, ?, ?, 'log', 'ok') on conflict do nothing"),
    member: sqlite.prepare("select member_id from identities where platform = 'console' and platform_id = ?"),
    action: sqlite.prepare("insert into actions (member_id, logged_by, note, hours, done_at, state, created_at) values (?, ?, ?, 1, ?, 'pending', ?)"),
    outbox: sqlite.prepare(
      "insert into outbox (kind, platform, channel, target, message, next_attempt_at, created_at) values ('post', 'console', 'console:room:comms', '{\"kind\":\"room\",\"platform\":\"console\",\"roomId\":\"comms\"}', ?, ?, ?) returning id",
    ),
    sent: sqlite.prepare("update outbox set state = 'sent', sent_at = ?, platform_ref = ? where id = ? and state = 'pending'"),
  };
  const command = sqlite.transaction((i: number) => {
    const member = (s.member.get(`m${i % 50}`) as { member_id: number }).member_id;
    s.inbound.run(`fair-${i}`, now, member);
    const action = Number(s.action.run(member, member, `posted the leaflet round ${i}`, now, now).lastInsertRowid);
    return (s.outbox.get(`{"text":"Logged A-${action}"}`, now, now) as { id: number }).id;
  });
  const markSent = sqlite.transaction((id: number) => s.sent.run(now, `ref-${id}`, id));
  let i = 0;
  // IMMEDIATE, as the bot's own transactions are: the checkpointer thread may hold the WAL a moment.
  const result = await rounds(roundCount, () =>
    timeOps(n, () => {
      const id = command.immediate(i++);
      markSent.immediate(id);
    }),
  );
  await checkpointer.stop();
  sqlite.close();
  return result;
}
