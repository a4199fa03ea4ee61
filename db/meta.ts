// Facts about this database file (the `meta` table).
import type { Db } from "./connection.ts";

const instances = new WeakMap<Db, string>();

/**
 * This database's instance id: random, made once when the file is first
 * opened, kept for its life (a backup restored elsewhere keeps it too).
 * Outbound messages carry it so the bot can recognise its own posts.
 */
export function instanceId(db: Db): string {
  let id = instances.get(db);
  if (!id) {
    const sqlite = db.$client;
    sqlite.prepare("insert into meta (key, value) values ('instance', lower(hex(randomblob(8)))) on conflict(key) do nothing").run();
    id = (sqlite.prepare("select value from meta where key = 'instance'").get() as { value: string }).value;
    instances.set(db, id);
  }
  return id;
}

export interface DispatcherRecord {
  owner: string;
  pid: number;
  host: string;
  startedAt: number;
}

/** Notes a running dispatcher (its lease owner id) and its process, so others can tell whether it is alive. */
export function registerDispatcher(db: Db, owner: string, info: Omit<DispatcherRecord, "owner">): void {
  db.$client.prepare("insert or replace into meta (key, value) values (?, ?)").run(`dispatcher:${owner}`, JSON.stringify(info));
}

export function forgetDispatcher(db: Db, owner: string): void {
  db.$client.prepare("delete from meta where key = ?").run(`dispatcher:${owner}`);
}

/** Every other dispatcher that said it was running and has not said it stopped. */
export function otherDispatchers(db: Db, self: string): DispatcherRecord[] {
  const rows = db.$client.prepare("select key, value from meta where key like 'dispatcher:%' and key != ?").all(`dispatcher:${self}`) as { key: string; value: string }[];
  return rows.map((r) => ({ owner: r.key.slice("dispatcher:".length), ...(JSON.parse(r.value) as Omit<DispatcherRecord, "owner">) }));
}
