// The secret in a member's calendar link. The database keeps only its
// SHA-256 and a random nonce; the token itself is an HMAC of the nonce under
// a key kept in a file beside the database, never in it. So a copy of the
// database gives nobody a working feed, yet the bot can show a member the
// link it gave them before (the key and the nonce make the same token).
//
// If the key file is lost, links already given keep working (a request is
// checked against the stored hash alone); they just can't be shown again,
// and `meeting feed <group> --reset` makes new ones.
import { createHash, createHmac, randomBytes } from "node:crypto";
import { linkSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Db } from "../../db/connection.ts";
import { perDb } from "../../db/prepared.ts";

export const FEED_KEY_FILE = "calendar-feed.key";
const KEY_BYTES = 32;
/** 24 bytes of the HMAC: 192 bits nobody without the key can guess; 32 characters of base64url. */
const TOKEN_BYTES = 24;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Where the key of this database's feeds lives: beside the file, or nowhere for `:memory:`. */
export function feedKeyPath(db: Db): string | undefined {
  return db.$client.memory ? undefined : join(dirname(resolve(db.$client.name)), FEED_KEY_FILE);
}

function readKey(path: string): Buffer | undefined {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  const key = Buffer.from(text.trim(), "base64");
  if (key.length < KEY_BYTES) {
    throw new Error(`${path} is not a calendar feed key (${KEY_BYTES} bytes, base64): move it away and the bot makes a new one (links already given keep working but can't be shown again)`);
  }
  return key;
}

/**
 * The key in `path`, made on first use. It is written whole under another
 * name and then linked into place, which fails if the file exists: two bots
 * starting on one database at the same moment both end up reading the one
 * key that won, never half of one.
 */
function loadOrCreateKey(path: string): Buffer {
  const found = readKey(path);
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
  return readKey(path)!;
}

/** Once per connection; a throwaway `:memory:` database gets a throwaway key. */
const feedKey = perDb((db) => {
  const path = feedKeyPath(db);
  return path ? loadOrCreateKey(path) : randomBytes(KEY_BYTES);
});

/** A new link's nonce: what makes a reset's token differ from the one before. */
export const newNonce = (): string => randomBytes(16).toString("base64url");

/** The token a feed's nonce makes under this database's key. */
export function tokenFor(db: Db, nonce: string): string {
  return createHmac("sha256", feedKey(db)).update(`coopbot calendar feed\n${nonce}`).digest().subarray(0, TOKEN_BYTES).toString("base64url");
}

/** What the database keeps of a token. */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}
