// The website's intake: `POST /clinic/enquiries` on the bot's HTTP server,
// signed on the Standard Webhooks convention (bot/webhooks.ts):
//
//   content-type: application/json
//   webhook-id: <one per form submission, the same on every retry>
//   webhook-timestamp: <unix seconds>
//   webhook-signature: v1,<base64 HMAC-SHA256 of "<id>.<timestamp>.<body>" with CLINIC_WEBHOOK_SECRET>
//   {"name": "...", "email": "...", "coop": "...", "categoryHint": "finance", "text": "...", "consent": true}
//
// 201 {ref} a new enquiry; 200 {ref, duplicate: true} a retry (same id, same
// body, new timestamp); 409 {error} the id with another body, or the same
// signed request again; 401 unsigned, badly signed, or a timestamp more than
// 5 minutes from the bot's clock; 413 too large (bot/http.ts); 415 not JSON;
// 400 {error, field} a bad body; 503 no secret. Authenticity is decided
// before anything about the body, and nothing is written unless the answer
// is 201 or 200.
import { createHash } from "node:crypto";
import { z } from "zod";
import { BaseContext, type Services } from "../../bot/context.ts";
import type { HttpRequest, HttpResponse, HttpRoute } from "../../bot/http.ts";
import { verifyWebhook, webhookKey, type WebhookDelivery } from "../../bot/webhooks.ts";
import { deliveriesOf, recordDelivery } from "../../db/clinic-intake.ts";
import { findByIdempotencyKey, refOf } from "../../db/clinic.ts";
import { inTransaction } from "../../db/connection.ts";
import { CATEGORIES } from "./access.ts";
import { emailAcknowledgement } from "./emails.ts";
import { MAX_QUESTION, openEnquiry } from "./intake.ts";

export const INTAKE_PATH = "/clinic/enquiries";

const YES = new Set(["yes", "y", "true", "on", "1"]);
const NO = new Set(["no", "n", "false", "off", "0"]);

/** The consent box, however the website's form library spells it: a boolean, 1/0, or a yes/no word. */
export function consentAnswer(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === 1 || value === 0) return value === 1;
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase();
  return YES.has(word) ? true : NO.has(word) ? false : undefined;
}

const consentField = z.unknown().transform((value, ctx) => {
  const answer = consentAnswer(value);
  if (answer === undefined) ctx.addIssue({ code: "custom", message: value === undefined ? "required" : "yes or no (true/false, on/off, 1/0, y/n)" });
  return answer ?? z.NEVER;
});

const websiteEnquiry = z
  .object({
    name: z.string().trim().min(1, "required").max(200),
    email: z.email("not an email address").max(320),
    coop: z.string().trim().max(200).optional(),
    categoryHint: z.enum(CATEGORIES).optional(),
    text: z.string().trim().min(1, "required").max(MAX_QUESTION),
    consent: consentField,
  })
  .strict();

export type WebsiteEnquiry = z.input<typeof websiteEnquiry>;
type Form = z.output<typeof websiteEnquiry>;

/** What the route answers, and the delivery it was about once that is known to be authentic (for the log). */
interface Outcome {
  status: number;
  answer: { ref: string; duplicate?: true } | { error: string; field?: string };
  delivery?: WebhookDelivery;
}

const refused = (status: number, error: string, delivery?: WebhookDelivery): Outcome => ({ status, answer: { error }, delivery });

/** `application/json`, with at most `charset=utf-8`: the body is read, and signed, as UTF-8. */
function isJson(contentType: string | undefined): boolean {
  const [type, ...params] = (contentType ?? "").split(";").map((part) => part.trim().toLowerCase());
  return type === "application/json" && params.every((p) => p === "" || /^charset="?utf-8"?$/.test(p));
}

/** The form, or a 400 naming the field. Messages never quote the body's values. */
function parseForm(body: string): Form | { error: string; field: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    // Not the parser's message: it quotes the body.
    return { error: "the body is not JSON", field: "(body)" };
  }
  const parsed = websiteEnquiry.safeParse(doc);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const field = issue.code === "unrecognized_keys" ? issue.keys.join(", ") : issue.path.join(".") || "(body)";
  const message = issue.code === "invalid_type" && issue.input === undefined ? "required" : issue.message;
  return { error: `${field}: ${message}`, field };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
/** The enquiry's idempotency key: kept after erasure, so a late retry finds it rather than making it again. */
const keyOf = (delivery: WebhookDelivery) => `webhook:${delivery.id}`;

/**
 * Decides, in one transaction, what an authentic delivery is: new, a retry,
 * a reused id or a replay; and writes the enquiry and the delivery only for
 * the first two.
 */
function accept(services: Services, delivery: WebhookDelivery, bodySha256: string, form: Form): Outcome {
  const { db } = services;
  return inTransaction(db, () => {
    const seen = deliveriesOf(db, delivery.id);
    if (seen.some((d) => d.bodySha256 !== bodySha256)) {
      return refused(409, `webhook-id ${delivery.id} was already used for a different enquiry: give each submission its own id, and reuse it only to retry that submission unchanged`, delivery);
    }
    if (seen.some((d) => d.timestamp === delivery.timestamp)) {
      return refused(409, "this signed request (the same webhook-id and webhook-timestamp) was already received: a retry is signed again with a new timestamp", delivery);
    }
    const receivedAt = services.clock.now();
    const earlier = seen[0]?.enquiryId;
    if (typeof earlier === "number") {
      recordDelivery(db, { webhookId: delivery.id, timestamp: delivery.timestamp, bodySha256, enquiryId: earlier, receivedAt });
      return { status: 200, answer: { ref: refOf(earlier), duplicate: true }, delivery };
    }
    // Its deliveries went when it was erased: the body can't be compared any more, and nothing of it is kept again.
    const erased = findByIdempotencyKey(db, keyOf(delivery));
    if (erased) return { status: 200, answer: { ref: refOf(erased.id), duplicate: true }, delivery };
    const ctx = new BaseContext(services, `http:clinic-enquiry:${delivery.id}`);
    const enquiry = openEnquiry(ctx, {
      source: "website",
      contactName: form.name,
      contactEmail: form.email,
      contactCoop: form.coop || null,
      categoryHint: form.categoryHint ?? null,
      text: form.text,
      consentAt: form.consent ? ctx.now : null,
      consentHow: form.consent ? "on the website form" : null,
      idempotencyKey: keyOf(delivery),
    })!;
    recordDelivery(db, { webhookId: delivery.id, timestamp: delivery.timestamp, bodySha256, enquiryId: enquiry.id, receivedAt });
    // In the same transaction: the enquiry and its acknowledgement are on record together, or neither.
    emailAcknowledgement(ctx, enquiry);
    return { status: 201, answer: { ref: refOf(enquiry.id) }, delivery };
  });
}

function intake(services: Services, secret: string | undefined, req: HttpRequest): Outcome {
  if (!secret) return refused(503, "website intake is not configured: CLINIC_WEBHOOK_SECRET is not set");
  const key = webhookKey(secret);
  if ("error" in key) return refused(503, `website intake is not configured: CLINIC_WEBHOOK_SECRET ${key.error}`);
  const contentType = req.headers["content-type"];
  if (!isJson(contentType)) return refused(415, "content-type must be application/json (with charset=utf-8, if any)");
  const verified = verifyWebhook(key.key, req.headers, req.body, services.clock.now());
  if (!verified.ok) return refused(401, verified.error);
  const form = parseForm(req.body);
  if ("error" in form) return { status: 400, answer: form, delivery: verified.delivery };
  return accept(services, verified.delivery, sha256(req.body), form);
}

/**
 * One line per request: the status, our own answer and the webhook id once
 * it is authentic. Never the body, the contact details or the secret.
 */
function logOutcome(services: Services, outcome: Outcome): void {
  const fields = { route: INTAKE_PATH, status: outcome.status, webhookId: outcome.delivery?.id, ...outcome.answer };
  if (outcome.status === 503) services.log.error(fields, "website intake is not configured");
  else if (outcome.status === 401 || outcome.status === 409) services.log.warn(fields, "website enquiry refused");
  else if (outcome.status >= 400) services.log.info(fields, "website enquiry refused");
  else services.log.info(fields, "website enquiry received");
}

export function receiveWebsiteEnquiry(services: Services, secret: string | undefined, req: HttpRequest): HttpResponse {
  const outcome = intake(services, secret, req);
  logOutcome(services, outcome);
  // The card is committed: send it now rather than at the dispatcher's next poll.
  if (outcome.status === 201) services.wake?.();
  return { status: outcome.status, body: JSON.stringify(outcome.answer) };
}

/** The route, given the bot's services; the secret comes from the environment, never the config file. */
export function websiteRoutes(services: Services, secret: () => string | undefined = () => process.env.CLINIC_WEBHOOK_SECRET): HttpRoute[] {
  return [{ method: "POST", path: INTAKE_PATH, handle: (req) => receiveWebsiteEnquiry(services, secret(), req) }];
}
