// The website's intake: `POST /clinic/enquiries` on the bot's HTTP server.
//
//   x-coopbot-timestamp: <unix seconds>
//   x-coopbot-signature: sha256=<hex HMAC-SHA256 of `${timestamp}.${raw body}` with CLINIC_WEBHOOK_SECRET>
//   idempotency-key: <optional; else the SHA-256 of the body>
//   {"name": "...", "email": "...", "coop": "...", "categoryHint": "finance", "text": "...", "consent": true}
//
// 201 {ref} for a new enquiry, 200 {ref, duplicate: true} for one already
// received, 400 {error, field} for a bad body, 401 {error} for a missing,
// wrong or stale signature (older than 5 minutes, or more than 1 minute
// ahead of the bot's clock), 503 when no secret is set. Nothing is created
// unless the answer is 201.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { BaseContext, type Services } from "../../bot/context.ts";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../bot/http.ts";
import { inTransaction } from "../../db/connection.ts";
import { findByIdempotencyKey, refOf } from "../../db/clinic.ts";
import { CATEGORIES } from "./access.ts";
import { MAX_QUESTION, openEnquiry } from "./intake.ts";

export const SIGNATURE_HEADER = "x-coopbot-signature";
export const TIMESTAMP_HEADER = "x-coopbot-timestamp";
const MAX_AGE_MS = 5 * 60_000;
const MAX_AHEAD_MS = 60_000;

const websiteEnquiry = z
  .object({
    name: z.string().trim().min(1, "required").max(200),
    email: z.email("not an email address").max(320),
    coop: z.string().trim().max(200).optional(),
    categoryHint: z.enum(CATEGORIES).optional(),
    text: z.string().trim().min(1, "required").max(MAX_QUESTION),
    consent: z.boolean(),
  })
  .strict();

export type WebsiteEnquiry = z.input<typeof websiteEnquiry>;

/** The signature the website sends (also what its developers can test against). */
export function signWebsiteRequest(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex")}`;
}

const json = (status: number, body: unknown): HttpResponse => ({ status, body: JSON.stringify(body) });

function header(req: HttpRequest, name: string): string | undefined {
  const value = req.headers[name];
  return typeof value === "string" ? value : undefined;
}

/** Why the request is not authentic, or undefined when it is. */
function authProblem(secret: string, req: HttpRequest, now: number): string | undefined {
  const timestamp = header(req, TIMESTAMP_HEADER);
  const signature = header(req, SIGNATURE_HEADER);
  if (!timestamp || !signature) return `unsigned: ${TIMESTAMP_HEADER} and ${SIGNATURE_HEADER} are required`;
  const hex = /^sha256=([0-9a-f]{64})$/i.exec(signature)?.[1];
  if (!/^\d{1,12}$/.test(timestamp) || !hex) return "malformed signature or timestamp";
  const expected = Buffer.from(signWebsiteRequest(secret, timestamp, req.body).slice("sha256=".length), "hex");
  if (!timingSafeEqual(expected, Buffer.from(hex, "hex"))) return "bad signature";
  const sentAt = Number(timestamp) * 1000;
  if (now - sentAt > MAX_AGE_MS) return "stale request: the timestamp is more than 5 minutes old";
  if (sentAt - now > MAX_AHEAD_MS) return "the timestamp is in the future";
  return undefined;
}

export function receiveWebsiteEnquiry(services: Services, secret: string | undefined, req: HttpRequest): HttpResponse {
  if (!secret) return json(503, { error: "website intake is not configured: CLINIC_WEBHOOK_SECRET is not set" });
  const problem = authProblem(secret, req, services.clock.now());
  if (problem) return json(401, { error: problem });
  let doc: unknown;
  try {
    doc = JSON.parse(req.body);
  } catch {
    return json(400, { error: "the body is not JSON" });
  }
  const parsed = websiteEnquiry.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "(body)";
    const message = issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message;
    return json(400, { error: `${field}: ${message}`, field });
  }
  const given = header(req, "idempotency-key");
  if (given !== undefined && (given.length === 0 || given.length > 200)) return json(400, { error: "idempotency-key: 1 to 200 characters", field: "idempotency-key" });
  const key = given ? `key:${given}` : `body:${createHash("sha256").update(req.body).digest("hex")}`;
  const form = parsed.data;
  const response = inTransaction(services.db, () => {
    const existing = findByIdempotencyKey(services.db, key);
    if (existing) return json(200, { ref: refOf(existing.id), duplicate: true });
    const ctx = new BaseContext(services, `http:clinic-enquiry:${key.slice(0, 80)}`);
    const enquiry = openEnquiry(ctx, {
      source: "website",
      contactName: form.name,
      contactEmail: form.email,
      contactCoop: form.coop || null,
      categoryHint: form.categoryHint ?? null,
      text: form.text,
      consentAt: form.consent ? ctx.now : null,
      consentHow: form.consent ? "on the website form" : null,
      idempotencyKey: key,
    })!;
    return json(201, { ref: refOf(enquiry.id) });
  });
  // The card is committed: send it now rather than at the dispatcher's next poll.
  services.wake?.();
  return response;
}

/** The route, given the bot's services; the secret comes from the environment, never the config file. */
export function websiteRoutes(services: Services, secret: () => string | undefined = () => process.env.CLINIC_WEBHOOK_SECRET): HttpRoute[] {
  return [{ method: "POST", path: "/clinic/enquiries", handle: (req) => receiveWebsiteEnquiry(services, secret(), req) }];
}
