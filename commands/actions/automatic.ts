// Automatic actions: facts other capabilities announce (a driver recorded
// attendance; a clinic handoff was resolved) become verified actions with
// their source. The same fact announced twice is recorded once (a unique
// index on source + member + job), so handlers can be re-run safely.
import { DateTime } from "luxon";
import type { BaseContext } from "../../bot/context.ts";
import type { DomainEvents, DomainHandlers } from "../../bot/domain.ts";
import { findJobBySlug, insertAutomaticAction } from "../../db/actions.ts";
import { getGroup } from "../../db/groups.ts";
import { AUTOMATIC } from "./config.ts";

/** The catalogue job an automatic action uses; the seed guarantees it exists. */
function automaticJob(ctx: BaseContext, slug: string) {
  const job = findJobBySlug(ctx.db, slug);
  if (!job) ctx.log.error({ slug }, "automatic job missing from the catalogue; action not recorded");
  return job;
}

/** An occurrence like `2026-08-17T11:00` is when it was done (in the group's zone); otherwise now. */
function occurrenceTime(ctx: BaseContext, occurrence: string, zone: string): number {
  const at = DateTime.fromISO(occurrence, { zone });
  return at.isValid && at.toMillis() <= ctx.now ? at.toMillis() : ctx.now;
}

export function recordAttendance(ctx: BaseContext, p: DomainEvents["meeting.attended"]): void {
  const job = automaticJob(ctx, AUTOMATIC.attendMeeting);
  if (!job) return;
  const zone = getGroup(ctx.db, p.groupId)?.timezone ?? ctx.config.timezone;
  insertAutomaticAction(ctx.db, {
    memberId: p.memberId,
    loggedBy: p.recordedBy,
    jobId: job.id,
    groupId: p.groupId,
    doneAt: occurrenceTime(ctx, p.occurrence, zone),
    source: `meeting:${p.meetingId}:${p.occurrence}`,
    createdAt: ctx.now,
    decidedAt: ctx.now,
    decidedBy: p.recordedBy,
  });
}

export function recordClinicWork(ctx: BaseContext, p: DomainEvents["clinic.handoff-resolved"]): void {
  const source = `clinic:${p.enquiryRef}`;
  const note = p.category ? `clinic ${p.category}` : "";
  const advice = automaticJob(ctx, AUTOMATIC.clinicAdvice);
  if (advice) {
    insertAutomaticAction(ctx.db, { memberId: p.adviserId, loggedBy: p.adviserId, jobId: advice.id, note, hours: p.hours ?? null, doneAt: ctx.now, source, createdAt: ctx.now, decidedAt: ctx.now });
  }
  const triage = p.triagerId === null ? undefined : automaticJob(ctx, AUTOMATIC.clinicTriage);
  if (triage && p.triagerId !== null) {
    insertAutomaticAction(ctx.db, { memberId: p.triagerId, loggedBy: p.triagerId, jobId: triage.id, note, doneAt: ctx.now, source, createdAt: ctx.now, decidedAt: ctx.now });
  }
}

export const automaticActions: DomainHandlers = {
  "meeting.attended": recordAttendance,
  "clinic.handoff-resolved": recordClinicWork,
};
