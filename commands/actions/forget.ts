// A member's part in actions and thanks: what `export me` shows, and what
// `forget me` erases. Their actions stay (verified ones keep counting in
// totals, progress and journeys; a pending one can still be verified) with
// their words gone; the thanks they gave keep counting, without the
// message. Notes they wrote when logging for someone else stay: they
// describe that person's work and are part of that person's record.
import type { BaseContext } from "../../bot/context.ts";
import { actionsBy, eraseActionWords, getAction, getActionJob, type Action } from "../../db/actions.ts";
import { ERASED, iso } from "../../db/forget.ts";
import { getMember } from "../../db/members.ts";
import { replaceMessagesWithKey } from "../../db/outbox.ts";
import { eraseThanksWords, thanksBetween, thanksGivenBy } from "../../db/thanks.ts";
import { verifyNotice } from "./log.ts";
import { describeAction, noticeKey, ref, stateWords, whoLine } from "./shared.ts";

const present = (values: (string | null)[]): string[] => values.filter((v): v is string => !!v);
const hasWords = (a: Action) => a.note !== "" || a.evidence !== null || a.reason !== null;

/**
 * The cards drivers got about an action, redrawn from the erased action: a
 * pending one keeps its buttons (it can still be verified); a decided one
 * says what became of it.
 */
function redrawCards(ctx: BaseContext, actionId: number): void {
  const action = getAction(ctx.db, actionId)!;
  const key = noticeKey(action.id);
  const card = action.state === "pending" ? verifyNotice(ctx, action, "🧾") : { text: `${describeAction(ctx, action)} (${whoLine(action)}): ${stateWords(ctx, action)}.` };
  replaceMessagesWithKey(ctx.db, key, card);
  ctx.update(key, card);
}

export function forgetActionsMember(ctx: BaseContext, memberId: number): string[] {
  const worded = actionsBy(ctx.db, "memberId", memberId).filter(hasWords);
  const given = thanksGivenBy(ctx.db, memberId);
  const texts = [...worded.flatMap((a) => present([a.note, a.evidence, a.reason])), ...given.map((t) => t.reason)];
  eraseActionWords(ctx.db, memberId);
  eraseThanksWords(ctx.db, memberId, ERASED);
  for (const action of worded) redrawCards(ctx, action.id);
  return texts;
}

const nameOf = (ctx: BaseContext, id: number) => getMember(ctx.db, id)?.displayName ?? null;

function exportAction(ctx: BaseContext, a: Action) {
  return {
    action: ref(a.id),
    job: a.jobId ? (getActionJob(ctx.db, a.jobId)?.slug ?? null) : null,
    note: a.note,
    evidence: a.evidence,
    hours: a.hours,
    done: iso(a.doneAt),
    state: a.state,
    reason: a.reason,
    loggedBy: a.loggedBy === a.memberId ? "you" : nameOf(ctx, a.loggedBy),
    automatic: a.source,
  };
}

export function exportActionsMember(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const forOthers = actionsBy(ctx.db, "loggedBy", memberId).filter((a) => a.memberId !== memberId);
  return {
    actions: actionsBy(ctx.db, "memberId", memberId).map((a) => exportAction(ctx, a)),
    actionsYouLoggedForOthers: forOthers.map((a) => ({ action: ref(a.id), for: nameOf(ctx, a.memberId), note: a.note, done: iso(a.doneAt), state: a.state })),
    thanksGiven: thanksGivenBy(ctx.db, memberId).map((t) => ({ to: t.recipients.map((id) => nameOf(ctx, id)), for: t.reason, value: t.value, public: t.public, when: iso(t.createdAt) })),
    thanksReceived: thanksBetween(ctx.db, { to: ctx.now + 1 }, memberId).map((t) => ({ from: nameOf(ctx, t.giverId), for: t.reason, value: t.value, counted: t.weight, when: iso(t.createdAt) })),
  };
}
