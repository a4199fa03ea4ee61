// What the clinic emails a website enquirer, and how: each email is one
// outbox row on the `email` platform (adapters/email sends it, retried like
// any message), to the address they gave, carrying a fresh private link to
// their reply page. Once sent, the stored copy loses its words and the link
// (a copy of the database must open no conversation); the conversation
// itself is on the record in clinic_messages.
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { mailKey, redactSentEmail } from "../../db/clinic-outbox.ts";
import { getEnquiry, refOf, type Enquiry } from "../../db/clinic.ts";
import { day, dmText } from "./access.ts";
import { triagerIds } from "./cards.ts";
import { clinicSettings, emailOn } from "./config.ts";
import { replyToken, replyUrl } from "./reply-link.ts";
import { contactLine } from "./view.ts";

const FORGET_EMAIL_JOB = "clinic.forget-sent-email";
const MINUTE = 60_000;

interface Link {
  url: string;
  /** The day it stops working, in words. */
  until: string;
}

/** Quotes a message line by line, for plain-text mail. */
const quoted = (text: string) => text.split(/\r?\n/).map((line) => `> ${esc(line)}`).join("\n");

function subject(e: Enquiry, first: boolean): string {
  return `${first ? "" : "Re: "}Your Co-op Clinic enquiry ${refOf(e.id)}`;
}

function greeting(e: Enquiry): string {
  return `Hello ${esc(e.contactName ?? "")},`.replace(" ,", ",");
}

function signature(ctx: BaseContext): string {
  return `The Co-op Clinic, ${esc(ctx.config.federation.name)}`;
}

/** The page, and what it is for; in every email. */
function pageLines(link: Link): string[] {
  return [
    "Your private page for this enquiry, to read the conversation and write to the clinic:",
    link.url,
    `It is yours alone, so please don't pass it on. It works until ${link.until}; every email from us brings a fresh link. Replies to this email don't reach the clinic: please write on the page.`,
  ];
}

/** While it could still be handed to an adviser: how to agree, or to take agreement back. */
function consentLines(e: Enquiry, link: Link): string[] {
  if (e.state === "with-adviser" || e.state === "resolved") return [];
  if (e.consentAt !== null) return [`You agreed that we may share your enquiry with an adviser from our network. To withdraw that: ${link.url}#consent`];
  return [`We won't share your enquiry with an adviser from our network unless you agree. If one would help, you can agree on the page: ${link.url}#consent`];
}

/**
 * Queues one email to the enquirer with a fresh link. Nothing when email is
 * off, the enquiry isn't from the website, or it has been erased.
 */
function send(ctx: BaseContext, e: Enquiry, compose: (link: Link) => { first?: boolean; paragraphs: string[][] }): number | undefined {
  if (!emailOn(ctx.config) || e.source !== "website" || !e.contactEmail || e.erasedAt !== null) return undefined;
  const expiresAt = ctx.now + clinicSettings(ctx.config).replyLinkMs;
  const link = { url: replyLinkUrl(ctx, e.id, expiresAt), until: day(ctx, expiresAt) };
  const { first, paragraphs } = compose(link);
  const text = [[greeting(e)], ...paragraphs, pageLines(link), [signature(ctx)]].map((p) => p.join("\n")).join("\n\n");
  const id = ctx.post({ kind: "room", platform: "email", roomId: e.contactEmail, thread: refOf(e.id) }, { text, subject: subject(e, first ?? false), key: mailKey(e.id) });
  forgetOnceSent(ctx, id);
  return id;
}

function replyLinkUrl(ctx: BaseContext, enquiryId: number, expiresAt: number): string {
  return replyUrl(ctx.config, replyToken(ctx.db, enquiryId, expiresAt));
}

/** The first email: the enquiry arrived, here is its reference. */
export function emailAcknowledgement(ctx: BaseContext, e: Enquiry): number | undefined {
  return send(ctx, e, (link) => ({
    first: true,
    paragraphs: [
      [`Thank you for writing to the Co-op Clinic of ${esc(ctx.config.federation.name)}. Your enquiry's reference is ${refOf(e.id)}; a member of the clinic team will pick it up soon.`],
      consentLines(e, link),
    ],
  }));
}

/** A message from the clinic (`reply`), in the words its author wrote. */
export function emailReply(ctx: BaseContext, e: Enquiry, authorName: string, text: string): number | undefined {
  return send(ctx, e, (link) => ({ paragraphs: [[`${esc(authorName)} of the Co-op Clinic has written to you about your enquiry ${refOf(e.id)}:`], [quoted(text)], consentLines(e, link)] }));
}

export function emailAdviserTookIt(ctx: BaseContext, e: Enquiry, adviserName: string): number | undefined {
  return send(ctx, e, () => ({ paragraphs: [[`Good news about your enquiry ${refOf(e.id)}: ${esc(adviserName)}, an adviser in our network, has taken it on and will write to you through your page.`]] }));
}

export function emailClosed(ctx: BaseContext, e: Enquiry): number | undefined {
  return send(ctx, e, () => ({
    paragraphs: [[`Your enquiry ${refOf(e.id)} is now closed; we hope we helped. You can still read the conversation on your page, and erase it there if you would like us to keep none of what you wrote.`]],
  }));
}

/** Asked for from the page of an expired link. */
export function emailFreshLink(ctx: BaseContext, e: Enquiry): number | undefined {
  return send(ctx, e, (link) => ({ paragraphs: [[`Here is a fresh link to the page of your enquiry ${refOf(e.id)}, as you asked.`], consentLines(e, link)] }));
}

/** Five minutes after it was queued, then hourly while it waits (an SMTP outage): the resend needs the text until it has gone. */
function forgetOnceSent(ctx: BaseContext, outboxId: number, attempt = 0): void {
  ctx.schedule({ kind: FORGET_EMAIL_JOB, key: `clinic-email:${outboxId}:${attempt}`, dueAt: ctx.now + (attempt === 0 ? 5 * MINUTE : 60 * MINUTE), payload: { outboxId, attempt } });
}

const SENT = "✉️ An email to a website enquirer (its text was taken out of the bot's records once sent).";

export const forgetSentEmail = defineJob<{ outboxId: number; attempt: number }>({
  kind: FORGET_EMAIL_JOB,
  run(ctx, { outboxId, attempt }) {
    const done = redactSentEmail(ctx.db, outboxId, SENT);
    if (done === "done") return ctx.services.scrubWal?.();
    if (done === "pending") return forgetOnceSent(ctx, outboxId, attempt + 1);
    ctx.skip("the email is no longer in the outbox");
  },
});

/**
 * An email was refused for good (an address that doesn't exist): the
 * claimer hears of it (or, before anyone claims it, the triagers), since
 * only a person can reach the enquirer another way.
 */
export function reportBouncedEmail(ctx: BaseContext, key: string, error: string): boolean {
  const m = /^clinic:mail:(\d+)$/.exec(key);
  if (!m) return false;
  const e = getEnquiry(ctx.db, Number(m[1]));
  if (!e || e.erasedAt !== null) return true;
  const ref = refOf(e.id);
  const who = e.claimedBy !== null ? [e.claimedBy] : triagerIds(ctx);
  const text = `⚠️ My email to the enquirer of *${ref}* could not be delivered (${esc(error)}). ${contactLine(e)}\nPlease reach them another way if you can, and record it with ${cmd(`note ${ref} <text>`)}.`;
  for (const id of who) dmText(ctx, id, e.id, text);
  return true;
}
