// Planning reminders without ever expanding whole series.
//
// Each active meeting has at most one pending "plan" job: for its next
// occurrence, due `lead` before it (lead = the longest reminder offset, or
// the action reminder if longer). When it runs it schedules that
// occurrence's jobs (reminders, the attendance prompt after it, the open
// actions reminder) and the plan job of the following occurrence: the
// series advances one occurrence at a time and start-up does nothing per
// series. Every job key is
//   meeting:<id>:<occurrence>:v<revision>:<what>
// so a restart or a replay finds the same key and never doubles anything,
// and a change (which bumps the revision) cancels the prefix `meeting:<id>:`
// and plans afresh with keys that cannot collide with the old ones.
import { defineJob } from "../../bot/capability.ts";
import { formatDuration } from "../../bot/clock.ts";
import type { BaseContext } from "../../bot/context.ts";
import { jobsLike } from "../../db/jobs.ts";
import { getMeeting, insertMeeting, setCursor, type Meeting, type MeetingInsert } from "../../db/meetings.ts";
import { meetingsSettings } from "./config.ts";
import { remindList } from "./format.ts";
import { seriesOf } from "./lookup.ts";
import type { Occurrence } from "./series.ts";

export const jobPrefix = (meetingId: number) => `meeting:${meetingId}:`;
export const jobKey = (meeting: Meeting, occurrence: string, what: string) => `meeting:${meeting.id}:${occurrence}:v${meeting.revision}:${what}`;

export interface OccurrencePayload {
  meetingId: number;
  occurrence: string;
  revision: number;
}

export interface ReminderPayload extends OccurrencePayload {
  offsetMinutes: number;
}

const MINUTE = 60_000;

/**
 * Downtime policy for the "who came?" prompt: it is still worth sending up
 * to this long after a meeting's end; later, asking about a meeting long
 * past is noise (the driver can still type `attended`).
 */
export const ASK_ATTENDANCE_WITHIN = 2 * 86_400_000;

/** How long before an occurrence its jobs must be planned. */
export function leadMs(ctx: BaseContext, meeting: Meeting): number {
  return Math.max(...remindList(meeting).map((m) => m * MINUTE), meetingsSettings(ctx.config).actionReminderMs);
}

/**
 * Schedules the jobs of every occurrence from `fromMs` on whose plan time
 * has come, then the plan job of the first one whose time has not, and
 * moves the meeting's cursor there. From a command (`late: false`), jobs
 * already due are left out (a reminder for a time that has passed is not
 * news); from a plan job that ran late they are kept, and run late.
 * Occurrences already over get only their attendance prompt, and only from
 * a late plan job, within ASK_ATTENDANCE_WITHIN of their end.
 */
export function planFrom(ctx: BaseContext, meeting: Meeting, fromMs: number, opts: { late: boolean; overdue?: ReadonlySet<string> }): void {
  const lead = leadMs(ctx, meeting);
  const floor = opts.late ? -Infinity : ctx.now;
  const overdue = opts.overdue ?? new Set<string>();
  // Jobs that were due but had not run when a change replanned them still run (at once, under the new plan).
  const wanted = (occ: Occurrence, what: string, dueAt: number) => {
    // Back from downtime, a date already over gets only its "who came?" prompt (its reminders would be noise).
    if (occ.end <= ctx.now && what !== "after") return false;
    return dueAt > floor || overdue.has(`${occ.key}:${what}`) || overdue.has(`${occ.key}:plan`);
  };
  // Late planning reaches back over dates missed while the bot was down, as far as their prompt is still useful.
  const earliest = ctx.now - meeting.durationMinutes * MINUTE - (opts.late ? ASK_ATTENDANCE_WITHIN : 0);
  let cursor: { occurrence: string; planAt: number } | undefined;
  seriesOf(ctx, meeting).each(Math.max(fromMs - 1, earliest), (occ) => {
    const planAt = occ.start - lead;
    if (planAt > ctx.now) {
      cursor = { occurrence: occ.key, planAt };
      ctx.schedule({ kind: planJob.kind, key: jobKey(meeting, occ.key, "plan"), dueAt: planAt, payload: payloadOf(meeting, occ) });
      return false;
    }
    scheduleOccurrence(ctx, meeting, occ, wanted);
    return true;
  });
  setCursor(ctx.db, meeting.id, cursor?.occurrence ?? null, cursor?.planAt ?? null);
}

const payloadOf = (meeting: Meeting, occ: Occurrence): OccurrencePayload => ({ meetingId: meeting.id, occurrence: occ.key, revision: meeting.revision });

/** One occurrence's jobs: its reminders, the attendance prompt at its end, and the open-actions reminder. */
function scheduleOccurrence(ctx: BaseContext, meeting: Meeting, occ: Occurrence, wanted: (occ: Occurrence, what: string, dueAt: number) => boolean): void {
  const base = payloadOf(meeting, occ);
  const jobs: { kind: string; what: string; dueAt: number; payload: OccurrencePayload }[] = [
    ...remindList(meeting).map((offsetMinutes) => ({
      kind: "meetings.remind",
      what: `remind:${formatDuration(offsetMinutes * MINUTE)}`,
      dueAt: occ.start - offsetMinutes * MINUTE,
      payload: { ...base, offsetMinutes } satisfies ReminderPayload,
    })),
    { kind: "meetings.actions", what: "actions", dueAt: occ.start - meetingsSettings(ctx.config).actionReminderMs, payload: base },
    { kind: "meetings.after", what: "after", dueAt: occ.end, payload: base },
  ];
  for (const job of jobs) {
    if (wanted(occ, job.what, job.dueAt)) ctx.schedule({ kind: job.kind, key: jobKey(meeting, occ.key, job.what), dueAt: job.dueAt, payload: job.payload });
  }
}

/** "meeting:3:2026-08-24T11:00:v2:remind:1h" -> "2026-08-24T11:00:remind:1h" (the job, whatever the revision). */
const withoutRevision = (key: string): string => key.replace(/^meeting:\d+:(.+?):v\d+:(.+)$/, "$1:$2");

/**
 * After any change (the revision already bumped): drop every pending job of
 * the meeting and plan from now. A job that was due but had not run yet (the
 * scheduler ticks once a second) is planned again, so a change at that
 * moment cannot lose a reminder.
 */
export function replan(ctx: BaseContext, meeting: Meeting): void {
  const overdue = jobsLike(ctx.db, jobPrefix(meeting.id)).filter((j) => j.state === "pending" && j.dueAt <= ctx.now);
  ctx.cancelJobs(jobPrefix(meeting.id));
  if (meeting.state === "active") planFrom(ctx, meeting, ctx.now, { late: false, overdue: new Set(overdue.map((j) => withoutRevision(j.key))) });
}

/**
 * Saves a meeting and plans its first occurrence: the whole cost of a new
 * series is one insert, one bounded expansion and a few job rows. Callable
 * in a loop inside one transaction (benchmarks schedule thousands this way).
 */
export function scheduleMeeting(ctx: BaseContext, row: MeetingInsert): Meeting {
  const meeting = insertMeeting(ctx.db, row, ctx.now);
  planFrom(ctx, meeting, ctx.now, { late: false });
  return meeting;
}

/** A live job: its meeting still exists, is active, and has not changed since the job was planned. */
export function liveMeeting(ctx: BaseContext, p: OccurrencePayload): Meeting | undefined {
  const meeting = getMeeting(ctx.db, p.meetingId);
  if (!meeting || meeting.state !== "active" || meeting.revision !== p.revision) return undefined;
  return meeting;
}

export const planJob = defineJob<OccurrencePayload>({
  kind: "meetings.plan",
  run(ctx, p) {
    const meeting = liveMeeting(ctx, p);
    if (!meeting) return ctx.skip("the meeting was changed or cancelled");
    const occ = seriesOf(ctx, meeting).find(p.occurrence);
    const over = occ !== undefined && occ.end <= ctx.now;
    planFrom(ctx, meeting, occ?.start ?? ctx.now, { late: true });
    if (over && ctx.now - occ.end > ASK_ATTENDANCE_WITHIN) ctx.skip(`${p.occurrence} was over long before I could plan it (late by ${formatDuration(ctx.lateMs)}): no reminders or attendance prompt for it`);
  },
});
