// A week without a decision: the deciders are reminded, once, with the
// buttons again. One sweep an hour finds what has waited a week (rather
// than a job per logged action: `log` then writes one row fewer, and a
// decision has no job to cancel). Keys carry the hour
// (`actions.nudge-sweep:2026-08-24T09`), so a restart neither loses nor
// doubles a sweep; a busy hour continues in batches a second apart.
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { actionsToNudge, getAction, markNudged, type Action } from "../../db/actions.ts";
import { verifyNotice } from "./log.ts";
import { decidersOf } from "./shared.ts";

const KIND = "actions.nudge-sweep";
const HOUR = 3600_000;
export const NUDGE_AFTER = 7 * 24 * HOUR;
/** Actions reminded per batch: each is a message to each of its deciders. */
const BATCH = 100;
const BATCH_PAUSE_MS = 1000;

const hourKey = (at: number) => `${KIND}:${new Date(at).toISOString().slice(0, 13)}`;

function scheduleSweep(ctx: BaseContext, at: number, batch = 0): void {
  ctx.schedule({ kind: KIND, key: batch ? `${hourKey(at)}:b${batch}` : hourKey(at), dueAt: at, payload: { batch } });
}

/** The next whole hour after `after` (UTC hours: the sweep needs no zone). */
const nextHour = (after: number) => Math.floor(after / HOUR) * HOUR + HOUR;

/** At every start: the next sweep is scheduled (a no-op when it already is). */
export function seedNudges(ctx: BaseContext): void {
  // On the hour now, or the next hour.
  scheduleSweep(ctx, ctx.now % HOUR === 0 ? ctx.now : nextHour(ctx.now));
}

function nudge(ctx: BaseContext, action: Action): void {
  for (const id of decidersOf(ctx, action)) ctx.toMember(id, verifyNotice(ctx, action, "⏳ Waiting a week for verification:"));
  markNudged(ctx.db, action.id, ctx.now);
}

export const nudgeSweep = defineJob<{ batch: number }>({
  kind: KIND,
  run(ctx, { batch }) {
    const due = actionsToNudge(ctx.db, ctx.now - NUDGE_AFTER, BATCH);
    for (const action of due) nudge(ctx, action);
    if (due.length === BATCH) scheduleSweep(ctx, ctx.now + BATCH_PAUSE_MS, batch + 1);
    else scheduleSweep(ctx, nextHour(ctx.now));
  },
});

/**
 * The nudge as it was scheduled before the sweep: one job per action.
 * Databases from then still hold such jobs; each nudges its action unless
 * it was decided or nudged already.
 */
export const verifyNudge = defineJob<{ actionId: number }>({
  kind: "actions.verify-nudge",
  run(ctx, { actionId }) {
    const action = getAction(ctx.db, actionId);
    if (!action || action.state !== "pending" || action.nudgedAt !== null) return ctx.skip("already decided or reminded");
    nudge(ctx, action);
  },
});
