// Closing an enquiry with its outcome. A resolved handoff announces
// `clinic.handoff-resolved` (the actions capability turns it into verified
// actions for the adviser and the triager). While an adviser holds an
// enquiry, the bot checks in with them after 7 days of silence.
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { getEnquiry, refOf, resolveEnquiry } from "../../db/clinic.ts";
import { getHandoff, liveHandoff, resolveHandoff } from "../../db/clinic-network.ts";
import { TRIAGERS, advisesOn, dmText, findEnquiry, refArg, requireHolder, toAsker } from "./access.ts";
import { clinicSettings } from "./config.ts";
import { emailClosed } from "./emails.ts";
import { quote } from "./intake.ts";
import { requireText } from "./triage.ts";

export const checkInPrefix = (handoffId: number) => `clinic:checkin:${handoffId}:`;

/** The next check-in, counted from the adviser's last activity. Keys carry the due time: each is a distinct job. */
export function scheduleCheckIn(ctx: BaseContext, handoffId: number, from: number): void {
  const dueAt = from + clinicSettings(ctx.config).checkInAfterMs;
  ctx.schedule({ kind: "clinic.adviser-check-in", key: `${checkInPrefix(handoffId)}${dueAt}`, dueAt, payload: { handoffId } });
}

export const resolve = defineCommand({
  name: "resolve",
  summary: "Close an enquiry, recording its outcome (the adviser who has it, or its triager)",
  examples: ["resolve CL-0042 helped them draft model rules; they're registering next month"],
  args: z.object({ ref: refArg, outcome: z.string().optional().describe("what came of it, for the clinic's records") }),
  positional: ["ref", "outcome..."],
  freeText: true,
  allow: [...TRIAGERS, "adviser"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const me = ctx.actor.memberId;
    if (e.state === "resolved") return ctx.fail(`${ref} is already closed.`);
    const adviser = e.state === "with-adviser" && advisesOn(ctx, e);
    if (!adviser) requireHolder(ctx, e, "resolve it");
    const offer = liveHandoff(ctx.db, e.id);
    if (offer?.state === "offered") return ctx.fail(`${ref} is waiting for ${mention(offer.adviserId)}'s answer; ${cmd(`handoff withdraw ${ref}`)} first if you want to close it yourself.`);
    const outcome = requireText(ctx, args.outcome, "outcome", `resolve ${ref} helped them with their rules`);
    if (!resolveEnquiry(ctx.db, e.id, me, outcome, ctx.now)) return ctx.fail(`${ref} changed a moment ago.`);
    if (offer?.state === "accepted") {
      resolveHandoff(ctx.db, offer.id, ctx.now);
      ctx.cancelJobs(checkInPrefix(offer.id));
      ctx.emit("clinic.handoff-resolved", { adviserId: offer.adviserId, triagerId: e.claimedBy, enquiryRef: ref, category: e.category });
      const other = adviser ? e.claimedBy : offer.adviserId;
      if (other !== null && other !== me) dmText(ctx, other, e.id, `✅ ${mention(me)} resolved *${ref}*:\n${quote(outcome)}`);
    } else if (e.claimedBy !== null && e.claimedBy !== me) {
      dmText(ctx, e.claimedBy, e.id, `✅ ${mention(me)} closed *${ref}*:\n${quote(outcome)}`);
    }
    toAsker(ctx, e, `Your Co-op Clinic enquiry *${ref}* is now closed; we hope it helped! If you'd like what you wrote erased, type ${cmd(`clinic erase ${ref}`)}.`);
    emailClosed(ctx, getEnquiry(ctx.db, e.id)!);
    ctx.reply(`Resolved ${ref}. Thank you!`);
  },
});

/** 7 days after the adviser's last note, reply or decision: a nudge, then again every 7 days of silence. */
export const adviserCheckIn = defineJob<{ handoffId: number }>({
  kind: "clinic.adviser-check-in",
  run(ctx, { handoffId }) {
    const handoff = getHandoff(ctx.db, handoffId);
    if (!handoff || handoff.state !== "accepted") return ctx.skip("no longer with the adviser");
    const due = handoff.lastActivityAt + clinicSettings(ctx.config).checkInAfterMs;
    if (ctx.now < due) {
      // The adviser was active since this was scheduled: wait for 7 days of silence from then.
      scheduleCheckIn(ctx, handoffId, handoff.lastActivityAt);
      return ctx.skip("adviser active since; moved");
    }
    const ref = refOf(handoff.enquiryId);
    const e = getEnquiry(ctx.db, handoff.enquiryId)!;
    const days = Math.round((ctx.now - handoff.lastActivityAt) / (24 * 3600_000));
    ctx.toMember(
      handoff.adviserId,
      `👋 How is *${ref}* going? Nothing has been recorded on it for ${days} days. ${cmd(`note ${ref} <progress>`)} keeps ${e.claimedBy !== null ? mention(e.claimedBy) : "the triager"} in the loop; ${cmd(`resolve ${ref} <outcome>`)} closes it.`,
    );
    scheduleCheckIn(ctx, handoffId, ctx.now);
  },
});
