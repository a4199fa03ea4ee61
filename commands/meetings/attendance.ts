// `attended`: a driver records who came. Each newly recorded attendance is
// announced as the domain event `meeting.attended` (the actions capability
// turns it into a verified action), and attendance feeds the peer-network
// figures in `progress`.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext } from "../../bot/context.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { activeNetworkCount, attendeesOf, networkParticipantCount, recordAttendance, rsvpsFor } from "../../db/meeting-records.ts";
import { meetingsOfKinds } from "../../db/meetings.ts";
import { invitationsFor } from "../../db/welcome.ts";
import { shortWhen } from "./format.ts";
import { meetingScope, pickOccurrence, resolveMeeting, seriesOf } from "./lookup.ts";
import { afterKey } from "./reminders.ts";
import { instantOf } from "./series.ts";

export const attended = defineCommand({
  name: "attended",
  summary: "Record who came to a meeting",
  examples: ["attended 3 @alice @bea", "attended 3 --rsvp-yes", "attended 3 @cal --date 2026-09-07"],
  args: z.object({
    meeting: z.string().describe("the meeting's number (see `meetings`)"),
    members: z.array(z.string()).optional().describe("who came"),
    rsvpYes: z.boolean().optional().describe("everyone who said yes"),
    date: z.string().optional().describe("which date, e.g. 2026-09-07 (default: the latest that has started)"),
  }),
  positional: ["meeting", "members..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting, { includeCancelled: true });
    const occ = pickOccurrence(ctx, seriesOf(ctx, meeting), args.date, "last");
    if (occ.start > ctx.now) return ctx.fail(`${esc(meeting.title)} on ${shortWhen(occ.start, meeting.zone)} hasn't started yet.`);
    const ids = new Set((args.members ?? []).map((ref) => ctx.resolveMember(ref).id));
    if (args.rsvpYes) for (const r of rsvpsFor(ctx.db, meeting.id, occ.key)) if (r.answer === "yes") ids.add(r.memberId);
    if (ids.size === 0) {
      return ctx.fail(args.rsvpYes ? "Nobody said yes to that one; name who came instead." : `Name who came (${cmd(`attended ${meeting.id} @name @name`)}) or use --rsvp-yes.`, { showUsage: !args.rsvpYes });
    }
    const added: number[] = [];
    const already: number[] = [];
    for (const memberId of ids) {
      const row = { meetingId: meeting.id, occurrence: occ.key, memberId, groupId: meeting.groupId, occurrenceAt: occ.start, recordedBy: ctx.actor.memberId, now: ctx.now };
      if (!recordAttendance(ctx.db, row)) {
        already.push(memberId);
        continue;
      }
      added.push(memberId);
      ctx.emit("meeting.attended", { memberId, groupId: meeting.groupId, meetingId: meeting.id, occurrence: occ.key, recordedBy: ctx.actor.memberId });
    }
    const when = shortWhen(occ.start, meeting.zone);
    if (added.length) ctx.update(afterKey(meeting.id, occ.key), `✅ ${mention(ctx.actor.memberId)} recorded who came to *${esc(meeting.title)}* (${when}).`);
    const parts = [added.length ? `Recorded ${added.length} at *${esc(meeting.title)}* (${when}): ${added.map(mention).join(", ")}.` : `Nothing new for *${esc(meeting.title)}* (${when}).`];
    if (already.length) parts.push(`Already recorded: ${already.map(mention).join(", ")}.`);
    ctx.reply([parts.join(" "), ...invitedLine(ctx, meeting.id, occ.key)].join("\n"));
  },
});

/** Who was personally invited to this occurrence (a driver's "Invite to next meeting"), and whether they came. */
function invitedLine(ctx: BaseContext, meetingId: number, occurrence: string): string[] {
  const invited = invitationsFor(ctx.db, meetingId, occurrence);
  if (invited.length === 0) return [];
  const attended = new Set(attendeesOf(ctx.db, meetingId, occurrence));
  const came = invited.filter((i) => attended.has(i.memberId)).map((i) => mention(i.memberId));
  const lines = [`📨 Came after a personal invitation: ${came.length ? came.join(", ") : "nobody yet"} (${came.length} of the ${invited.length} invited).`];
  const notYet = invited.filter((i) => !attended.has(i.memberId)).map((i) => mention(i.memberId));
  if (notYet.length) lines.push(`Invited, not recorded as coming: ${notYet.join(", ")}.`);
  return lines;
}

/** Occurrences of webinars and workshops held in a period (ended by `to`, not skipped). */
function webinarsHeld(ctx: BaseContext, range: { from?: number; to: number }): number {
  let held = 0;
  for (const meeting of meetingsOfKinds(ctx.db, ["webinar", "workshop"])) {
    const until = Math.min(range.to, meeting.cancelledAt ?? Infinity);
    const series = seriesOf(ctx, meeting);
    const from = range.from ?? instantOf(meeting.start, meeting.zone);
    held += series.between(from, until).filter((o) => o.end <= ctx.now).length;
  }
  return held;
}

export const meetingMetrics: readonly MetricSpec[] = [
  { key: "meetings.networks-active", label: "Active peer networks (met, with attendance recorded)", compute: (ctx, range) => activeNetworkCount(ctx.db, range) },
  { key: "meetings.network-participants", label: "Peer network participants (attended a network meeting)", compute: (ctx, range) => networkParticipantCount(ctx.db, range) },
  { key: "meetings.webinars", label: "Webinars and workshops run", compute: webinarsHeld },
];
