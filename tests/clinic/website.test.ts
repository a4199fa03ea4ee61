// The website intake through the bot's real HTTP server and a real SQLite
// file, signed on the Standard Webhooks convention: what it accepts, what it
// refuses (writing nothing), retries and replays, and the attacks the
// security review found (a captured request replayed under new ids, an id
// claimed before the website used it).
import { createHash } from "node:crypto";
import { Writable } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../../bot/log.ts";
import { signWebhook, webhookKey } from "../../bot/webhooks.ts";
import { eraseEnquiry, getEnquiry } from "../../db/clinic.ts";
import type { TestBot } from "../helpers/bot.ts";
import { staffClinic, useClinicBots } from "./harness.ts";

/** 32 bytes, in the `whsec_<base64>` form the website is given. */
const SECRET = `whsec_${Buffer.from("a test key for the website intake, 32b").subarray(0, 32).toString("base64")}`;
const bots = useClinicBots();

const FORM = { name: "Dee Example", email: "dee@example.org", coop: "Example Bakery Co-op", categoryHint: "finance", text: "We are six bakers and want to buy the business from the retiring owner.", consent: true };
const BODY = JSON.stringify(FORM);

beforeEach(() => {
  process.env.CLINIC_WEBHOOK_SECRET = SECRET;
});
afterEach(() => {
  delete process.env.CLINIC_WEBHOOK_SECRET;
});

/** Headers as the website sends them: JSON, and the three `webhook-*` headers signed over `<id>.<timestamp>.<body>`. */
function signed(body: string, opts: { id?: string; at: number; secret?: string }): Record<string, string> {
  const key = webhookKey(opts.secret ?? SECRET);
  if ("error" in key) throw new Error(key.error);
  return { "content-type": "application/json", ...signWebhook(key.key, { id: opts.id ?? "msg_first", timestamp: Math.floor(opts.at / 1000) }, body) };
}

type Answer = { status: number; json: Record<string, unknown> };

async function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: "POST", body, headers });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

async function setUp(opts: { log?: ReturnType<typeof createLogger> } = {}) {
  const t = bots({ config: { http: { port: 0 } }, log: opts.log });
  await staffClinic(t);
  // The bot as in production, with its HTTP server on a free port (`http: {port: 0}`).
  await t.bot.start({ schedulerIntervalMs: 3600_000 });
  const base = `http://127.0.0.1:${t.bot.httpAddress()!.port}`;
  /** Signs `body` as the website would (id and time given) and posts it. */
  const send = (body: string, opts: { id?: string; at?: number } = {}) => post(`${base}/clinic/enquiries`, body, signed(body, { id: opts.id, at: opts.at ?? t.clock.now() }));
  return { t, base, url: `${base}/clinic/enquiries`, send };
}

const count = (t: TestBot, table: string) => (t.db.$client.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
const counts = (t: TestBot) => ({ enquiries: count(t, "clinic_enquiries"), deliveries: count(t, "clinic_intake_deliveries"), outbox: count(t, "outbox") });

/** Every row of every table, outbox included, once the dispatcher is idle (it updates rows as it sends). */
async function everything(t: TestBot): Promise<Record<string, unknown[]>> {
  await t.bot.dispatcher.drain();
  return t.snapshot(["__drizzle_migrations"]);
}

const deliveries = (t: TestBot) => t.db.$client.prepare("select * from clinic_intake_deliveries order by received_at, timestamp").all();
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("the website intake", () => {
  it("accepts a signed enquiry: a card in the triage room without the text, the delivery recorded", async () => {
    const { t, send } = await setUp();
    expect(await send(BODY, { id: "msg_first" })).toEqual({ status: 201, json: { ref: "CL-0001" } });
    await t.bot.dispatcher.drain();
    expect(t.take()).toEqual([
      "[2026-08-17 09:00] bot -> triage: 📥 New enquiry *CL-0001* · via the website · hint: finance · received Mon 17 Aug 09:00\n  /claim CL-0001 takes it on.\n  [Claim: /claim CL-0001]",
    ]);
    expect(getEnquiry(t.db, 1)).toMatchObject({ source: "website", askerId: null, contactEmail: "dee@example.org", categoryHint: "finance", consentAt: t.clock.now(), consentHow: "on the website form", idempotencyKey: "webhook:msg_first" });
    expect(deliveries(t)).toEqual([{ webhook_id: "msg_first", timestamp: t.clock.now() / 1000, body_sha256: sha256(BODY), enquiry_id: 1, received_at: t.clock.now() }]);
    expect(count(t, "jobs where key like 'clinic:escalate:1:%'")).toBe(2);
  });

  it("takes a retry (same id and body, signed again later) as the same enquiry: 200 duplicate, one card", async () => {
    const { t, send } = await setUp();
    expect(await send(BODY, { id: "msg_first" })).toEqual({ status: 201, json: { ref: "CL-0001" } });
    t.clock.advance(30_000);
    expect(await send(BODY, { id: "msg_first" })).toEqual({ status: 200, json: { ref: "CL-0001", duplicate: true } });
    t.clock.advance(30_000);
    expect(await send(BODY, { id: "msg_first" })).toEqual({ status: 200, json: { ref: "CL-0001", duplicate: true } });
    expect(counts(t)).toMatchObject({ enquiries: 1, deliveries: 3 });
    await t.bot.dispatcher.drain();
    expect(t.take().filter((l) => l.includes("New enquiry"))).toHaveLength(1);
  });

  it("refuses a captured request replayed under new ids (the signature covers the id), so the website's next id still works", async () => {
    const { t, url, send } = await setUp();
    const captured = signed(BODY, { id: "msg_first", at: t.clock.now() });
    expect(await post(url, BODY, captured)).toMatchObject({ status: 201 });
    const before = await everything(t);
    for (let i = 0; i < 20; i++) {
      expect(await post(url, BODY, { ...captured, "webhook-id": `msg_forged_${i}` })).toEqual({ status: 401, json: { error: "bad signature" } });
    }
    // The review's second attack: the captured body under the id the website will use next.
    expect(await post(url, BODY, { ...captured, "webhook-id": "msg_next" })).toMatchObject({ status: 401 });
    expect(await everything(t)).toEqual(before);
    const next = JSON.stringify({ ...FORM, text: "A second, different question about our rules." });
    expect(await send(next, { id: "msg_next" })).toEqual({ status: 201, json: { ref: "CL-0002" } });
  });

  it("refuses a reused id with another body (409), leaving the first enquiry as it was", async () => {
    const { t, send } = await setUp();
    expect(await send(BODY, { id: "msg_first" })).toMatchObject({ status: 201 });
    const before = await everything(t);
    t.clock.advance(10_000);
    const other = JSON.stringify({ ...FORM, email: "mallory@example.org", text: "Please call this number instead." });
    const res = await send(other, { id: "msg_first" });
    expect(res).toEqual({
      status: 409,
      json: { error: "webhook-id msg_first was already used for a different enquiry: give each submission its own id, and reuse it only to retry that submission unchanged" },
    });
    expect(JSON.stringify(res.json)).not.toMatch(/mallory|Please call/);
    expect(await everything(t)).toEqual(before);
    expect(getEnquiry(t.db, 1)).toMatchObject({ contactEmail: "dee@example.org", text: FORM.text });
  });

  it("refuses the same signed request twice (409), even after a retry, and writes nothing", async () => {
    const { t, url, send } = await setUp();
    const first = signed(BODY, { id: "msg_first", at: t.clock.now() });
    expect(await post(url, BODY, first)).toMatchObject({ status: 201 });
    t.clock.advance(20_000);
    const retry = signed(BODY, { id: "msg_first", at: t.clock.now() });
    expect(await post(url, BODY, retry)).toMatchObject({ status: 200 });
    const before = await everything(t);
    const replayed = { status: 409, json: { error: "this signed request (the same webhook-id and webhook-timestamp) was already received: a retry is signed again with a new timestamp" } };
    expect(await post(url, BODY, first)).toEqual(replayed);
    expect(await post(url, BODY, retry)).toEqual(replayed);
    expect(await everything(t)).toEqual(before);
    expect(await send(BODY, { id: "msg_other" })).toEqual({ status: 201, json: { ref: "CL-0002" } });
  });

  it("refuses unsigned, malformed, wrongly signed, stale and future-dated requests with 401, writing nothing", async () => {
    const { t, url } = await setUp();
    const before = await everything(t);
    const now = t.clock.now();
    const good = signed(BODY, { at: now });
    const { "webhook-signature": _s, ...unsigned } = good;
    const cases = [
      await post(url, BODY, unsigned),
      await post(url, BODY, { ...good, "webhook-id": "msg with spaces" }),
      await post(url, BODY, { ...good, "webhook-timestamp": "yesterday" }),
      await post(url, BODY, { ...good, "webhook-signature": `sha256=${"0".repeat(64)}` }),
      await post(url, BODY, signed(BODY, { at: now, secret: `whsec_${Buffer.alloc(32, 7).toString("base64")}` })),
      await post(url, BODY.replace("six", "sixty"), good),
      await post(url, BODY, signed(BODY, { at: now - 5 * 60_000 - 1000 })),
      await post(url, BODY, signed(BODY, { at: now + 5 * 60_000 + 1000 })),
      // Authenticity comes first: a bad body badly signed is a 401, and says nothing about parsing.
      await post(url, "{not json", good),
    ];
    expect(cases.map((c) => [c.status, c.json.error])).toEqual([
      [401, "unsigned: webhook-id, webhook-timestamp and webhook-signature are required"],
      [401, "malformed webhook-id: 1 to 200 letters, digits, '_', '-' or ':'"],
      [401, "malformed webhook-timestamp: unix seconds"],
      [401, "malformed webhook-signature: v1,<base64 signature>"],
      [401, "bad signature"],
      [401, "bad signature"],
      [401, "stale request: webhook-timestamp is more than 5 minutes old"],
      [401, "webhook-timestamp is more than 5 minutes ahead of the bot's clock"],
      [401, "bad signature"],
    ]);
    expect(await everything(t)).toEqual(before);
    expect(t.take()).toEqual([]);
  });

  it("judges a timestamp by the bot's clock, not the machine's: 4 minutes old is fine, a retry of it 6 minutes later is not", async () => {
    const { t, url } = await setUp();
    const headers = signed(BODY, { at: t.clock.now() - 4 * 60_000 });
    expect((await post(url, BODY, headers)).status).toBe(201);
    t.clock.advance(2 * 60_000);
    expect(await post(url, BODY, headers)).toEqual({ status: 401, json: { error: "stale request: webhook-timestamp is more than 5 minutes old" } });
  });

  it("answers an oversized body with a 413 the client actually receives, then closes the connection", async () => {
    const { t, url } = await setUp();
    const before = counts(t);
    const huge = JSON.stringify({ ...FORM, text: "x".repeat(70 * 1024) });
    const res = await fetch(url, { method: "POST", body: huge, headers: signed(huge, { at: t.clock.now() }) });
    expect(res.status).toBe(413);
    expect(res.headers.get("connection")).toBe("close");
    expect(await res.json()).toEqual({ error: "body too large: at most 64 KiB" });
    expect(counts(t)).toEqual(before);
  });

  it("refuses a body that isn't declared as JSON with 415, writing nothing; accepts a utf-8 charset", async () => {
    const { t, url } = await setUp();
    const before = await everything(t);
    const good = signed(BODY, { at: t.clock.now() });
    const { "content-type": _c, ...untyped } = good;
    for (const headers of [untyped, { ...good, "content-type": "text/plain" }, { ...good, "content-type": "application/json; charset=latin1" }, { ...good, "content-type": "application/x-www-form-urlencoded" }]) {
      expect(await post(url, BODY, headers)).toEqual({ status: 415, json: { error: "content-type must be application/json (with charset=utf-8, if any)" } });
    }
    expect(await everything(t)).toEqual(before);
    expect(await post(url, BODY, { ...good, "content-type": "application/json; charset=UTF-8" })).toMatchObject({ status: 201 });
  });

  it("answers a bad body with 400 naming the field, and writes nothing", async () => {
    const { t, send } = await setUp();
    const before = await everything(t);
    const sendDoc = (doc: unknown, id: string) => send(typeof doc === "string" ? doc : JSON.stringify(doc), { id });
    const { consent: _c, ...noConsent } = FORM;
    expect(await sendDoc('{"name": "Dee", "email": "dee@example.org", "text": "half a', "a")).toEqual({ status: 400, json: { error: "the body is not JSON", field: "(body)" } });
    expect(await sendDoc({ ...FORM, email: "dee at example" }, "b")).toEqual({ status: 400, json: { error: "email: not an email address", field: "email" } });
    expect(await sendDoc(noConsent, "c")).toEqual({ status: 400, json: { error: "consent: required", field: "consent" } });
    expect(await sendDoc({ ...FORM, consent: "maybe" }, "d")).toEqual({ status: 400, json: { error: "consent: yes or no (true/false, on/off, 1/0, y/n)", field: "consent" } });
    expect(await sendDoc({ ...FORM, consent: 2 }, "e")).toMatchObject({ status: 400, json: { field: "consent" } });
    expect(await sendDoc({ ...FORM, categoryHint: "astrology" }, "f")).toMatchObject({ status: 400, json: { field: "categoryHint" } });
    expect(await sendDoc({ ...FORM, text: "   " }, "g")).toEqual({ status: 400, json: { error: "text: required", field: "text" } });
    expect(await sendDoc({ ...FORM, phone: "0123" }, "h")).toMatchObject({ status: 400, json: { field: "phone" } });
    expect(await sendDoc([FORM], "i")).toMatchObject({ status: 400, json: { field: "(body)" } });
    expect(await everything(t)).toEqual(before);
  });

  it("takes the usual yes/no spellings of consent", async () => {
    const { t, send } = await setUp();
    const words: [unknown, boolean][] = [[true, true], [false, false], [1, true], [0, false], ["yes", true], ["No", false], ["TRUE", true], ["false", false], ["on", true], ["Off", false], ["1", true], ["0", false], ["y", true], ["N", false], [" yes ", true]];
    for (const [i, [word, agreed]] of words.entries()) {
      const res = await send(JSON.stringify({ ...FORM, consent: word }), { id: `msg_consent_${i}` });
      expect(res, `consent: ${JSON.stringify(word)}`).toMatchObject({ status: 201 });
      expect(getEnquiry(t.db, i + 1)?.consentAt, `consent: ${JSON.stringify(word)}`).toBe(agreed ? t.clock.now() : null);
    }
  });

  it("answers a malformed percent escape in any routed path with 400, not 500", async () => {
    const { t, base, url } = await setUp();
    const before = await everything(t);
    const feed = await fetch(`${base}/calendar/%E0%A4%A.ics?token=x`);
    expect(feed.status).toBe(400);
    expect(await feed.json()).toEqual({ error: "malformed request path: a bad percent escape" });
    expect(await post(`${url}%E0%A4%A`, BODY, signed(BODY, { at: t.clock.now() }))).toMatchObject({ status: 400 });
    expect((await fetch(`${base}/calendar/no-such-group.ics?token=x`)).status).toBe(404);
    expect(await everything(t)).toEqual(before);
  });

  it("is closed (503) without a usable secret, and never takes the secret from the config", async () => {
    const { t, url } = await setUp();
    const before = await everything(t);
    delete process.env.CLINIC_WEBHOOK_SECRET;
    expect(await post(url, BODY, signed(BODY, { at: t.clock.now() }))).toEqual({ status: 503, json: { error: "website intake is not configured: CLINIC_WEBHOOK_SECRET is not set" } });
    process.env.CLINIC_WEBHOOK_SECRET = "not base64!";
    expect(await post(url, BODY, signed(BODY, { at: t.clock.now() }))).toEqual({ status: 503, json: { error: "website intake is not configured: CLINIC_WEBHOOK_SECRET is not a whsec_<base64> secret" } });
    process.env.CLINIC_WEBHOOK_SECRET = `whsec_${Buffer.alloc(8, 1).toString("base64")}`;
    expect(await post(url, BODY, signed(BODY, { at: t.clock.now() }))).toMatchObject({ status: 503, json: { error: "website intake is not configured: CLINIC_WEBHOOK_SECRET is shorter than 24 bytes" } });
    expect(await everything(t)).toEqual(before);
    // The bare base64 key (without `whsec_`) is the same secret.
    process.env.CLINIC_WEBHOOK_SECRET = SECRET.slice("whsec_".length);
    expect(await post(url, BODY, signed(BODY, { at: t.clock.now() }))).toMatchObject({ status: 201 });
  });

  it("never logs the body, the contact details, the question or the secret", async () => {
    const logged: string[] = [];
    const log = createLogger({ level: "debug", destination: new Writable({ write: (chunk, _e, cb) => (logged.push(String(chunk)), cb()) }) });
    const { t, url, send } = await setUp({ log });
    await send(BODY, { id: "msg_first" });
    await send(JSON.stringify({ ...FORM, text: "Another question entirely, about our rules." }), { id: "msg_first" });
    await send(JSON.stringify({ ...FORM, email: "dee-at-example" }), { id: "msg_bad" });
    await post(url, BODY, { ...signed(BODY, { at: t.clock.now() }), "webhook-id": "msg_forged" });
    const lines = logged.join("");
    expect(lines).toContain('"status":201');
    expect(lines).toContain('"webhookId":"msg_first"');
    expect(lines).toContain('"status":409');
    for (const secret of [FORM.name, FORM.email, FORM.text, "Another question", "dee-at-example", SECRET.slice("whsec_".length)]) expect(lines).not.toContain(secret);
  });

  it("forgets an erased enquiry's deliveries; a late retry finds the erased enquiry rather than making it again", async () => {
    const { t, send } = await setUp();
    bots.secrets.push(FORM.text);
    await send(BODY, { id: "msg_first" });
    t.clock.advance(60_000);
    await send(BODY, { id: "msg_first" });
    await send(JSON.stringify({ ...FORM, text: "Someone else's question, which stays." }), { id: "msg_other" });
    expect(counts(t).deliveries).toBe(3);
    await t.say("tara", "/claim CL-0001", "triage");
    await t.say("tara", "/resolve CL-0001 talked it through on the phone", "triage");
    await t.say("admin", "/clinic erase CL-0001");
    expect(t.texts().at(-1)).toMatch(/^Erased CL-0001/);
    expect(deliveries(t)).toEqual([expect.objectContaining({ webhook_id: "msg_other", enquiry_id: 2 })]);
    expect(JSON.stringify(await everything(t))).not.toContain(sha256(BODY));

    t.clock.advance(60_000);
    const before = await everything(t);
    expect(await send(BODY, { id: "msg_first" })).toEqual({ status: 200, json: { ref: "CL-0001", duplicate: true } });
    expect(await everything(t)).toEqual(before);
  });

  it("also drops, on erasure, a body-hash key left by the earlier intake (it would confirm a guessed text)", () => {
    const t = bots();
    const insert = t.db.$client.prepare("insert into clinic_enquiries (source, text, state, idempotency_key, created_at) values ('website', 'a question', 'resolved', ?, 0)");
    insert.run(`body:${sha256("a question")}`);
    insert.run("key:form-77");
    eraseEnquiry(t.db, 1, t.clock.now());
    eraseEnquiry(t.db, 2, t.clock.now());
    expect([getEnquiry(t.db, 1)?.idempotencyKey, getEnquiry(t.db, 2)?.idempotencyKey]).toEqual([null, "key:form-77"]);
  });

  it("lets the claimer see the contact details and records that they must email the enquirer", async () => {
    const { t, send } = await setUp();
    await send(JSON.stringify({ ...FORM, consent: false }));
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
