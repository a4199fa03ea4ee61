// MeetBot-style notes: `#action @bea send the minutes`, `#info ...` and
// `#agreed ...` said in a group's room while one of its meetings is on (from
// its start to its end plus a grace period) are recorded against that
// occurrence. Action owners hear about their open actions the day before
// the next occurrence.
import { z } from "zod";
import { defineJob, type ListenerSpec } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { groupForRoom } from "../../db/groups.ts";
import { closeAction, getNote, insertNote, notesFor, openActions, type Note } from "../../db/meeting-records.ts";
import { activeMeetingsOf, getMeeting } from "../../db/meetings.ts";
import { isDriverOf } from "../groups/lookup.ts";
import { meetingsSettings } from "./config.ts";
import { relative, shortWhen } from "./format.ts";
import { canSeeDetails, pickOccurrence, resolveMeeting, seriesOf } from "./lookup.ts";
import { liveMeeting, type OccurrencePayload } from "./plan.ts";
import type { Occurrence } from "./series.ts";

const NOTE = /^#(action|info|agreed)\b[:\s]*([\s\S]*)$/i;

/** The group meeting under way in this room now, if any. */
function meetingOnNow(ctx: CommandContext): { meetingId: number; title: string; occ: Occurrence } | undefined | "no-group" {
  const group = groupForRoom(ctx.db, ctx.event.platform, ctx.event.room.id);
  if (!group) return "no-group";
  const grace = meetingsSettings(ctx.config).notesGraceMs;
  let best: { meetingId: number; title: string; occ: Occurrence } | undefined;
  for (const meeting of activeMeetingsOf(ctx.db, group.id)) {
    const occ = seriesOf(ctx, meeting).current(ctx.now, grace);
    if (occ && (!best || occ.start > best.occ.start)) best = { meetingId: meeting.id, title: meeting.title, occ };
  }
  return best;
}

export const notesListener: ListenerSpec = {
  name: "meeting-notes",
  matches: (event) => event.room.kind !== "dm" && event.text.startsWith("#") && NOTE.test(event.text.trim()),
  run(ctx) {
    const on = meetingOnNow(ctx);
    if (on === "no-group") return; // a room no group is linked to: not ours to minute
    if (!on) return ctx.reply("No meeting of this room's group is on right now, so I didn't record that.");
    const [, word, body] = NOTE.exec(ctx.event.text.trim())!;
    const kind = word!.toLowerCase() as Note["kind"] & ("action" | "info" | "agreed");
    let text = body!.trim();
    let ownerId: number | null = null;
    if (kind === "action") {
      const owner = /^(@\S+)\s*([\s\S]*)$/.exec(text);
      if (owner) {
        ownerId = ctx.resolveMember(owner[1]!).id;
        text = owner[2]!.trim();
      }
    }
    if (!text) return ctx.fail(`Say what, e.g. \`#${kind}${kind === "action" ? " @bea send the minutes" : " the budget is approved"}\`.`);
    if (text.length > 1000) return ctx.fail("That note is too long (1000 characters at most).");
    const note = insertNote(ctx.db, { meetingId: on.meetingId, occurrence: on.occ.key, kind, text, ownerId, authorId: ctx.actor.memberId, now: ctx.now });
    const what = kind === "action" ? `action ${note.id}${ownerId ? ` for ${mention(ownerId)}` : ""}` : kind;
    ctx.reply(`📝 Noted (${what}) for *${esc(on.title)}*.`);
  },
};

const HEADINGS: [Note["kind"], string][] = [["agreed", "Agreed"], ["action", "Actions"], ["info", "Info"]];

function noteLine(note: Note): string {
  if (note.kind !== "action") return `• ${esc(note.text)}`;
  const owner = note.ownerId ? `${mention(note.ownerId)}: ` : "";
  return `• ${note.id}. ${owner}${esc(note.text)}${note.state === "done" ? " ✓ done" : ""}`;
}

export const meetingNotes = defineCommand({
  name: "meeting notes",
  summary: "Show the #agreed, #action and #info notes of a meeting",
  examples: ["meeting notes 3", "meeting notes 3 --date 2026-09-07"],
  args: z.object({ meeting: z.string().describe("the meeting's number"), date: z.string().optional().describe("which date (default: the latest)") }),
  positional: ["meeting"],
  allow: "everyone",
  run(ctx, args) {
    const { meeting, group } = resolveMeeting(ctx, args.meeting, { includeCancelled: true });
    if (!canSeeDetails(ctx, group)) return ctx.fail(`Only members of ${esc(group.name)} can read its meeting notes.`);
    const occ = pickOccurrence(ctx, seriesOf(ctx, meeting), args.date, "last");
    const notes = notesFor(ctx.db, meeting.id, occ.key);
    const title = `*Notes: ${esc(meeting.title)}, ${shortWhen(occ.start, meeting.zone)}*`;
    if (notes.length === 0) return ctx.reply(`${title}\nNothing was noted. During a meeting, lines starting #agreed, #action or #info in the group's room are recorded.`);
    const lines = [title];
    for (const [kind, heading] of HEADINGS) {
      const some = notes.filter((n) => n.kind === kind);
      if (some.length) lines.push(`_${heading}_`, ...some.map(noteLine));
    }
    ctx.reply(lines.join("\n"));
  },
});

export const actionDone = defineCommand({
  name: "meeting action done",
  summary: "Mark a meeting action as done",
  examples: ["meeting action done 4"],
  args: z.object({ action: z.coerce.number().int().positive().describe("the action's number") }),
  positional: ["action"],
  allow: "everyone",
  run(ctx, args) {
    const note = getNote(ctx.db, args.action);
    if (!note || note.kind !== "action") return ctx.fail(`There's no action ${args.action}.`);
    const meeting = getMeeting(ctx.db, note.meetingId)!;
    const me = ctx.actor.memberId;
    const mayClose = note.ownerId === me || note.authorId === me || ctx.isAdmin || isDriverOf(ctx, meeting.groupId, me);
    if (!mayClose) return ctx.fail(`Only ${note.ownerId ? mention(note.ownerId) : "its author"}, the group's drivers or an admin can close action ${note.id}.`);
    if (!closeAction(ctx.db, note.id, ctx.now)) return ctx.fail(`Action ${note.id} is already done.`);
    ctx.reply(`✓ Action ${note.id} is done: ${esc(note.text)}`);
  },
});

/** The day before an occurrence: each owner of an open action from earlier meetings hears about it. */
export const actionsJob = defineJob<OccurrencePayload>({
  kind: "meetings.actions",
  run(ctx, p) {
    const meeting = liveMeeting(ctx, p);
    const occ = meeting && seriesOf(ctx, meeting).find(p.occurrence);
    if (!meeting || !occ) return ctx.skip("the meeting was changed, skipped or cancelled");
    if (occ.start <= ctx.now) return ctx.skip("the meeting had started by the time I could send it");
    const open = openActions(ctx.db, meeting.id).filter((n) => n.occurrence < occ.key);
    if (open.length === 0) return ctx.skip("no open actions");
    const owners = new Map<number, Note[]>();
    for (const n of open) owners.set(n.ownerId!, [...(owners.get(n.ownerId!) ?? []), n]);
    for (const [ownerId, notes] of owners) {
      const list = notes.map((n) => `• ${n.id}. ${esc(n.text)} (from ${n.occurrence.slice(0, 10)})`);
      ctx.toMember(ownerId, [`📌 *${esc(meeting.title)}* is ${relative(ctx, occ.start, meeting.zone)} (${shortWhen(occ.start, meeting.zone)}). Your open actions:`, ...list, `Done one? ${cmd("meeting action done <number>")}`].join("\n"));
    }
  },
});
