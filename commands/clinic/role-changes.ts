// Access follows the role held now. When a member stops being a triager (or
// an adviser), what they held goes back to the clinic at once, with a new
// card where it needs claiming, and the triage room is told; from then on
// they can read none of it (see access.ts).
import type { BaseContext } from "../../bot/context.ts";
import type { DomainEvents } from "../../bot/domain.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { dropFollowUp, enquiriesClaimedBy, getEnquiry, refOf, releaseEnquiry, takeBackFromAdviser, type Enquiry } from "../../db/clinic.ts";
import { abandonHandoff, decideHandoff, liveHandoff, liveHandoffsOf, type Handoff } from "../../db/clinic-network.ts";
import { TRIAGERS, offerKey, when } from "./access.ts";
import { announce, settleCard, toTriage } from "./cards.ts";
import { checkInPrefix } from "./resolve.ts";

export function onRoleRevoked(ctx: BaseContext, revoked: DomainEvents["role.revoked"]): void {
  const { memberId, role } = revoked;
  const triages = (r: string) => (TRIAGERS as readonly string[]).includes(r);
  if (triages(role) && !TRIAGERS.some((r) => ctx.services.permissions.hasRole(ctx.db, memberId, r))) releaseClaimsOf(ctx, memberId);
  if (role === "adviser") takeBackHandoffsOf(ctx, memberId);
}

/** A former triager's claims: back in the queue (an unanswered offer withdrawn), or, with an adviser, waiting for a new triager. */
function releaseClaimsOf(ctx: BaseContext, memberId: number): void {
  const why = `${mention(memberId)} no longer triages`;
  for (const e of enquiriesClaimedBy(ctx.db, memberId)) {
    const ref = refOf(e.id);
    if (e.state === "with-adviser") {
      if (!dropFollowUp(ctx.db, e.id, memberId)) continue;
      toTriage(ctx, `↩️ *${ref}* is with its adviser, but ${why}: a triage lead can give the follow-up to someone with ${cmd(`reassign ${ref} @triager`)}.`);
      continue;
    }
    const offer = liveHandoff(ctx.db, e.id);
    if (offer?.state === "offered" && decideHandoff(ctx.db, offer.id, { state: "withdrawn", now: ctx.now })) {
      ctx.update(offerKey(offer.id), `↩️ The offer of *${ref}* was withdrawn (${when(ctx, ctx.now)}): the triager who made it no longer triages. Nothing more to do.`);
    }
    if (!releaseEnquiry(ctx.db, e.id, memberId)) continue;
    settleCard(ctx, e, `↩️ released: ${why} (${when(ctx, ctx.now)})`);
    announce(ctx, getEnquiry(ctx.db, e.id)!, `↩️ Back in the queue (${why}):`);
  }
}

/** A former adviser's offers are withdrawn and the enquiries they had go back to their triager (or the queue). */
function takeBackHandoffsOf(ctx: BaseContext, adviserId: number): void {
  for (const handoff of liveHandoffsOf(ctx.db, adviserId)) {
    const e = getEnquiry(ctx.db, handoff.enquiryId);
    if (!e) continue;
    if (handoff.state === "offered") withdrawOffer(ctx, e, handoff);
    else takeBack(ctx, e, handoff);
  }
}

function withdrawOffer(ctx: BaseContext, e: Enquiry, handoff: Handoff): void {
  if (!decideHandoff(ctx.db, handoff.id, { state: "withdrawn", now: ctx.now })) return;
  const ref = refOf(e.id);
  ctx.update(offerKey(handoff.id), `↩️ The offer of *${ref}* was withdrawn (${when(ctx, ctx.now)}): you're no longer in the clinic's adviser network.`);
  if (e.claimedBy !== null) ctx.toMember(e.claimedBy, `↩️ ${mention(handoff.adviserId)} is no longer an adviser, so the offer of *${ref}* is withdrawn; ${cmd(`suggest ${ref}`)} finds someone else.`);
}

function takeBack(ctx: BaseContext, e: Enquiry, handoff: Handoff): void {
  if (!abandonHandoff(ctx.db, handoff.id, ctx.now) || !takeBackFromAdviser(ctx.db, e.id, handoff.adviserId)) return;
  ctx.cancelJobs(checkInPrefix(handoff.id));
  const ref = refOf(e.id);
  const why = `${mention(handoff.adviserId)} is no longer an adviser`;
  ctx.update(offerKey(handoff.id), `↩️ *${ref}* went back to the clinic (${when(ctx, ctx.now)}): you're no longer in the adviser network.`);
  const now = getEnquiry(ctx.db, e.id)!;
  if (now.state === "open") {
    announce(ctx, now, `↩️ Back in the queue (${why}):`);
    return;
  }
  ctx.toMember(now.claimedBy!, `↩️ *${ref}* is back with you: ${why}. ${cmd(`suggest ${ref}`)} finds another adviser.`);
  toTriage(ctx, `↩️ *${ref}* is back with its triager ${mention(now.claimedBy!)}: ${why}.`);
}
