// Secret keys kept in a file beside the database, never in it: a copy of
// the database alone then opens nothing (a calendar feed, a clinic reply
// page), yet the bot can make the same link again from what it stored.
import { randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";

export const KEY_BYTES = 32;

/** Where a key named `file` lives for this database: beside the file, or nowhere for `:memory:`. */
export function keyPathBeside(db: Db, file: string): string | undefined {
  return db.$client.memory ? undefined : join(dirname(resolve(db.$client.name)), file);
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
  if (key.length < KEY_BYTES) {
    throw new Error(`${path} is not a ${what} key (${KEY_BYTES} bytes, base64): move it away and the bot makes a new one (links already given keep working but can't be shown again)`);
  }
  return key;
}

/**
 * The key in `path`, made on first use. It is written whole under another
 * name and then linked into place, which fails if the file exists: two bots
 * starting on one database at the same moment both end up reading the one
 * key that won, never half of one.
 */
function loadOrCreateKey(path: string, what: string): Buffer {
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

/** The key named `file` of each database, read once per connection; a throwaway `:memory:` database gets a throwaway key. */
export function keyBeside(file: string, what: string): (db: Db) => Buffer {
  return perDb((db) => {
    const path = keyPathBeside(db, file);
    return path ? loadOrCreateKey(path, what) : randomBytes(KEY_BYTES);
  });
}
