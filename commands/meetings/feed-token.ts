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
import type { Db } from "../../db/connection.ts";
import { keyPath, secretKey } from "../../db/secret-key.ts";

export const FEED_KEY_FILE = "calendar-feed.key";
/** 24 bytes of the HMAC: 192 bits nobody without the key can guess; 32 characters of base64url. */
const TOKEN_BYTES = 24;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{32}$/;

/** Where the key of this database's feeds lives: beside the file, or nowhere for `:memory:`. */
export function feedKeyPath(db: Db): string | undefined {
  return keyPath(db, FEED_KEY_FILE);
}

/** Once per connection (db/secret-key.ts); a throwaway `:memory:` database gets a throwaway key. */
const feedKey = (db: Db): Buffer => secretKey(db, FEED_KEY_FILE, "calendar feed");

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
