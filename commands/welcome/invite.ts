// "Invite to next meeting": a driver sends a newcomer a personal invitation
// to the group's next meeting, as the forum's drivers do by hand ("I'll send
// you the invite to the next meeting"). Recorded, so `attended` and `rsvps`
// can show who came after being invited.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { driverScope, getGroup, isMember, type Group } from "../../db/groups.ts";
import { getInvitation, getWelcome, insertInvitation, type Welcome } from "../../db/welcome.ts";
import { isDriverOf } from "../groups/lookup.ts";
import { dateOf } from "../meetings/format.ts";
import { noteKey } from "./group-welcome.ts";
import { meetingButtons, meetingCommands, meetingDay, meetingLine, nextMeetingOf, zoneFor, type NextMeeting } from "./next-meeting.ts";

const welcomeArg = z.coerce.number().int().positive().describe("the welcome's number, from the note about the newcomer");

/** The welcome, if the asker may act on it: a driver of its group or an admin. */
function invitable(ctx: CommandContext, id: number): { welcome: Welcome; group: Group } {
  const welcome = getWelcome(ctx.db, id);
  if (!welcome) return ctx.fail(`There's no welcome ${id}: the number is in the note I sent when someone joined.`);
  const group = getGroup(ctx.db, welcome.groupId)!;
  if (!ctx.isAdmin && !isDriverOf(ctx, group.id, ctx.actor.memberId)) return ctx.fail(`Only the drivers of ${esc(group.name)} (or an admin) can invite its newcomers.`);
  if (!isMember(ctx.db, group.id, welcome.memberId)) return ctx.fail(`${mention(welcome.memberId)} is no longer in ${esc(group.name)}.`);
  return { welcome, group };
}

function invitationText(ctx: CommandContext, group: Group, next: NextMeeting, memberId: number): string {
  return [
    `📨 ${mention(ctx.actor.memberId)} invites you to the next meeting of *${esc(group.name)}*: ${meetingLine(next, zoneFor(ctx, memberId, next.meeting))}`,
    "You don't need to attend to do work in the group, but it's a good way to get a sense of what's going on.",
    meetingCommands(ctx, next, group),
  ].join("\n");
}

export const welcomeInvite = defineCommand({
  name: "welcome invite",
  summary: "Send a newcomer a personal invitation to their group's next meeting",
  description: "The button on the note I send a group's drivers when someone joins. The invitation is recorded: `rsvps` and `attended` show who came after being invited.",
  examples: ["welcome invite 7"],
  args: z.object({ welcome: welcomeArg }),
  positional: ["welcome"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => {
    const welcome = getWelcome(ctx.db, args.welcome);
    return welcome ? driverScope(welcome.groupId) : undefined;
  },
  run(ctx, args) {
    const { welcome, group } = invitable(ctx, args.welcome);
    const who = mention(welcome.memberId);
    const next = nextMeetingOf(ctx, group.id);
    if (!next) return ctx.fail(`${esc(group.name)} has no meeting coming up to invite ${who} to: ${cmd(`meeting schedule ${group.slug} "<title>" <date> <time>`)} sets one up.`);
    const { meeting, occ } = next;
    const day = meetingDay(next, meeting.zone);
    const row = { meetingId: meeting.id, occurrence: occ.key, memberId: welcome.memberId, groupId: group.id, occurrenceAt: occ.start, invitedBy: ctx.actor.memberId, invitedAt: ctx.now };
    if (!insertInvitation(ctx.db, row)) {
      const earlier = getInvitation(ctx.db, meeting.id, occ.key, welcome.memberId)!;
      return ctx.fail(`${who} was already invited to *${esc(meeting.title)}* on ${day}${earlier.invitedBy === ctx.actor.memberId ? " (by you)" : ` by ${mention(earlier.invitedBy)}`}.`);
    }
    ctx.toMember(welcome.memberId, { text: invitationText(ctx, group, next, welcome.memberId), buttons: meetingButtons(ctx, next, group) });
    ctx.update(noteKey(welcome.id), `📨 ${mention(ctx.actor.memberId)} invited ${who} (new in *${esc(group.name)}*) to *${esc(meeting.title)}* on ${day}.`);
    ctx.reply(`📨 Invited ${who} to *${esc(meeting.title)}* on ${day}. ${cmd(`rsvps ${meeting.id} --date ${dateOf(occ)}`)} shows their answer, and recording who came shows whether they did.`);
  },
});
