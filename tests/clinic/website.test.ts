// The website intake through the bot's real HTTP server, signed with real
// HMACs: what it accepts, what it refuses (creating nothing), and that the
// same request twice is one enquiry.
import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { getEnquiry } from "../../db/clinic.ts";
import type { TestBot } from "../helpers/bot.ts";
import { staffClinic, useClinicBots } from "./harness.ts";

const SECRET = "test-secret-not-a-real-one";
const bots = useClinicBots();

const FORM = { name: "Dee Example", email: "dee@example.org", coop: "Example Bakery Co-op", categoryHint: "finance", text: "We are six bakers and want to buy the business from the retiring owner.", consent: true };

beforeEach(() => {
  process.env.CLINIC_WEBHOOK_SECRET = SECRET;
});
afterEach(() => {
  delete process.env.CLINIC_WEBHOOK_SECRET;
});

/** The bot started as in production, with its HTTP server on a free port (the config says `http: {port: 0}`). */
async function serve(t: TestBot): Promise<string> {
  await t.bot.start({ schedulerIntervalMs: 3600_000 });
  return `http://127.0.0.1:${t.bot.httpAddress()!.port}/clinic/enquiries`;
}

/** Headers as the website sends them: a timestamp (unix seconds) and `sha256=` HMAC over `${timestamp}.${body}`. */
function signed(body: string, opts: { at: number; secret?: string; extra?: Record<string, string> }): Record<string, string> {
  const timestamp = String(Math.floor(opts.at / 1000));
  const hmac = createHmac("sha256", opts.secret ?? SECRET).update(`${timestamp}.${body}`).digest("hex");
  return { "content-type": "application/json", "x-coopbot-timestamp": timestamp, "x-coopbot-signature": `sha256=${hmac}`, ...opts.extra };
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function setUp() {
  const t = bots({ config: { http: { port: 0 } } });
  await staffClinic(t);
  return { t, url: await serve(t) };
}

describe("the website intake", () => {
  it("accepts a signed enquiry: a card in the triage room without the text, the source and consent recorded", async () => {
    const { t, url } = await setUp();
    const body = JSON.stringify(FORM);
    const res = await post(url, body, signed(body, { at: t.clock.now() }));
    expect(res).toEqual({ status: 201, json: { ref: "CL-0001" } });
    await t.bot.dispatcher.drain();
    expect(t.take()).toEqual([
      "[2026-08-17 09:00] bot -> triage: 📥 New enquiry *CL-0001* · via the website · hint: finance · received Mon 17 Aug 09:00\n  /claim CL-0001 takes it on.\n  [Claim: /claim CL-0001]",
    ]);
    expect(getEnquiry(t.db, 1)).toMatchObject({ source: "website", askerId: null, contactEmail: "dee@example.org", categoryHint: "finance", consentAt: t.clock.now(), consentHow: "on the website form" });
    expect(t.db.$client.prepare("select count(*) as n from jobs where key like 'clinic:escalate:1:%'").get()).toEqual({ n: 2 });
  });

  it("refuses unsigned, wrongly signed, stale and future-dated requests with 401 and creates nothing", async () => {
    const { t, url } = await setUp();
    const body = JSON.stringify(FORM);
    const before = t.snapshot();
    const now = t.clock.now();
    const cases = [
      await post(url, body, { "content-type": "application/json" }),
      await post(url, body, signed(body, { at: now, secret: "someone-else" })),
      await post(url, body.replace("six", "sixty"), signed(body, { at: now })),
      await post(url, body, { ...signed(body, { at: now }), "x-coopbot-signature": "sha256=abc" }),
      await post(url, body, signed(body, { at: now - 5 * 60_000 - 1000 })),
      await post(url, body, signed(body, { at: now + 61_000 })),
    ];
    expect(cases.map((c) => c.status)).toEqual([401, 401, 401, 401, 401, 401]);
    expect(cases.map((c) => c.json.error)).toEqual([
      "unsigned: x-coopbot-timestamp and x-coopbot-signature are required",
      "bad signature",
      "bad signature",
      "malformed signature or timestamp",
      "stale request: the timestamp is more than 5 minutes old",
      "the timestamp is in the future",
    ]);
    await t.bot.dispatcher.drain();
    expect(t.snapshot()).toEqual(before);
    expect(t.take()).toEqual([]);
  });

  it("judges a timestamp by the bot's clock, not the machine's: 4 minutes old is fine, a replay 6 minutes later is not", async () => {
    const { t, url } = await setUp();
    const body = JSON.stringify(FORM);
    const headers = signed(body, { at: t.clock.now() - 4 * 60_000 });
    expect((await post(url, body, headers)).status).toBe(201);
    t.clock.advance(2 * 60_000);
    expect(await post(url, body, headers)).toEqual({ status: 401, json: { error: "stale request: the timestamp is more than 5 minutes old" } });
  });

  it("creates one enquiry from the same request sent twice (by body, or by idempotency-key)", async () => {
    const { t, url } = await setUp();
    const body = JSON.stringify(FORM);
    expect(await post(url, body, signed(body, { at: t.clock.now() }))).toEqual({ status: 201, json: { ref: "CL-0001" } });
    t.clock.advance(30_000);
    expect(await post(url, body, signed(body, { at: t.clock.now() }))).toEqual({ status: 200, json: { ref: "CL-0001", duplicate: true } });

    const first = JSON.stringify({ ...FORM, text: "A second, different question about our rules." });
    const retry = JSON.stringify({ ...FORM, text: "A second, different question about our rules (edited)." });
    const key = { "idempotency-key": "form-submission-77" };
    expect(await post(url, first, signed(first, { at: t.clock.now(), extra: key }))).toEqual({ status: 201, json: { ref: "CL-0002" } });
    expect(await post(url, retry, signed(retry, { at: t.clock.now(), extra: key }))).toEqual({ status: 200, json: { ref: "CL-0002", duplicate: true } });
    expect(t.db.$client.prepare("select count(*) as n from clinic_enquiries").get()).toEqual({ n: 2 });
    await t.bot.dispatcher.drain();
    expect(t.take().filter((l) => l.includes("New enquiry"))).toHaveLength(2);
  });

  it("answers a bad body with 400 naming the field, and creates nothing", async () => {
    const { t, url } = await setUp();
    const before = t.snapshot();
    const send = (doc: unknown) => {
      const body = typeof doc === "string" ? doc : JSON.stringify(doc);
      return post(url, body, signed(body, { at: t.clock.now() }));
    };
    const { consent: _c, ...noConsent } = FORM;
    expect(await send("{not json")).toEqual({ status: 400, json: { error: "the body is not JSON" } });
    expect(await send({ ...FORM, email: "dee at example" })).toEqual({ status: 400, json: { error: "email: not an email address", field: "email" } });
    expect(await send(noConsent)).toEqual({ status: 400, json: { error: "consent: required", field: "consent" } });
    expect(await send({ ...FORM, categoryHint: "astrology" })).toMatchObject({ status: 400, json: { field: "categoryHint" } });
    expect(await send({ ...FORM, text: "   " })).toEqual({ status: 400, json: { error: "text: required", field: "text" } });
    expect(await send({ ...FORM, phone: "0123" })).toMatchObject({ status: 400, json: { field: "phone" } });
    expect(t.snapshot()).toEqual(before);
  });

  it("is closed (503) when no secret is set, and never takes the secret from the config", async () => {
    const { t, url } = await setUp();
    delete process.env.CLINIC_WEBHOOK_SECRET;
    const body = JSON.stringify(FORM);
    expect(await post(url, body, signed(body, { at: t.clock.now() }))).toEqual({ status: 503, json: { error: "website intake is not configured: CLINIC_WEBHOOK_SECRET is not set" } });
  });

  it("lets the claimer see the contact details and records that they must email the enquirer", async () => {
    const { t, url } = await setUp();
    const body = JSON.stringify({ ...FORM, consent: false });
    await post(url, body, signed(body, { at: t.clock.now() }));
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/triage CL-0001 --category finance", "triage");
    t.take();
    await t.say("tara", "/reply CL-0001 happy to help, when can we call you?", "triage");
    await t.say("tara", "/handoff CL-0001 @uma", "triage");
    expect(t.texts()).toEqual([
      "I can't send email, so please write to the enquirer of *CL-0001* yourself; I've noted that you will.\nContact: Dee Example <dee@example.org>, Example Bakery Co-op\nYour message:\n> happy to help, when can we call you?",
      "The website enquirer of CL-0001 didn't agree to share it with an adviser. Ask them (/reply CL-0001 <message>), then record their answer with /consent CL-0001 <how they agreed>.",
    ]);
    await t.say("tara", "/consent CL-0001 agreed on the phone on Monday", "triage");
    expect(t.texts()).toEqual(["Recorded: the enquirer of CL-0001 agreed to share it with an adviser."]);
    expect(getEnquiry(t.db, 1)).toMatchObject({ consentHow: "recorded by tara: agreed on the phone on Monday" });
    expect(t.db.$client.prepare("select kind, text from clinic_notes").all()).toEqual([{ kind: "contact", text: "happy to help, when can we call you?" }]);
  });
});
