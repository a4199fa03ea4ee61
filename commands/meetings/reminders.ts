// The jobs an occurrence brings: reminders posted to the group's rooms (with
// RSVP buttons), and the "who came?" prompt to its drivers afterwards.
import { defineJob } from "../../bot/capability.ts";
import { formatDuration } from "../../bot/clock.ts";
import type { BaseContext } from "../../bot/context.ts";
import type { OutboundMessage } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { getGroup, type Group } from "../../db/groups.ts";
import { attendeesOf, rsvpsFor } from "../../db/meeting-records.ts";
import type { Meeting } from "../../db/meetings.ts";
import { deciders, postToGroupRooms } from "../groups/lookup.ts";
import { meetingsSettings } from "./config.ts";
import { dateOf, minutesLabel, relative, remindList, span, spanInZone } from "./format.ts";
import { seriesOf } from "./lookup.ts";
import { ASK_ATTENDANCE_WITHIN, liveMeeting, type OccurrencePayload, type ReminderPayload } from "./plan.ts";
import type { Occurrence } from "./series.ts";

export const LATE_NOTE = "(late: I was offline)";

export function rsvpButtons(meeting: Meeting, occ: Occurrence): OutboundMessage["buttons"] {
  const date = dateOf(occ);
  return [
    { label: "Yes", command: `rsvp ${meeting.id} yes --date ${date}`, style: "primary" },
    { label: "No", command: `rsvp ${meeting.id} no --date ${date}` },
    { label: "Maybe", command: `rsvp ${meeting.id} maybe --date ${date}` },
  ];
}

function reminderText(ctx: BaseContext, meeting: Meeting, group: Group, occ: Occurrence, late: boolean): string {
  const going = rsvpsFor(ctx.db, meeting.id, occ.key).filter((r) => r.answer === "yes").length;
  return [
    `⏰ ${late ? `${LATE_NOTE} ` : ""}*${esc(meeting.title)}* (${esc(group.name)}) ${relative(ctx, occ.start, meeting.zone)}: ${spanInZone(occ, meeting.zone)}${occ.moved ? " (moved)" : ""}.`,
    meeting.location ? `Where: ${esc(meeting.location)}` : undefined,
    `Coming? ${cmd(`rsvp ${meeting.id} yes|no|maybe`)}${going ? ` (${going} going so far)` : ""}`,
  ]
    .filter(Boolean)
    .join("\n");
}

/** The occurrence a job is about, if its meeting is unchanged and the occurrence still happens. */
function jobOccurrence(ctx: BaseContext, p: OccurrencePayload): { meeting: Meeting; occ: Occurrence } | undefined {
  const meeting = liveMeeting(ctx, p);
  const occ = meeting && seriesOf(ctx, meeting).find(p.occurrence);
  return meeting && occ ? { meeting, occ } : undefined;
}

export const remindJob = defineJob<ReminderPayload>({
  kind: "meetings.remind",
  run(ctx, p) {
    const found = jobOccurrence(ctx, p);
    if (!found) return ctx.skip("the meeting was changed, skipped or cancelled");
    const { meeting, occ } = found;
    // Downtime policy: late is still useful until the meeting is over; after that it is noise.
    if (ctx.now >= occ.end) {
      ctx.log.warn({ meetingId: meeting.id, occurrence: occ.key, lateMs: ctx.lateMs }, "meeting reminder skipped: the meeting was over when it could be sent");
      return ctx.skip(`the meeting was over when I could send it (late by ${formatDuration(ctx.lateMs)})`);
    }
    const late = ctx.lateMs > meetingsSettings(ctx.config).lateAfterMs;
    // Back from downtime with several reminders of one occurrence due: only the latest is worth sending.
    const laterDue = remindList(meeting).filter((m) => m < p.offsetMinutes && occ.start - m * 60_000 <= ctx.now);
    if (late && laterDue.length) return ctx.skip(`superseded by the ${minutesLabel(Math.min(...laterDue))} reminder, also due (late by ${formatDuration(ctx.lateMs)})`);
    const group = getGroup(ctx.db, meeting.groupId)!;
    const text = reminderText(ctx, meeting, group, occ, late);
    const posted = postToGroupRooms(ctx, group.id, { text, buttons: rsvpButtons(meeting, occ), key: `meeting-reminder:${meeting.id}:${occ.key}` });
    if (posted === 0) ctx.skip(`${group.slug} has no linked room to remind`);
  },
});


export const afterKey = (meetingId: number, occurrence: string) => `meeting-after:${meetingId}:${occurrence}`;

/** At the end of an occurrence: ask the drivers who came, with a one-click "everyone who said yes". */
export const afterJob = defineJob<OccurrencePayload>({
  kind: "meetings.after",
  run(ctx, p) {
    const found = jobOccurrence(ctx, p);
    if (!found) return ctx.skip("the meeting was changed, skipped or cancelled");
    const { meeting, occ } = found;
    if (attendeesOf(ctx.db, meeting.id, occ.key).length > 0) return ctx.skip("attendance already recorded");
    if (ctx.lateMs > ASK_ATTENDANCE_WITHIN) return ctx.skip(`too late to ask who came (late by ${formatDuration(ctx.lateMs)})`);
    const date = dateOf(occ);
    const yes = rsvpsFor(ctx.db, meeting.id, occ.key).filter((r) => r.answer === "yes").length;
    const text = [
      `📋 *${esc(meeting.title)}* (${span(occ, meeting.zone)}) has ended. Who came?`,
      `Record it with ${cmd(`attended ${meeting.id} @name @name --date ${date}`)}${yes ? `, or take the ${yes} who said yes.` : "."}`,
    ].join("\n");
    const buttons = yes ? [{ label: "Everyone who said yes", command: `attended ${meeting.id} --rsvp-yes --date ${date}`, style: "primary" as const }] : [];
    for (const id of deciders(ctx, meeting.groupId)) ctx.toMember(id, { text, buttons, key: afterKey(meeting.id, occ.key) });
  },
});
