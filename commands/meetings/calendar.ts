// A group's meetings as iCalendar (RFC 5545): `meeting ics <group>` in chat,
// and the body of each member's own feed (feed.ts).
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { platformInfo } from "../../bot/platforms.ts";
import { cmd, esc } from "../../bot/markup.ts";
import type { Group } from "../../db/groups.ts";
import { activeMeetingsOf, exceptionsOf } from "../../db/meetings.ts";
import { attachment, dropBytesOnceSent, withFile } from "../core/files.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { buildCalendar, type CalendarEvent } from "./ics.ts";
import { zoneOf } from "./input.ts";
import { canSeeDetails } from "./lookup.ts";

/** Every active meeting of the group: series with EXDATEs for skipped dates, and an override (RECURRENCE-ID) for each moved one. */
export function groupCalendar(ctx: BaseContext, group: Group, opts: { details: boolean }): string {
  const events: CalendarEvent[] = [];
  const host = ctx.config.federation.name.replace(/[^A-Za-z0-9.-]/g, "") || "coopbot";
  for (const m of activeMeetingsOf(ctx.db, group.id)) {
    const exceptions = exceptionsOf(ctx.db, m.id);
    const moved = exceptions.filter((e) => e.kind === "move" && e.movedTo);
    const base = { title: m.title, durationMinutes: m.durationMinutes, zone: m.zone, sequence: m.revision, location: opts.details ? (m.location ?? undefined) : undefined };
    const start = !m.rrule && moved[0] ? moved[0].movedTo! : m.start;
    const uid = `meeting-${m.id}@${host}`;
    const skipped = exceptions.filter((e) => e.kind === "skip").map((e) => e.occurrence);
    events.push({ ...base, uid, start, rrule: m.rrule ?? undefined, exdates: m.rrule ? skipped : undefined });
    if (!m.rrule) continue;
    // RFC 5545 overrides: same UID, RECURRENCE-ID naming the occurrence it replaces.
    for (const e of moved) events.push({ ...base, uid, recurrenceId: e.occurrence, start: e.movedTo! });
  }
  return buildCalendar({ name: `${group.name} meetings`, zone: zoneOf(ctx, group), events, stampMs: ctx.now });
}

/**
 * The group's calendar as a file, in the asker's direct messages (a file
 * can't be a private reply in a room): on Slack and Matrix a real file to
 * open or import, never a wall of text. Where the platform takes no files,
 * the text goes as before, whole.
 */
export function sendCalendarFile(ctx: CommandContext, group: Group, lead: string): void {
  const content = groupCalendar(ctx, group, { details: canSeeDetails(ctx, group) });
  if (!platformInfo(ctx.services, ctx.event.platform)?.capabilities.files) {
    const text = content.replace(/\r\n/g, "\n").trimEnd();
    return void ctx.reply(`${lead} (save it as ${group.slug}.ics):\n\`\`\`\n${esc(text)}\n\`\`\``, { whole: true });
  }
  const count = activeMeetingsOf(ctx.db, group.id).length;
  // A calendar is small (a few KB even for many series): far under the file limit, so no FileTooLarge path is needed here.
  const file = attachment(`${group.slug}.ics`, "text/calendar", Buffer.from(content, "utf8"), `iCalendar with ${count} ${count === 1 ? "meeting" : "meetings"} of ${group.name}`);
  // The bytes leave the outbox once sent: a calendar with places and call links shouldn't sit there for weeks.
  dropBytesOnceSent(ctx, ctx.toMember(ctx.actor.memberId, withFile(`${lead}: open it, or import it into your calendar app.`, file)));
  if (ctx.event.room.kind !== "dm") ctx.reply("I've sent you the calendar file in a direct message.");
}

export const meetingIcs = defineCommand({
  name: "meeting ics",
  summary: "Get a group's meetings as a calendar file (.ics) for your calendar app",
  examples: ["meeting ics business-planning"],
  args: z.object({ group: z.string().describe("the group's slug") }),
  positional: ["group..."],
  allow: "everyone",
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const feed = ctx.config.http?.publicUrl ? ` (${cmd(`meeting feed ${group.slug}`)} gives a link that stays up to date)` : "";
    sendCalendarFile(ctx, group, `📆 *${esc(group.name)}*'s meetings as a calendar file${feed}`);
  },
});
