// `meeting action take <n>`: someone picks up an `#action` item nobody owns
// (a newcomer's welcome offers them as ways to help). The owner then hears
// about it before the next meeting, like any other owned action.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { getGroup } from "../../db/groups.ts";
import { getNote, takeAction } from "../../db/meeting-records.ts";
import { getMeeting } from "../../db/meetings.ts";
import { canSeeDetails } from "./lookup.ts";

export const actionTake = defineCommand({
  name: "meeting action take",
  summary: "Take on a meeting action that nobody owns yet",
  examples: ["meeting action take 4"],
  args: z.object({ action: z.coerce.number().int().positive().describe("the action's number") }),
  positional: ["action"],
  allow: "everyone",
  run(ctx, args) {
    const note = getNote(ctx.db, args.action);
    if (!note || note.kind !== "action") return ctx.fail(`There's no action ${args.action}.`);
    const group = getGroup(ctx.db, getMeeting(ctx.db, note.meetingId)!.groupId)!;
    if (!canSeeDetails(ctx, group)) return ctx.fail(`Action ${note.id} belongs to ${esc(group.name)}; ${cmd(`join ${group.slug}`)} first.`);
    const me = ctx.actor.memberId;
    if (note.state === "done") return ctx.fail(`Action ${note.id} is already done.`);
    if (note.ownerId === me) return ctx.fail(`Action ${note.id} is already yours.`);
    if (note.ownerId !== null) return ctx.fail(`Action ${note.id} is ${mention(note.ownerId)}'s; ask them if they'd like a hand.`);
    if (!takeAction(ctx.db, note.id, me)) return ctx.fail(`Someone took action ${note.id} a moment ago.`);
    ctx.reply(`📌 Action ${note.id} is yours: ${esc(note.text)}. ${cmd(`meeting action done ${note.id}`)} when it's done.`);
  },
});
