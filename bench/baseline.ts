// The baseline: the same SQLite work a "log an action" command does, written
// with raw better-sqlite3 prepared statements in one transaction per command
// (read member by platform id, read group, insert action, update counter).
import Database from "better-sqlite3";
import { join } from "node:path";
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
