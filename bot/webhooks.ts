// Receiving Standard Webhooks (https://www.standardwebhooks.com):
//
//   webhook-id: <the sender's id for this message, the same on every retry>
//   webhook-timestamp: <unix seconds, new on every attempt>
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>"> [more, space-separated]
//
// The `standardwebhooks` package computes the signature; the timestamp is
// judged here against the bot's clock, because the package's `verify` reads
// the wall clock (only bot/clock.ts may).
import { timingSafeEqual } from "node:crypto";
import { Webhook } from "standardwebhooks";
import type { IncomingHttpHeaders } from "node:http";

/** How far a timestamp may be from the bot's clock, either way (the convention's default). */
export const WEBHOOK_TOLERANCE_MS = 5 * 60_000;
/** The convention's advice: secrets of 24 to 64 bytes. */
const MIN_KEY_BYTES = 24;

/**
 * The id is signed as `<id>.<timestamp>.<body>`; keeping `.` and spaces out
 * of it keeps that string unambiguous, and a short plain id is safe to log.
 */
const WEBHOOK_ID = /^[A-Za-z0-9_:-]{1,200}$/;
const TIMESTAMP = /^\d{1,12}$/;

/** A signed delivery's identity: what makes a replay recognisable. */
export interface WebhookDelivery {
  id: string;
  /** Unix seconds, as signed. */
  timestamp: number;
}

export type Verified = { ok: true; delivery: WebhookDelivery } | { ok: false; error: string };

/**
 * A signer/verifier from a secret in the convention's `whsec_<base64>` form.
 * Without the prefix the value is taken as the base64 key itself, as the
 * package does. An error the operator can fix, rather than a throw, for a
 * value that isn't base64 or is too short to be a secret.
 */
export function webhookKey(secret: string): { key: Webhook } | { error: string } {
  const base64 = secret.trim().replace(/^whsec_/, "");
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64) || base64.length % 4 !== 0) return { error: "is not a whsec_<base64> secret" };
  if (Buffer.from(base64, "base64").length < MIN_KEY_BYTES) return { error: `is shorter than ${MIN_KEY_BYTES} bytes` };
  return { key: new Webhook(base64) };
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === "string" ? value : undefined;
}

/** The base64 signatures in a `webhook-signature` list: `v1` ones only (others, e.g. `v1a`, are another scheme). */
function v1Signatures(list: string): string[] {
  return list
    .split(" ")
    .filter((entry) => entry.startsWith("v1,"))
    .map((entry) => entry.slice("v1,".length));
}

const sameText = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/**
 * Whether `body` was signed with `key` under these headers, within the
 * tolerance of `now` (the bot's clock). The signature is checked before the
 * timestamp, so only a holder of the secret learns about our clock.
 */
export function verifyWebhook(key: Webhook, headers: IncomingHttpHeaders, body: string, now: number): Verified {
  const id = header(headers, "webhook-id");
  const stamp = header(headers, "webhook-timestamp");
  const list = header(headers, "webhook-signature");
  if (!id || !stamp || !list) return { ok: false, error: "unsigned: webhook-id, webhook-timestamp and webhook-signature are required" };
  if (!WEBHOOK_ID.test(id)) return { ok: false, error: "malformed webhook-id: 1 to 200 letters, digits, '_', '-' or ':'" };
  if (!TIMESTAMP.test(stamp)) return { ok: false, error: "malformed webhook-timestamp: unix seconds" };
  const given = v1Signatures(list);
  if (given.length === 0) return { ok: false, error: "malformed webhook-signature: v1,<base64 signature>" };
  const timestamp = Number(stamp);
  const expected = key.sign(id, new Date(timestamp * 1000), body).slice("v1,".length);
  if (!given.some((signature) => sameText(signature, expected))) return { ok: false, error: "bad signature" };
  const age = now - timestamp * 1000;
  if (age > WEBHOOK_TOLERANCE_MS) return { ok: false, error: "stale request: webhook-timestamp is more than 5 minutes old" };
  if (-age > WEBHOOK_TOLERANCE_MS) return { ok: false, error: "webhook-timestamp is more than 5 minutes ahead of the bot's clock" };
  return { ok: true, delivery: { id, timestamp } };
}

/** The headers a sender puts on `body` (tests, and what the website's developers can compare with). */
export function signWebhook(key: Webhook, delivery: WebhookDelivery, body: string): Record<string, string> {
  return {
    "webhook-id": delivery.id,
    "webhook-timestamp": String(delivery.timestamp),
    "webhook-signature": key.sign(delivery.id, new Date(delivery.timestamp * 1000), body),
  };
}
