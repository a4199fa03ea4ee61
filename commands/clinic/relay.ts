// One conversation per enquiry, with two ends. The enquirer's end is their
// DM with the bot (chat) or email plus their reply page (website). The
// clinic's end is the enquiry's thread in the private triage room (under
// its first card), or the claimer's DMs where there is no triage room; and,
// once an adviser has accepted it, the adviser's DMs too. Every message
// either way is stored with the enquiry (clinic_messages) and posted under
// its text key, so erasing it edits every copy away.
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { limitNote } from "../../bot/limits.ts";
import { addMessage, enquirerMessagesSince, lastEnquirerMessage, openEnquiriesAskedBy, setAskerPlatform, type Via } from "../../db/clinic-conversation.ts";
import { threadRootRef } from "../../db/clinic-outbox.ts";
import { refOf, type Enquiry } from "../../db/clinic.ts";
import { getMember } from "../../db/members.ts";
import { dmText, textKey, toAsker } from "./access.ts";
import { triagerIds } from "./cards.ts";
import { clinicSettings, emailOn } from "./config.ts";
import { emailReply } from "./emails.ts";
import { MAX_QUESTION, quote } from "./intake.ts";

const DAY = 24 * 3600_000;

/** Whether its conversation is still live: closing or erasing an enquiry ends it. */
export const isLive = (e: Enquiry) => e.state !== "resolved" && e.erasedAt === null;

/** Refuses for an enquiry whose conversation has ended. */
export function requireLive(ctx: BaseContext, e: Enquiry): void {
  if (e.erasedAt !== null) ctx.fail(`${refOf(e.id)} was erased at the enquirer's request.`);
  if (e.state === "resolved") ctx.fail(`${refOf(e.id)} is closed, so its conversation with the enquirer has ended.`);
}

/**
 * Posts to the clinic's end of the conversation: the thread in the triage
 * room (or, without one, the claimer, or every triager while nobody has
 * claimed it) and the accepted adviser. `except`: the author, who needs no
 * copy of their own words; `notThread`: they wrote in the thread itself.
 */
export function toClinicSide(ctx: BaseContext, e: Enquiry, text: string, opts: { except?: number; notThread?: boolean } = {}): void {
  const room = clinicSettings(ctx.config).triageRoom;
  if (room && !opts.notThread) {
    const root = threadRootRef(ctx.db, e.id, room);
    ctx.post({ kind: "room", platform: room.platform, roomId: room.id, ...(root ? { thread: root } : {}) }, { text, key: textKey(e.id) });
  } else if (!room) {
    const triage = e.claimedBy !== null ? [e.claimedBy] : triagerIds(ctx);
    for (const id of triage) if (id !== opts.except) dmText(ctx, id, e.id, text);
  }
  if (e.state === "with-adviser" && e.adviserId !== null && e.adviserId !== opts.except) dmText(ctx, e.adviserId, e.id, text);
}

/** How the enquirer is named to the clinic: their mention in chat, the name they gave on the website. */
function enquirerName(e: Enquiry): string {
  return e.askerId !== null ? mention(e.askerId) : esc(e.contactName ?? "the enquirer");
}

/** Refuses what the relay won't take: nothing, too long, or past the day's limit (counted per enquiry). */
function checkEnquirerMessage(ctx: BaseContext, e: Enquiry, text: string): string {
  const trimmed = text.trim();
  if (!trimmed) ctx.fail(`Write your message after ${cmd(`reply ${refOf(e.id)}`)}.`);
  if (trimmed.length > MAX_QUESTION) ctx.fail(`That message is ${trimmed.length} characters long; the clinic takes up to ${MAX_QUESTION} at a time. Could you split it?`);
  const limit = ctx.config.limits.clinic.messagesPerDay;
  if (enquirerMessagesSince(ctx.db, e.id, ctx.now - DAY) >= limit) {
    ctx.fail(`You've sent ${limit} messages about ${refOf(e.id)} in the last 24 hours, which is as many as the clinic takes in a day; the team will read what you sent and answer. ${limitNote("clinic.messagesPerDay")}`);
  }
  return trimmed;
}

/**
 * The enquirer wrote (in their DM, with `reply`, or on the reply page):
 * stored, and posted to the clinic's end, naming the claimer so they hear of
 * it. False when it was the very words they sent last, again (a second
 * click on the page's button), which are not sent twice.
 */
export function relayFromEnquirer(ctx: BaseContext, e: Enquiry, text: string, from: { via: Exclude<Via, "email">; memberId: number | null }): boolean {
  requireLive(ctx, e);
  const words = checkEnquirerMessage(ctx, e, text);
  const last = lastEnquirerMessage(ctx.db, e.id);
  if (last && last.text === words && ctx.now - last.createdAt < 10 * 60_000) return false;
  addMessage(ctx.db, { enquiryId: e.id, direction: "in", authorId: from.memberId, via: from.via, text: words, now: ctx.now });
  const how = from.via === "page" ? " on their reply page" : "";
  const heads = e.claimedBy !== null ? ` (for ${mention(e.claimedBy)})` : "";
  toClinicSide(ctx, e, `📨 *${refOf(e.id)}* · ${enquirerName(e)} wrote${how}${heads}:\n${quote(words)}`);
  return true;
}

/** The enquirer wrote from another of their (linked) accounts: the clinic's answers follow them there. */
export function followEnquirer(ctx: CommandContext, enquiries: Enquiry[]): void {
  setAskerPlatform(
    ctx.db,
    enquiries.filter((e) => e.askerPlatform !== ctx.actor.platform).map((e) => e.id),
    ctx.actor.platform,
  );
}

/** What the enquirer is told about answering, by how many conversations they have open. */
function answerHint(ctx: BaseContext, e: Enquiry): string {
  const open = e.askerId === null ? 1 : openEnquiriesAskedBy(ctx.db, e.askerId).length;
  return open > 1 ? `To answer, type ${cmd(`reply ${refOf(e.id)} <your message>`)}.` : `To answer, just write here and I'll pass it on.`;
}

/**
 * The claimer or the adviser writes to the enquirer: in their DM on the
 * platform they last wrote from, or by email to a website enquirer. Stored,
 * and copied to the rest of the clinic's end. Undefined when the enquirer
 * can't be written to here (a website enquiry without email).
 */
export function relayToEnquirer(ctx: CommandContext, e: Enquiry, text: string, opts: { inThread?: boolean } = {}): "chat" | "email" | undefined {
  requireLive(ctx, e);
  const me = ctx.actor.memberId;
  const ref = refOf(e.id);
  let via: "chat" | "email";
  if (e.source === "website") {
    if (!emailOn(ctx.config)) return undefined;
    emailReply(ctx, e, getMember(ctx.db, me)?.displayName ?? ctx.actor.displayName, text);
    via = "email";
  } else {
    toAsker(ctx, e, { text: `💬 *Co-op Clinic, about ${ref}* — from ${mention(me)}:\n${quote(text)}\n${answerHint(ctx, e)}`, key: textKey(e.id) });
    via = "chat";
  }
  addMessage(ctx.db, { enquiryId: e.id, direction: "out", authorId: me, via, text, now: ctx.now });
  toClinicSide(ctx, e, `💬 *${ref}* · ${mention(me)} to ${enquirerName(e)}${via === "email" ? " (by email)" : ""}:\n${quote(text)}`, { except: me, notThread: opts.inThread });
  return via;
}
