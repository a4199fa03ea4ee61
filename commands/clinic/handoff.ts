// Handing an enquiry to an adviser: only with the enquirer's consent; the
// adviser accepts (a transaction is recorded) or declines with a reason
// (the claimer gets the next suggestion). Each answer is one conditional
// UPDATE on the offer, so a double click decides once.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { getEnquiry, markWithAdviser, refOf, type Enquiry } from "../../db/clinic.ts";
import { decideHandoff, getAdviser, insertHandoff, insertTransaction, liveHandoff, liveHandoffCounts, type Handoff } from "../../db/clinic-network.ts";
import { TRIAGERS, day, dmPlatform, dmText, findEnquiry, offerKey, refArg, requireHolder, toAsker, when } from "./access.ts";
import { emailOn } from "./config.ts";
import { emailAdviserTookIt } from "./emails.ts";
import { scheduleCheckIn } from "./resolve.ts";
import { isAway, suggestionMessage } from "./suggest.ts";
import { contactLine, enquiryView, statusLine } from "./view.ts";

function requireConsent(ctx: CommandContext, e: Enquiry): void {
  if (e.consentAt !== null) return;
  const ref = refOf(e.id);
  if (e.source === "website" && emailOn(ctx.config)) {
    ctx.fail(`The website enquirer of ${ref} hasn't agreed to share it with an adviser. Ask them (${cmd(`reply ${ref} <message>`)}): they can agree on the page my emails link to, or you record what they told you with ${cmd(`consent ${ref} <how they agreed>`)}.`);
  }
  if (e.source === "website") ctx.fail(`The website enquirer of ${ref} didn't agree to share it with an adviser. Ask them (${cmd(`reply ${ref} <message>`)}), then record their answer with ${cmd(`consent ${ref} <how they agreed>`)}.`);
  ctx.fail(`${mention(e.askerId!)} hasn't agreed to share ${ref} with an adviser yet. I asked when they wrote in; they can agree with ${cmd(`consent ${ref}`)}, or ask them with ${cmd(`reply ${ref} <message>`)}.`);
}

export const handoff = defineCommand({
  name: "handoff",
  summary: "Offer a claimed enquiry to an adviser (needs the enquirer's consent)",
  examples: ["handoff CL-0042 @bea they need help with cash-flow forecasting"],
  args: z.object({ ref: refArg, adviser: z.string().describe("the adviser, as an @mention"), note: z.string().max(1000).optional().describe("a word for the adviser") }),
  positional: ["ref", "adviser", "note..."],
  freeText: true,
  allow: TRIAGERS,
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    if (e.state !== "claimed") return ctx.fail(`${ref} is ${statusLine(e)}; only a claimed enquiry can be handed off.`);
    requireHolder(ctx, e, "hand it off");
    if (!e.category) return ctx.fail(`${ref} has no category yet: ${cmd(`triage ${ref} --category <category>`)} first.`);
    requireConsent(ctx, e);
    const member = ctx.resolveMember(args.adviser);
    const adviser = getAdviser(ctx.db, member.id);
    if (!adviser) return ctx.fail(`${mention(member.id)} isn't in the adviser directory; ${cmd(`advisers ${e.category}`)} lists who is.`);
    if (member.id === e.askerId) return ctx.fail(`${mention(member.id)} asked ${ref} themselves.`);
    if (isAway(ctx, adviser)) return ctx.fail(`${mention(member.id)} is away until ${day(ctx, adviser.awayUntil!)}; ${cmd(`suggest ${ref}`)} finds someone else.`);
    const load = liveHandoffCounts(ctx.db).get(member.id) ?? 0;
    if (load >= adviser.capacity) return ctx.fail(`${mention(member.id)} already has ${load} of ${adviser.capacity} enquiries; ${cmd(`suggest ${ref}`)} finds someone with room.`);
    const note = args.note?.trim() || null;
    const offer = insertHandoff(ctx.db, { enquiryId: e.id, adviserId: member.id, offeredBy: ctx.actor.memberId, note, now: ctx.now });
    if (!offer) return ctx.fail(`${ref} is already offered to ${mention(liveHandoff(ctx.db, e.id)!.adviserId)}.`);
    const words = note ? `\nFrom ${mention(ctx.actor.memberId)}: ${esc(note)}` : "";
    ctx.toMember(member.id, {
      text: `${enquiryView(ctx, e, { team: true, lead: `📨 ${mention(ctx.actor.memberId)} would like to hand you` })}${words}\nWill you take it on? ${cmd(`handoff accept ${ref}`)} or ${cmd(`handoff decline ${ref} <reason>`)}.`,
      buttons: [
        { label: "Accept", command: `handoff accept ${ref}`, style: "primary" },
        { label: "Decline", command: `handoff decline ${ref}`, style: "danger" },
      ],
      key: offerKey(offer.id),
    });
    ctx.reply(`Offered ${ref} to ${mention(member.id)}; I'll tell you when they answer.`);
  },
});

/** The offer to the asking adviser, or a refusal that says why not. */
function myOffer(ctx: CommandContext, e: Enquiry): Handoff {
  const ref = refOf(e.id);
  const live = liveHandoff(ctx.db, e.id);
  if (live?.adviserId === ctx.actor.memberId && live.state === "offered") return live;
  if (live?.adviserId === ctx.actor.memberId) return ctx.fail(`You already accepted ${ref}.`);
  return ctx.fail(`${ref} isn't offered to you.`);
}

export const handoffAccept = defineCommand({
  name: "handoff accept",
  summary: "Accept an enquiry a triager offered you",
  examples: ["handoff accept CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: ["adviser"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const offer = myOffer(ctx, e);
    const me = ctx.actor.memberId;
    if (!decideHandoff(ctx.db, offer.id, { state: "accepted", now: ctx.now }) || !markWithAdviser(ctx.db, e.id, me)) return ctx.fail(`${ref} changed a moment ago; ${cmd(`enquiry ${ref}`)} shows where it stands.`);
    insertTransaction(ctx.db, { handoffId: offer.id, enquiryId: e.id, enquirerId: e.askerId, adviserId: me, triagerId: e.claimedBy, category: e.category, startedAt: ctx.now });
    scheduleCheckIn(ctx, offer.id, ctx.now);
    const now = getEnquiry(ctx.db, e.id)!;
    ctx.update(offerKey(offer.id), `${enquiryView(ctx, now, { team: true })}\n✅ You accepted it (${when(ctx, ctx.now)}). ${cmd(`note ${ref} <text>`)} records progress, ${cmd(`reply ${ref} <text>`)} writes to the enquirer, ${cmd(`resolve ${ref} <outcome>`)} closes it.`);
    const emailed = emailAdviserTookIt(ctx, now, ctx.actor.displayName) !== undefined;
    if (e.claimedBy !== null && e.source === "website" && !emailed) dmText(ctx, e.claimedBy, e.id, `✅ ${mention(me)} accepted *${ref}*; it's theirs now.\nLet the enquirer know by email who will help: ${contactLine(e)}`);
    else if (e.claimedBy !== null) ctx.toMember(e.claimedBy, `✅ ${mention(me)} accepted *${ref}*; it's theirs now.${emailed ? " I've emailed the enquirer who will help." : ""}`);
    toAsker(ctx, e, `Good news about your Co-op Clinic enquiry *${ref}*: ${mention(me)}, an adviser in our network, has taken it on and will be in touch. What you write to me about it now reaches them too.`);
    if (ctx.event.room.kind !== "dm") ctx.reply(`${ref} is yours. Thank you!`);
  },
});

export const handoffDecline = defineCommand({
  name: "handoff decline",
  summary: "Decline an enquiry a triager offered you, saying why",
  examples: ["handoff decline CL-0042 I'm not the right person for charity law"],
  args: z.object({ ref: refArg, reason: z.string().max(1000).optional().describe("why, for the triager") }),
  positional: ["ref", "reason..."],
  freeText: true,
  allow: ["adviser"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const offer = myOffer(ctx, e);
    const reason = args.reason?.trim();
    if (!reason) return ctx.fail(`Say why, so the triager can find the right person: ${cmd(`handoff decline ${ref} <reason>`)}.`);
    if (!decideHandoff(ctx.db, offer.id, { state: "declined", reason, now: ctx.now })) return ctx.fail(`${ref} changed a moment ago.`);
    const me = ctx.actor.memberId;
    ctx.update(offerKey(offer.id), `❌ You declined *${ref}* (${when(ctx, ctx.now)}): ${esc(reason)}`);
    if (e.claimedBy !== null) {
      const next = suggestionMessage(ctx, e, dmPlatform(ctx, e.claimedBy), "Next suggestions:");
      const head = `❌ ${mention(me)} declined *${ref}*: ${esc(reason)}\n`;
      dmText(ctx, e.claimedBy, e.id, typeof next === "string" ? head + next : { ...next, text: head + next.text });
    }
    ctx.reply(`Declined; I've told ${e.claimedBy !== null ? mention(e.claimedBy) : "the triagers"} why.`);
  },
});

export const handoffWithdraw = defineCommand({
  name: "handoff withdraw",
  summary: "Withdraw an offer an adviser hasn't answered yet",
  examples: ["handoff withdraw CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: [...TRIAGERS, "admin"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    requireHolder(ctx, e, "withdraw its offer");
    const offer = liveHandoff(ctx.db, e.id);
    if (!offer || offer.state !== "offered") return ctx.fail(`${ref} has no offer waiting for an answer.`);
    if (!decideHandoff(ctx.db, offer.id, { state: "withdrawn", now: ctx.now })) return ctx.fail(`${mention(offer.adviserId)} answered a moment ago.`);
    ctx.update(offerKey(offer.id), `↩️ ${mention(ctx.actor.memberId)} withdrew the offer of *${ref}* (${when(ctx, ctx.now)}). Nothing more to do.`);
    ctx.reply(`Withdrew the offer of ${ref} to ${mention(offer.adviserId)}.`);
  },
});
