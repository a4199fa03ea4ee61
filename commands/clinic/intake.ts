// Asking the clinic from chat (`clinic ask`, taken out of the room at once)
// and erasing a closed enquiry (`clinic erase`). The website's intake
// shares `openEnquiry`; consent is in consent.ts.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { eraseEnquiry, insertEnquiry, recordConsent, refOf, type Enquiry, type NewEnquiry } from "../../db/clinic.ts";
import { handoffsOf } from "../../db/clinic-network.ts";
import { forgetEmails } from "../../db/clinic-outbox.ts";
import type { Target } from "../../bot/events.ts";
import { redactMessagesWithKey, redactOutboxRow, rowsMentioning } from "../../db/outbox.ts";
import { forgetAllPages } from "../../db/reply-pages.ts";
import { dmText, findEnquiry, isLead, offerKey, refArg, textKey, toAsker, when } from "./access.ts";
import { announce } from "./cards.ts";

export const MAX_QUESTION = 4000;

/** Quotes user text as a block, escaped, line by line. */
export const quote = (text: string) => text.split(/\r?\n/).map((line) => `> ${esc(line)}`).join("\n");

/** Stores a new enquiry and puts its card in front of the triagers. Undefined if it already exists (same idempotency key). */
export function openEnquiry(ctx: BaseContext, row: Omit<NewEnquiry, "createdAt" | "state">): Enquiry | undefined {
  const enquiry = insertEnquiry(ctx.db, { ...row, state: "open", createdAt: ctx.now });
  if (enquiry) announce(ctx, enquiry);
  return enquiry;
}

export const clinicAsk = defineCommand({
  name: "clinic ask",
  summary: "Ask the Co-op Clinic for help (privately: only the clinic team sees your question)",
  description: "Typed in a room, your message is taken out of the room at once and I answer you by direct message with a reference.",
  examples: ["clinic ask how do we convert our business to a worker co-op?", "clinic ask we need help with our rules"],
  args: z.object({ question: z.string().optional().describe("your question, in your own words") }),
  positional: ["question..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const question = (args.question ?? "").trim();
    if (!question) return ctx.reply(`Tell me your question after ${cmd("clinic ask")}, e.g. ${cmd("clinic ask we need help with our rules")}. Only the clinic team will see it.`);
    // The router's clinic guard has already taken the question out of a public room (guard.ts).
    const moved = whereTheQuestionWent(ctx);
    if (question.length > MAX_QUESTION) {
      ctx.toMember(ctx.actor.memberId, `Your question is ${question.length} characters long; the clinic takes up to ${MAX_QUESTION}. Could you shorten it and ask again?${moved}`);
      return;
    }
    const enquiry = openEnquiry(ctx, { source: "chat", askerId: ctx.actor.memberId, askerPlatform: ctx.actor.platform, text: question })!;
    const ref = refOf(enquiry.id);
    dmText(ctx, ctx.actor.memberId, enquiry.id, {
      text: [
        `Thanks! Your question is with the Co-op Clinic as *${ref}*.${moved} A triager will pick it up soon.`,
        quote(question),
        `May we share it with an adviser from our network, if that would help? Say yes with ${cmd(`consent ${ref}`)}. ${cmd(`enquiry ${ref}`)} shows it again.`,
      ].join("\n"),
      buttons: [{ label: "Yes, share it with an adviser", command: `consent ${ref}`, style: "primary" }],
    });
  },
});

/**
 * What became of the question typed in a room: taken out where the platform
 * lets the bot remove it (by the clinic's room guard). Where it can't (an
 * @mention on Slack), the guard has already asked them to delete it.
 */
function whereTheQuestionWent(ctx: CommandContext): string {
  if (ctx.event.room.kind === "dm" || !ctx.event.visibleInRoom || !ctx.event.messageRef) return "";
  return ` I took it out of ${esc(ctx.event.room.name ?? "the room")} so only the clinic team sees it.`;
}

export const clinicErase = defineCommand({
  name: "clinic erase",
  summary: "Erase the text of your closed clinic enquiry (the clinic keeps only that it happened)",
  examples: ["clinic erase CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: "everyone",
  run(ctx, args) {
    const enquiry = findEnquiry(ctx, args.ref);
    const ref = refOf(enquiry.id);
    // First: once erased, nobody is known to have asked it.
    if (enquiry.erasedAt !== null) return ctx.reply(`${ref} was already erased on ${when(ctx, enquiry.erasedAt)}.`);
    if (enquiry.askerId !== ctx.actor.memberId && !ctx.isAdmin) return ctx.fail(`Only the person who asked ${ref} (or an admin, for a website enquirer) can erase it.`);
    if (enquiry.state !== "resolved") return ctx.fail(`${ref} is still open; it can be erased once the clinic has closed it.`);
    eraseEverywhere(ctx, enquiry, `🗑️ *${ref}* was erased at the enquirer's request.`);
    if (enquiry.askerId !== ctx.actor.memberId) toAsker(ctx, enquiry, `${mention(ctx.actor.memberId)} erased your clinic enquiry ${ref}, as you asked.`);
    ctx.reply(`Erased ${ref}: its text, contact details and notes are gone, and so is who asked. The clinic keeps only that an enquiry${enquiry.category ? ` about ${enquiry.category}` : ""} was made and closed.`);
  },
});

/**
 * Erases a closed enquiry and what we kept of the messages about it: every
 * copy that carried its text is replaced and edited on its platform, and
 * any other message that tied the enquirer to its reference (a note to them
 * about it, a triager told they hadn't consented yet) keeps only a note.
 * The WAL is emptied after the commit, so the text leaves the file.
 */
export function eraseEverywhere(ctx: BaseContext, enquiry: Enquiry, gone: string): void {
  eraseEnquiry(ctx.db, enquiry.id, ctx.now);
  // Emails can't be edited once sent; what we kept of them (words, address, link) goes, and one still waiting never goes.
  forgetEmails(ctx.db, enquiry.id, gone);
  // A long `enquiry` or `clinic queue` answer may have kept a page of it for `more`.
  forgetAllPages(ctx.db);
  // secure_delete zeroes the rows in the database; the WAL still holds them as they were.
  ctx.services.scrubWal?.();
  for (const key of [textKey(enquiry.id), ...handoffsOf(ctx.db, enquiry.id).map((h) => offerKey(h.id))]) {
    redactMessagesWithKey(ctx.db, key, gone);
    ctx.update(key, gone);
  }
  if (enquiry.askerId !== null) forgetAskerIn(ctx, enquiry.id, enquiry.askerId, gone);
}

/** Stored copies that name both the reference and the person who asked it, or went to them about it. */
function forgetAskerIn(ctx: BaseContext, enquiryId: number, askerId: number, gone: string): void {
  const ref = refOf(enquiryId);
  const exactRef = new RegExp(`${ref}(?!\\d)`);
  for (const row of rowsMentioning(ctx.db, ref)) {
    const target = JSON.parse(row.target) as Target;
    const toAsker = target.kind !== "room" && target.memberId === askerId;
    if (exactRef.test(row.message) && (toAsker || row.message.includes(mention(askerId)))) redactOutboxRow(ctx.db, row, gone);
  }
}
