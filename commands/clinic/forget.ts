// A member's part in the clinic: what `export me` shows, and what
// `forget me` does.
//   - Enquiries they asked are erased as `clinic erase` does; one still open
//     is first withdrawn (closed with no outcome) and the team on it told.
//   - Work in their hands goes back: an enquiry they hold as triager returns
//     to the queue with a fresh card; one with them as adviser returns to its
//     triager; an offer waiting for their answer is withdrawn. The handoff
//     and its transaction stay: the clinic's count of help given is a fact.
//   - Notes, replies and outcomes they wrote as triager or adviser on other
//     people's enquiries stay, no longer with a name: they are that
//     enquiry's record, which its enquirer may still rely on; they go when
//     that enquirer erases it.
//   - Their directory entry is retired.
import type { BaseContext } from "../../bot/context.ts";
import { cmd } from "../../bot/markup.ts";
import { messagesOf } from "../../db/clinic-conversation.ts";
import { enquiriesAskedBy, enquiriesHeldBy, getEnquiry, notesOf, refOf, releaseEnquiry, returnToTriager, withdrawEnquiry, type Enquiry } from "../../db/clinic.ts";
import { adviserEntryOf, decideHandoff, forgetAdviser, liveHandoff, liveHandoffsOf, resolveHandoff } from "../../db/clinic-network.ts";
import { iso } from "../../db/forget.ts";
import { offerKey } from "./access.ts";
import { announce, settleCard } from "./cards.ts";
import { eraseEverywhere } from "./intake.ts";

const checkInPrefix = (handoffId: number) => `clinic:checkin:${handoffId}:`;

/** Ends a live handoff: an offer is withdrawn, an accepted one is over (its transaction stays, resolved). */
function endLiveHandoff(ctx: BaseContext, enquiryId: number, why: string): number | undefined {
  const live = liveHandoff(ctx.db, enquiryId);
  if (!live) return undefined;
  if (live.state === "offered") {
    decideHandoff(ctx.db, live.id, { state: "withdrawn", now: ctx.now });
    ctx.update(offerKey(live.id), `↩️ The offer of *${refOf(enquiryId)}* was withdrawn: ${why}. Nothing more to do.`);
  } else {
    resolveHandoff(ctx.db, live.id, ctx.now);
    ctx.cancelJobs(checkInPrefix(live.id));
  }
  return live.adviserId;
}

/** Closes an enquiry its asker withdrew by being forgotten, telling the people working on it. */
function withdraw(ctx: BaseContext, e: Enquiry): void {
  const ref = refOf(e.id);
  const why = "the enquirer asked to be forgotten";
  const adviser = endLiveHandoff(ctx, e.id, why);
  withdrawEnquiry(ctx.db, e.id, ctx.now);
  if (e.state === "open") settleCard(ctx, e, `↩️ withdrawn: ${why}`);
  ctx.cancelJobs(`clinic:escalate:${e.id}:`);
  for (const id of new Set([e.claimedBy, adviser])) if (id !== null && id !== undefined) ctx.toMember(id, `↩️ *${ref}* was withdrawn: ${why}, so it is closed and erased.`);
}

/** Everything they asked the clinic goes, as `clinic erase` does; texts returned for the outbox sweep. */
function eraseAsked(ctx: BaseContext, memberId: number): string[] {
  const texts: string[] = [];
  for (const e of enquiriesAskedBy(ctx.db, memberId).filter((x) => x.erasedAt === null)) {
    texts.push(e.text ?? "", ...notesOf(ctx.db, e.id).map((n) => n.text ?? ""), ...messagesOf(ctx.db, e.id).map((m) => m.text ?? ""), e.outcome ?? "");
    if (e.state !== "resolved") withdraw(ctx, e);
    eraseEverywhere(ctx, getEnquiry(ctx.db, e.id)!, `🗑️ *${refOf(e.id)}* was erased at the enquirer's request.`);
  }
  return texts;
}

/** Enquiries with them as adviser go back to their triager (or the queue); offers to them are withdrawn. */
function handBackAdvice(ctx: BaseContext, memberId: number): void {
  const why = "the adviser left the clinic";
  for (const offer of liveHandoffsOf(ctx.db, memberId).filter((h) => h.state === "offered")) {
    const e = getEnquiry(ctx.db, offer.enquiryId)!;
    endLiveHandoff(ctx, e.id, why);
    if (e.claimedBy !== null && e.claimedBy !== memberId) ctx.toMember(e.claimedBy, `↩️ The offer of *${refOf(e.id)}* was withdrawn: ${why}. ${cmd(`suggest ${refOf(e.id)}`)} finds someone else.`);
  }
  for (const e of enquiriesHeldBy(ctx.db, "adviser", memberId)) {
    endLiveHandoff(ctx, e.id, why);
    returnToTriager(ctx.db, e.id, memberId);
    if (e.claimedBy !== null && e.claimedBy !== memberId) ctx.toMember(e.claimedBy, `↩️ *${refOf(e.id)}* is back with you: ${why}. ${cmd(`suggest ${refOf(e.id)}`)} finds another adviser.`);
  }
}

/** Enquiries they hold as triager go back to the queue, each with a fresh card. */
function handBackClaims(ctx: BaseContext, memberId: number): void {
  for (const e of enquiriesHeldBy(ctx.db, "triager", memberId)) {
    endLiveHandoff(ctx, e.id, "its triager left the clinic");
    if (!releaseEnquiry(ctx.db, e.id, memberId)) continue;
    settleCard(ctx, e, "↩️ its triager left the clinic");
    announce(ctx, getEnquiry(ctx.db, e.id)!, "↩️ Back in the queue (its triager left):");
  }
}

export function forgetClinicMember(ctx: BaseContext, memberId: number): string[] {
  const texts = eraseAsked(ctx, memberId);
  handBackAdvice(ctx, memberId);
  handBackClaims(ctx, memberId);
  forgetAdviser(ctx.db, memberId, ctx.now);
  return texts;
}

export function exportClinicMember(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const adviser = adviserEntryOf(ctx.db, memberId);
  return {
    clinicEnquiries: enquiriesAskedBy(ctx.db, memberId).map((e) => ({
      enquiry: refOf(e.id),
      question: e.text,
      received: iso(e.createdAt),
      category: e.category,
      state: e.state,
      consent: e.consentAt === null ? null : { given: iso(e.consentAt), how: e.consentHow },
      closed: iso(e.resolvedAt),
      erased: iso(e.erasedAt),
      writtenToYou: notesOf(ctx.db, e.id).filter((n) => n.kind === "reply").map((n) => ({ when: iso(n.createdAt), text: n.text })),
      conversation: messagesOf(ctx.db, e.id).map((m) => ({ when: iso(m.createdAt), from: m.direction === "in" ? "you" : "the clinic", via: m.via, text: m.text })),
    })),
    clinicAdviserEntry: adviser ? { specialisms: adviser.specialisms, region: adviser.region, capacity: adviser.capacity, since: iso(adviser.addedAt), retired: iso(adviser.retiredAt) } : null,
  };
}
