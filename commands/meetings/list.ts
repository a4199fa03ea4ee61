// `meetings [group]`: what's coming, in the reader's time zone; and the
// "next meeting" line in the group directory.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { getGroup, groupsOf, type Group } from "../../db/groups.ts";
import { rsvpsFor } from "../../db/meeting-records.ts";
import { activeMeetings, activeMeetingsOf, type Meeting } from "../../db/meetings.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { readerZone, shortWhen, span } from "./format.ts";
import { canSeeDetails, seriesOf } from "./lookup.ts";
import { describeRule } from "./describe.ts";
import { scheduleOf } from "./series.ts";

/** "Mon 24 Aug 11:00" of a group's next meeting, for its directory entry. */
export function nextMeetingFact(ctx: BaseContext, group: Group): string | undefined {
  let best: { start: number; zone: string } | undefined;
  for (const meeting of activeMeetingsOf(ctx.db, group.id)) {
    const next = seriesOf(ctx, meeting).after(ctx.now, 1)[0];
    if (next && (!best || next.start < best.start)) best = { start: next.start, zone: meeting.zone };
  }
  return best ? `Next meeting: ${shortWhen(best.start, best.zone)}` : undefined;
}

function meetingLines(ctx: CommandContext, meeting: Meeting, group: Group, count: number, showZone: boolean): string[] {
  const zone = readerZone(ctx, meeting);
  const upcoming = seriesOf(ctx, meeting).after(ctx.now - meeting.durationMinutes * 60_000, count);
  const dates = upcoming.map((o, i) => {
    const going = i === 0 ? rsvpsFor(ctx.db, meeting.id, o.key).filter((r) => r.answer === "yes").length : 0;
    const now = o.start <= ctx.now ? " (now)" : "";
    return `${span(o, zone)}${o.moved ? " (moved)" : ""}${now}${going ? ` (${going} going)` : ""}`;
  });
  const where = meeting.location && canSeeDetails(ctx, group) ? ` · ${esc(meeting.location)}` : "";
  const kind = meeting.kind === "meeting" ? "" : ` (${meeting.kind})`;
  return [
    `• ${meeting.id}: *${esc(meeting.title)}*${kind} — ${meeting.rrule ? describeRule(scheduleOf(meeting)) : "once"}${where}`,
    ...(dates.length > 3 ? dates.map((d) => `  – ${d}`) : [`  ${dates.length ? dates.join(", ") : "nothing more coming up"}`]),
    ...(showZone ? [`  (times in ${zone})`] : []),
  ];
}

export const meetingsList = defineCommand({
  name: "meetings",
  summary: "List upcoming meetings (your groups', or one group's)",
  examples: ["meetings", "meetings business-planning", "meetings mission --next 12"],
  args: z.object({
    group: z.string().optional().describe("only this group's meetings"),
    next: z.coerce.number().int().min(1).max(24).optional().describe("how many dates to show per meeting (default 3)"),
  }),
  positional: ["group..."],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const only = args.group ? resolveGroup(ctx, args.group) : undefined;
    const mine = groupsOf(ctx.db, ctx.actor.memberId).map((g) => g.id);
    const list = only ? activeMeetingsOf(ctx.db, only.id) : activeMeetings(ctx.db, mine.length ? mine : undefined);
    if (list.length === 0) {
      const where = only ? esc(only.name) : mine.length ? "your groups" : "any group";
      return ctx.reply(`No meetings are scheduled for ${where}.${only ? "" : ` ${cmd("meetings <group>")} shows one group's.`}`);
    }
    const zones = new Set(list.map((m) => readerZone(ctx, m)));
    const lines = [`*Upcoming meetings*${zones.size === 1 ? ` (times in ${[...zones][0]})` : ""}`];
    let lastGroup = -1;
    for (const meeting of [...list].sort((a, b) => a.groupId - b.groupId || a.id - b.id)) {
      const group = getGroup(ctx.db, meeting.groupId)!;
      if (group.id !== lastGroup) lines.push(`*${esc(group.name)}*`);
      lastGroup = group.id;
      lines.push(...meetingLines(ctx, meeting, group, args.next ?? 3, zones.size > 1));
    }
    lines.push(`Answer with ${cmd("rsvp <meeting> yes|no|maybe")}.`);
    ctx.reply(lines.join("\n"));
  },
});
