// The enquirer's consent to share their enquiry with an adviser: given
// (`consent`, the website form, or their reply page) and taken back
// (`consent withdraw`, or the reply page). Nothing reaches an adviser
// without it; taking it back stops a handoff that hasn't been accepted (the
// offer, which carried the text, is edited away), and tells those who had it.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { withdrawConsent } from "../../db/clinic-conversation.ts";
import { recordConsent, refOf, type Enquiry } from "../../db/clinic.ts";
import { decideHandoff, liveHandoff } from "../../db/clinic-network.ts";
import { findEnquiry, isLead, offerKey, refArg, replyPrivately, when } from "./access.ts";

/** Records consent and tells the claimer; false if it was already given. */
export function giveConsent(ctx: BaseContext, e: Enquiry, how: string, by?: number): boolean {
  if (!recordConsent(ctx.db, e.id, how, ctx.now)) return false;
  if (e.claimedBy !== null && e.claimedBy !== by) {
    ctx.toMember(e.claimedBy, `The enquirer agreed to share *${refOf(e.id)}* with an adviser: ${cmd(`suggest ${refOf(e.id)}`)} finds one.`);
  }
  return true;
}

/**
 * Takes consent back. An offer waiting for an adviser's answer is withdrawn
 * and its message (which quoted the enquiry) edited to say so; an adviser
 * who already accepted keeps it, and they and the claimer are told.
 * "none" when there was no consent to take back.
 */
export function takeBackConsent(ctx: BaseContext, e: Enquiry, by?: number): "withdrawn" | "none" {
  if (!withdrawConsent(ctx.db, e.id, ctx.now)) return "none";
  const ref = refOf(e.id);
  const live = liveHandoff(ctx.db, e.id);
  let news = `↩️ The enquirer of *${ref}* withdrew their consent to share it with an adviser.`;
  if (live?.state === "offered" && decideHandoff(ctx.db, live.id, { state: "withdrawn", now: ctx.now })) {
    ctx.update(offerKey(live.id), `↩️ The offer of *${ref}* was withdrawn (${when(ctx, ctx.now)}): the enquirer no longer agrees to share it with an adviser. Nothing more to do.`);
    news += ` I withdrew the offer to ${mention(live.adviserId)}.`;
  } else if (live?.state === "accepted") {
    news += ` ${mention(live.adviserId)} had already taken it on, so it stays with them: talk it over with the enquirer.`;
    if (live.adviserId !== by) ctx.toMember(live.adviserId, news);
  }
  if (e.claimedBy !== null && e.claimedBy !== by) ctx.toMember(e.claimedBy, news);
  return "withdrawn";
}

/** How the consent was given or taken back, by who is recording it; refuses anyone else. */
function recordedHow(ctx: CommandContext, e: Enquiry, how: string | undefined, doing: { verb: string; example: string }): string {
  const ref = refOf(e.id);
  if (e.askerId === ctx.actor.memberId) return `${doing.verb} in chat`;
  if (e.source === "website" && (e.claimedBy === ctx.actor.memberId || isLead(ctx))) {
    if (!how?.trim()) ctx.fail(`Say how the enquirer ${doing.verb}, e.g. ${cmd(doing.example)}.`);
    return `recorded by ${ctx.actor.displayName}: ${how!.trim()}`;
  }
  return ctx.fail(`Only the person who asked ${ref} can ${doing.verb === "agreed" ? "agree to share it" : "withdraw their consent"}.`);
}

export const consent = defineCommand({
  name: "consent",
  summary: "Agree that the clinic may share your enquiry with an adviser",
  description:
    "The person who asked types it (a website enquirer uses the page linked in the clinic's emails). For a website enquiry, its triager may record consent the enquirer gave them by phone, saying how. `consent withdraw` takes it back.",
  examples: ["consent CL-0042", "consent CL-0042 agreed by phone on 3 Sep"],
  args: z.object({ ref: refArg, how: z.string().max(300).optional().describe("for a website enquiry: how the enquirer agreed") }),
  positional: ["ref", "how..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    if (e.erasedAt !== null || e.state === "resolved") return ctx.fail(`${ref} is closed.`);
    const how = recordedHow(ctx, e, args.how, { verb: "agreed", example: `consent ${ref} agreed by phone on 3 Sep` });
    if (!giveConsent(ctx, e, how, ctx.actor.memberId)) return ctx.reply(`Consent to share ${ref} was already recorded on ${when(ctx, e.consentAt!)}.`);
    ctx.reply(e.askerId === ctx.actor.memberId ? `Thank you: the clinic may now share ${ref} with an adviser from our network. ${cmd(`consent withdraw ${ref}`)} takes that back.` : `Recorded: the enquirer of ${ref} agreed to share it with an adviser.`);
  },
});

export const consentWithdraw = defineCommand({
  name: "consent withdraw",
  summary: "Take back your agreement to share your enquiry with an adviser",
  description: "An offer to an adviser who hasn't accepted yet is withdrawn at once. For a website enquiry, its triager may record that the enquirer took it back by phone, saying how.",
  examples: ["consent withdraw CL-0042", "consent withdraw CL-0042 said so on the phone"],
  args: z.object({ ref: refArg, how: z.string().max(300).optional().describe("for a website enquiry: how the enquirer said so") }),
  positional: ["ref", "how..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    if (e.erasedAt !== null || e.state === "resolved") return ctx.fail(`${ref} is closed.`);
    recordedHow(ctx, e, args.how, { verb: "withdrew", example: `consent withdraw ${ref} said so on the phone` });
    if (takeBackConsent(ctx, e, ctx.actor.memberId) === "none") return ctx.reply(`${ref} has no consent to share it with an adviser, so there is nothing to withdraw.`);
    const live = liveHandoff(ctx.db, e.id);
    const mine = e.askerId === ctx.actor.memberId;
    const still = live?.state === "accepted" ? ` It was already with an adviser, who keeps it; the clinic team will talk it over with ${mine ? "you" : "the enquirer"}.` : " Nobody new will see it.";
    replyPrivately(ctx, mine ? `Done: the clinic won't share ${ref} with an adviser.${still}` : `Recorded: the enquirer of ${ref} withdrew their consent.${still}`);
  },
});
