// The private link in each email to a website enquirer: it opens their
// enquiry's reply page (bot/http.ts serves it) until it expires. The token
// names the enquiry and the expiry and is signed with an HMAC under a key
// kept beside the database (db/secret-key.ts), never in it: nothing is stored
// per link, a copy of the database opens no page, and a link changed by
// even one character (another enquiry's number, a later expiry) is refused.
//
//   <enquiry id, base 36>.<expiry in unix seconds, base 36>.<32 characters of base64url HMAC>
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Config } from "../../bot/config.ts";
import type { Db } from "../../db/connection.ts";
import { secretKey } from "../../db/secret-key.ts";

export const REPLY_KEY_FILE = "clinic-reply.key";
export const REPLY_PATH = "/clinic/reply";
const replyKey = (db: Db): Buffer => secretKey(db, REPLY_KEY_FILE, "clinic reply page");
/** 24 bytes of the HMAC: 192 bits nobody without the key can guess. */
const MAC_BYTES = 24;
const TOKEN = /^([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{32})$/;

export interface ReplyLink {
  enquiryId: number;
  /** Milliseconds, a whole second. */
  expiresAt: number;
}

function mac(db: Db, enquiryId: number, expiresSec: number): Buffer {
  return createHmac("sha256", replyKey(db)).update(`coopbot clinic reply\n${enquiryId}\n${expiresSec}`).digest().subarray(0, MAC_BYTES);
}

/** A link to this enquiry's page that works until `expiresAt`. */
export function replyToken(db: Db, enquiryId: number, expiresAt: number): string {
  const seconds = Math.floor(expiresAt / 1000);
  return `${enquiryId.toString(36)}.${seconds.toString(36)}.${mac(db, enquiryId, seconds).toString("base64url")}`;
}

/**
 * What a token says, if this bot made it; undefined for anything altered,
 * made with another key, or not a token at all. Expiry is the caller's
 * check: an expired link can still ask for a fresh one to be emailed.
 */
export function readReplyToken(db: Db, token: string): ReplyLink | undefined {
  const m = TOKEN.exec(token);
  if (!m) return undefined;
  const enquiryId = parseInt(m[1]!, 36);
  const seconds = parseInt(m[2]!, 36);
  if (!Number.isSafeInteger(enquiryId) || enquiryId <= 0 || !Number.isSafeInteger(seconds)) return undefined;
  // The same spelling only: `0k` and `k` are one number, but only one of them was signed.
  if (enquiryId.toString(36) !== m[1] || seconds.toString(36) !== m[2]) return undefined;
  const given = Buffer.from(m[3]!, "base64url");
  const wanted = mac(db, enquiryId, seconds);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) return undefined;
  return { enquiryId, expiresAt: seconds * 1000 };
}

/** The page's address as the enquirer reaches it (`http.publicUrl` + the path). */
export function replyUrl(config: Config, token: string): string {
  const base = (config.http?.publicUrl ?? "").replace(/\/+$/, "");
  return `${base}${REPLY_PATH}/${token}`;
}
