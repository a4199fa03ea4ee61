// Secret keys kept in files beside the database, never in it: what signs
// or derives the secrets in links the bot hands out (calendar feeds, the
// dashboard), so a copy of the database alone opens none of them. Each key
// is made on first use, readable only by the bot's user; a throwaway
// `:memory:` database gets a throwaway key.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Db } from "./connection.ts";

export const KEY_BYTES = 32;

/** Where a key of this database lives: beside the file, or nowhere for `:memory:`. */
export function keyPath(db: Db, fileName: string): string | undefined {
  return db.$client.memory ? undefined : join(dirname(resolve(db.$client.name)), fileName);
}

function readKey(path: string, what: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length < KEY_BYTES) throw new Error(`${path} is not a ${what} key (${KEY_BYTES} bytes, base64): move it away and the bot makes a new one`);
  return key;
}

/**
 * The key in `path`, made on first use. It is written whole under another
 * name and then linked into place, which fails if the file exists: two bots
 * starting on one database at the same moment both end up reading the one
 * key that won, never half of one.
 */
export function loadOrCreateKey(path: string, what: string): Buffer {
  const found = readKey(path, what);
  if (found) return found;
  const scratch = `${path}.${process.pid}.${randomBytes(6).toString("hex")}`;
  writeFileSync(scratch, `${randomBytes(KEY_BYTES).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
  try {
    linkSync(scratch, path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
  } finally {
    unlinkSync(scratch);
  }
  return readKey(path, what)!;
}

const cache = new WeakMap<Db, Map<string, Buffer>>();

/** This database's key in `fileName`, loaded once per connection. */
export function secretKey(db: Db, fileName: string, what: string): Buffer {
  let keys = cache.get(db);
  if (!keys) cache.set(db, (keys = new Map()));
  let key = keys.get(fileName);
  if (!key) {
    const path = keyPath(db, fileName);
    keys.set(fileName, (key = path ? loadOrCreateKey(path, what) : randomBytes(KEY_BYTES)));
  }
  return key;
}
