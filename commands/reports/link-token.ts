// The secret in a dashboard link: who it was given to and until when,
// signed with a key kept beside the database (db/secret-key.ts). Nothing is
// stored per link: a link can't be altered (the signature breaks), it stops
// at its expiry, and whether it still opens anything is decided at every
// request from the roles its member holds then (viewer.ts). Losing the role
// closes the link; deleting the key file closes every link at once.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Db } from "../../db/connection.ts";
import { secretKey } from "../../db/secret-key.ts";

export const DASHBOARD_KEY_FILE = "dashboard.key";
const SIG_BYTES = 24;
const SHAPE = /^(\d{1,9})\.([0-9a-z]{1,12})\.([A-Za-z0-9_-]{32})$/;

const signature = (db: Db, memberId: number, expiresAt: number): Buffer =>
  createHmac("sha256", secretKey(db, DASHBOARD_KEY_FILE, "dashboard link")).update(`coopbot dashboard\n${memberId}\n${expiresAt}`).digest().subarray(0, SIG_BYTES);

/** `<member>.<expiry, base 36 ms>.<signature>`: about 50 characters, fine in a chat message. */
export function dashboardToken(db: Db, memberId: number, expiresAt: number): string {
  return `${memberId}.${expiresAt.toString(36)}.${signature(db, memberId, expiresAt).toString("base64url")}`;
}

export type TokenCheck = { ok: true; memberId: number; expiresAt: number } | { ok: false; reason: "invalid" | "expired" };

/** Whether a token is one this bot made, unaltered, and not yet expired at `now`. */
export function checkToken(db: Db, token: string, now: number): TokenCheck {
  const m = SHAPE.exec(token);
  if (!m) return { ok: false, reason: "invalid" };
  const memberId = Number(m[1]);
  const expiresAt = parseInt(m[2]!, 36);
  const given = Buffer.from(m[3]!, "base64url");
  const expected = signature(db, memberId, expiresAt);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: "invalid" };
  return now < expiresAt ? { ok: true, memberId, expiresAt } : { ok: false, reason: "expired" };
}
