// Website enquirers by email, against a real SMTP server on localhost
// (tests/helpers/smtp.ts) and the bot's real HTTP server: the
// acknowledgement, each reply as an email with a private link, the reply
// page read and answered in a real headless Chromium, consent given and
// withdrawn there, an SMTP outage and a refused address, and erasure.
import type { Browser } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../bot/log.ts";
import { signWebhook, webhookKey } from "../../bot/webhooks.ts";
import { EmailAdapter } from "../../adapters/email/index.ts";
import { getEnquiry } from "../../db/clinic.ts";
import { launchBrowser } from "../helpers/browser.ts";
import { TestSmtpServer, type ReceivedMail } from "../helpers/smtp.ts";
import type { TestBot } from "../helpers/bot.ts";
import { DAY, staffClinic, useClinicBots } from "./harness.ts";

const SECRET = `whsec_${Buffer.from("a test key for the website intake, 32b").subarray(0, 32).toString("base64")}`;
const PUBLIC = "https://clinic.example.coop";
const FROM = "Co-op Clinic <clinic@example.coop>";
const DEE = { name: "Dee Example", email: "dee@example.org", coop: "Example Bakery Co-op", text: "We are six bakers and want to buy the business from the retiring owner.", consent: false };
const FAY = { name: "Fay Sample", email: "fay@example.net", coop: "Sample Cleaners", text: "Our cleaning co-op needs model rules for a second branch in Leeds.", consent: true };
const LINK = /https:\/\/clinic\.example\.coop\/clinic\/reply\/([0-9a-z]+\.[0-9a-z]+\.[A-Za-z0-9_-]{32})/;

const bots = useClinicBots();
const servers: TestSmtpServer[] = [];
let browser: Browser;

beforeAll(async () => {
  process.env.CLINIC_WEBHOOK_SECRET = SECRET;
  browser = await launchBrowser();
});
afterAll(async () => {
  delete process.env.CLINIC_WEBHOOK_SECRET;
  await browser?.close();
});
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop();
});

async function setUp(opts: { log?: Logger } = {}) {
  const smtp = new TestSmtpServer();
  await smtp.start();
  servers.push(smtp);
  const t = bots({ log: opts.log, config: { http: { port: 0, publicUrl: PUBLIC }, email: { from: FROM, smtp: { host: "127.0.0.1", port: smtp.port, tls: "none" } } } });
  t.bot.attach(new EmailAdapter({ host: "127.0.0.1", port: smtp.port, tls: "none", from: FROM }));
  await staffClinic(t, { advisers: ["bea --specialisms finance"] });
  await t.bot.start({ schedulerIntervalMs: 3600_000 });
  const base = `http://127.0.0.1:${t.bot.httpAddress()!.port}`;
  let n = 0;
  const ask = async (form: typeof DEE) => {
    const body = JSON.stringify(form);
    const key = webhookKey(SECRET);
    if ("error" in key) throw new Error(key.error);
    const headers = { "content-type": "application/json", ...signWebhook(key.key, { id: `msg_${++n}`, timestamp: Math.floor(t.clock.now() / 1000) }, body) };
    const res = await fetch(`${base}/clinic/enquiries`, { method: "POST", body, headers });
    expect(res.status).toBe(201);
    await t.bot.dispatcher.drain();
    return ((await res.json()) as { ref: string }).ref;
  };
  /** The reply page's address on this test's server, from the link an email carries. */
  const pageOf = (mail: ReceivedMail) => `${base}/clinic/reply/${LINK.exec(mail.text)![1]}`;
  return { t, smtp, base, ask, pageOf };
}

const say = async (t: TestBot, who: string, text: string, room = `dm:${who}`) => {
  await t.say(who, text, room);
  return t.texts();
};

describe("email to website enquirers", () => {
  it("acknowledges each enquiry with its reference and a private link, to its own address, with nothing of another enquiry", async () => {
    const { t, smtp, ask } = await setUp();
    expect(await ask(DEE)).toBe("CL-0001");
    expect(await ask(FAY)).toBe("CL-0002");
    expect(smtp.mails).toHaveLength(2);
    const [dee] = smtp.to(DEE.email);
    const [fay] = smtp.to(FAY.email);
    expect(dee!.headers.subject).toBe("Your Co-op Clinic enquiry CL-0001");
    expect(fay!.headers.subject).toBe("Your Co-op Clinic enquiry CL-0002");
    expect(dee!.headers.from).toBe('"Co-op Clinic" <clinic@example.coop>');
    expect(dee!.headers.to).toBe(DEE.email);
    expect(dee!.headers["message-id"]).toMatch(/^<.+@example\.coop>$/);
    expect(dee!.headers["auto-submitted"]).toBe("auto-generated");
    expect(dee!.text).toContain("Hello Dee Example,");
    expect(dee!.text).toContain("Your enquiry's reference is CL-0001");
    expect(dee!.text).toMatch(LINK);
    // She didn't tick consent on the form: she is told she can, on her page.
    expect(dee!.text).toContain("unless you agree");
    expect(fay!.text).toContain("You agreed that we may share your enquiry");
    // Two different links, each naming only its own enquiry.
    expect(LINK.exec(dee!.text)![1]).not.toBe(LINK.exec(fay!.text)![1]);
    for (const word of ["CL-0002", FAY.name, FAY.email, "cleaning", "Leeds"]) expect(dee!.text).not.toContain(word);
    for (const word of ["CL-0001", DEE.name, DEE.email, "bakers"]) expect(fay!.text).not.toContain(word);
    // The link is on record nowhere: the copy the outbox kept loses it once sent.
    await t.advance(10 * 60_000);
    const kept = t.db.$client.prepare("select message from outbox where platform = 'email'").all() as { message: string }[];
    expect(kept.map((r) => r.message).join("\n")).not.toMatch(/clinic\/reply\//);
  });

  it("a website enquiry end to end: acknowledged, answered by the triager by email, answered back on the page (Chromium), handed off with consent given on the page, resolved", async () => {
    const { t, smtp, ask, pageOf } = await setUp();
    await ask(DEE);
    await t.advance(40 * 60_000);
    await say(t, "tara", "/claim CL-0001", "triage");
    await say(t, "tara", "/triage CL-0001 --category finance");
    // The handoff waits for her consent, and the triager is told how to get it.
    expect((await say(t, "tara", "/handoff CL-0001 @bea"))[0]).toContain("they can agree on the page my emails link to");

    expect(await say(t, "tara", "/reply CL-0001 Thanks Dee! How many of the six would own shares, and is there a price yet?")).toEqual([
      "💬 *CL-0001* · @tara to Dee Example (by email):\n> Thanks Dee! How many of the six would own shares, and is there a price yet?",
      "✉️ Emailed to the enquirer of CL-0001, with a link to answer on their page.",
    ]);
    const mail = smtp.to(DEE.email).at(-1)!;
    expect(mail.headers.subject).toBe("Re: Your Co-op Clinic enquiry CL-0001");
    expect(mail.headers.references).toBe(smtp.to(DEE.email)[0]!.headers.references);
    expect(mail.text).toContain("tara of the Co-op Clinic has written to you about your enquiry CL-0001:\n\n> Thanks Dee! How many of the six would own shares, and is there a price yet?");

    // An internal note: never in an email, never on her page.
    await say(t, "tara", "/note CL-0001 wombatnote they sounded unsure about the price");
    // She opens the link from the email in a real browser, reads the conversation, and answers.
    const page = await browser.newPage();
    try {
      await page.goto(pageOf(mail));
      expect(await page.title()).toBe("Co-op Clinic enquiry CL-0001");
      expect(await page.locator("body").innerText()).not.toContain("wombatnote");
      const thread = await page.locator("#conversation + ol").innerText();
      expect(thread).toContain(DEE.text);
      expect(thread).toContain("tara (Co-op Clinic)");
      expect(thread).toContain("How many of the six would own shares");
      await page.getByLabel("Your message").fill("All six, equally. The owner asks 120k; we have 30k saved.");
      await page.getByRole("button", { name: "Send to the clinic" }).click();
      await page.waitForURL(/done=sent/);
      expect(await page.getByRole("status").innerText()).toBe("Sent: the clinic team has your message.");
      expect(await page.locator("#conversation + ol").innerText()).toContain("All six, equally.");
      // Consent, on the same page, with the keyboard alone.
      await page.getByRole("button", { name: "I agree to share it with an adviser" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/done=consent/);
    } finally {
      await page.close();
    }
    await t.bot.dispatcher.drain();
    const arrived = t.take();
    expect(arrived).toContain("[2026-08-17 09:40] bot -> triage: 📨 *CL-0001* · Dee Example wrote on their reply page (for @tara):\n  > All six, equally. The owner asks 120k; we have 30k saved.");
    expect(arrived).toContain("[2026-08-17 09:40] bot -> dm:tara: The enquirer agreed to share *CL-0001* with an adviser: /suggest CL-0001 finds one.");
    expect(getEnquiry(t.db, 1)).toMatchObject({ consentHow: "agreed on their reply page" });

    await say(t, "tara", "/handoff CL-0001 @bea");
    expect((await say(t, "bea", "/handoff accept CL-0001")).join("\n")).toContain("✅ @bea accepted *CL-0001*; it's theirs now. I've emailed the enquirer who will help.");
    expect(smtp.to(DEE.email).at(-1)!.text).toContain("bea, an adviser in our network, has taken it on");
    // The adviser writes; the email goes, and the triager sees it in the thread.
    await t.say("bea", "/reply CL-0001 Let's look at a community share offer for the other 90k.", "dm:bea");
    expect(smtp.to(DEE.email).at(-1)!.text).toContain("bea of the Co-op Clinic has written to you");
    expect(t.take().join("\n")).toContain("bot -> triage: 💬 *CL-0001* · @bea to Dee Example (by email):\n  > Let's look at a community share offer for the other 90k.");

    await say(t, "bea", "/resolve CL-0001 a share offer planned");
    expect(smtp.to(DEE.email).at(-1)!.text).toContain("Your enquiry CL-0001 is now closed");

    // On the record: every message, who and which way, in `enquiry` and in the stats.
    const view = (await say(t, "tara", "/enquiry CL-0001")).join("\n");
    expect(view).toContain("Conversation:");
    expect(view).toMatch(/💬 @tara \(by email\): Thanks Dee!/);
    expect(view).toMatch(/📨 Dee Example \(on their page\): All six, equally\./);
    expect(view).toMatch(/💬 @bea \(by email\): Let's look at a community share offer/);
    const stats = (await say(t, "admin", "/clinic stats")).join("\n");
    expect(stats).toContain("Conversations: 2 replies to enquirers (2 by email), 1 message from them (1 on the reply page) · median time to first reply: 40m (1)");
    expect(smtp.mails.every((m) => m.to.length === 1 && m.to[0] === DEE.email)).toBe(true);
    expect(smtp.mails.some((m) => m.text.includes("wombatnote"))).toBe(false);
  });

  it("refuses an altered link and an expired one in the browser; an expired one can ask for a fresh link by email", async () => {
    const { t, smtp, ask, pageOf } = await setUp();
    await ask(DEE);
    await ask(FAY);
    const url = pageOf(smtp.to(DEE.email)[0]!);
    const page = await browser.newPage();
    try {
      // One character changed, or her link pointed at Fay's enquiry number: refused, and nothing of either shown.
      const last = url.at(-1) === "A" ? "B" : "A";
      for (const altered of [url.slice(0, -1) + last, url.replace("/reply/1.", "/reply/2.")]) {
        const res = await page.goto(altered);
        expect(res!.status()).toBe(404);
        const text = await page.locator("body").innerText();
        expect(text).toContain("This link doesn't work");
        for (const word of ["CL-000", "bakers", "cleaning", "Dee", "Fay"]) expect(text).not.toContain(word);
      }
      // 30 days on, her link has expired.
      t.clock.set(t.clock.now() + 31 * DAY);
      const res = await page.goto(url);
      expect(res!.status()).toBe(410);
      const text = await page.locator("body").innerText();
      expect(text).toContain("This link has expired");
      expect(text).not.toContain("bakers");
      const before = smtp.to(DEE.email).length;
      await page.getByRole("button", { name: "Email me a fresh link" }).click();
      expect(await page.locator("h1").innerText()).toBe("Check your email");
      await t.bot.dispatcher.drain();
      const fresh = smtp.to(DEE.email).slice(before);
      expect(fresh).toHaveLength(1);
      expect(fresh[0]!.text).toContain("Here is a fresh link to the page of your enquiry CL-0001");
      await page.goto(pageOf(fresh[0]!));
      expect(await page.locator("#conversation + ol").innerText()).toContain(DEE.text);
    } finally {
      await page.close();
    }
  });

  it("keeps an email in the outbox while the SMTP server is down, and sends it when it returns", async () => {
    const { t, smtp, ask } = await setUp();
    await ask(DEE);
    await say(t, "tara", "/claim CL-0001", "triage");
    await smtp.stop();
    // Acknowledged to the triager only because it is durable: the reply is on record and waiting.
    expect(await say(t, "tara", "/reply CL-0001 Could you send us your draft business plan?")).toContain("✉️ Emailed to the enquirer of CL-0001, with a link to answer on their page.");
    const waiting = () => t.db.$client.prepare("select state, attempts from outbox where platform = 'email' and state = 'pending'").all() as { state: string; attempts: number }[];
    expect(waiting()).toEqual([{ state: "pending", attempts: 1 }]);
    expect(smtp.to(DEE.email)).toHaveLength(1);
    // Still down at the next try: it waits longer, never lost.
    await t.advance(5_000);
    expect(waiting()[0]!.attempts).toBeGreaterThan(1);
    await smtp.start();
    await t.advance(60_000);
    expect(waiting()).toEqual([]);
    expect(smtp.to(DEE.email).at(-1)!.text).toContain("> Could you send us your draft business plan?");
    expect(smtp.to(DEE.email)).toHaveLength(2);
  });

  it("tells the claimer when the enquirer's address is refused for good, and doesn't retry", async () => {
    const { t, smtp, ask } = await setUp();
    smtp.refuse.add("nobody@example.org");
    await ask({ ...DEE, email: "nobody@example.org" });
    await say(t, "tara", "/claim CL-0001", "triage");
    await t.say("tara", "/reply CL-0001 Could you send us your draft business plan?", "dm:tara");
    await t.bot.dispatcher.drain();
    const all = t.take();
    const told = all.filter((l) => l.includes("-> dm:tara") && l.includes("could not be delivered"));
    expect(told).toHaveLength(1);
    expect(told[0]).toContain("⚠️ My email to the enquirer of *CL-0001* could not be delivered (SMTP 550");
    expect(told[0]).toContain("Please reach them another way");
    const failed = t.db.$client.prepare("select count(*) as n from outbox where platform = 'email' and state = 'failed'").get() as { n: number };
    expect(failed.n).toBe(2);
    expect(smtp.mails).toHaveLength(0);
  });

  it("withdrawing consent on the page stops an offer the adviser hasn't accepted", async () => {
    const { t, smtp, ask, pageOf } = await setUp();
    await ask(FAY);
    await say(t, "tara", "/claim CL-0001", "triage");
    await say(t, "tara", "/triage CL-0001 --category governance");
    await say(t, "tara", "/handoff CL-0001 @bea");
    t.take();
    const page = await browser.newPage();
    try {
      await page.goto(pageOf(smtp.to(FAY.email)[0]!));
      await page.getByRole("button", { name: "Withdraw my consent" }).click();
      await page.waitForURL(/done=withdrawn/);
      expect(await page.getByRole("status").innerText()).toBe("Done: the clinic won't share your enquiry with an adviser.");
    } finally {
      await page.close();
    }
    await t.bot.dispatcher.drain();
    const out = t.take().join("\n");
    expect(out).toContain("bot -> dm:bea (edited): ↩️ The offer of *CL-0001* was withdrawn");
    expect(out).toContain("bot -> dm:tara: ↩️ The enquirer of *CL-0001* withdrew their consent to share it with an adviser. I withdrew the offer to @bea.");
    expect(out).not.toContain("cleaning co-op");
    expect((await say(t, "bea", "/handoff accept CL-0001"))[0]).toBe("CL-0001 isn't offered to you.");
  });

  it("erasing the enquiry takes the conversation with it: the page, the record and the emails kept", async () => {
    const { t, smtp, ask, pageOf } = await setUp();
    await ask(DEE);
    await say(t, "tara", "/claim CL-0001", "triage");
    await say(t, "tara", "/reply CL-0001 Could you send us your draft business plan?");
    const url = pageOf(smtp.to(DEE.email).at(-1)!);
    const form = new URLSearchParams({ action: "message", message: "Attached below: our plan shows break-even in year two." });
    const posted = await fetch(url, { method: "POST", body: form, redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect(posted.status).toBe(303);
    await say(t, "tara", "/resolve CL-0001 advised on the plan");
    bots.secrets.push(DEE.text, "Could you send us your draft business plan?", "Attached below: our plan shows break-even in year two.");
    expect(await say(t, "admin", "/clinic erase CL-0001")).toContain("Erased CL-0001: its text, contact details and notes are gone, and so is who asked. The clinic keeps only that an enquiry was made and closed.");
    const rows = t.db.$client.prepare("select direction, author_id as authorId, via, text from clinic_messages").all();
    expect(rows).toEqual([
      { direction: "out", authorId: 2, via: "email", text: null },
      { direction: "in", authorId: null, via: "page", text: null },
    ]);
    const emails = t.db.$client.prepare("select message, target from outbox where platform = 'email'").all() as { message: string; target: string }[];
    expect(emails.map((e) => e.message + e.target).join("\n")).not.toMatch(/bakers|business plan|dee@example|clinic\/reply/);
    const res = await fetch(url);
    expect(res.status).toBe(410);
    expect(await res.text()).toContain("This conversation was erased");
  });

  it("logs at debug level hold nothing of the conversation, the address or the private link, and still say what happened", async () => {
    const logged: string[] = [];
    const log = createLogger({ level: "debug", destination: new Writable({ write: (chunk, _e, cb) => (logged.push(String(chunk)), cb()) }) });
    const { t, smtp, ask, pageOf } = await setUp({ log });
    smtp.refuse.add("gone@example.net");
    await ask(DEE);
    await ask({ ...FAY, email: "gone@example.net" });
    await say(t, "tara", "/claim CL-0001", "triage");
    await say(t, "tara", "/reply CL-0001 quollword could you send us the draft business plan please");
    const url = pageOf(smtp.to(DEE.email).at(-1)!);
    const token = url.split("/").at(-1)!;
    await fetch(url);
    await fetch(url, { method: "POST", body: new URLSearchParams({ action: "message", message: "dibblerword here it is, break-even in year two" }), redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded" } });
    await fetch(url.slice(0, -2) + "xx");
    await t.bot.dispatcher.drain();
    const all = logged.join("\n").toLowerCase();
    for (const secret of ["quollword", "dibblerword", "break-even", "bakers", "cleaning", DEE.email, "gone@example.net", "dee example", token.split(".")[2]!]) {
      expect(all, secret).not.toContain(secret.toLowerCase());
    }
    // What an operator needs: the page's requests by reference and status, and the refused email.
    expect(all).toContain('"ref":"cl-0001"');
    expect(all).toContain("clinic reply page");
    expect(all).toContain("message could not be delivered; giving up");
  });
});
