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
