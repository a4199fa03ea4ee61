// Confirming a recurring schedule before it is saved. The pending draft is a
// database row keyed to the driver, with an expiry and an expiry job: a
// restart between "here are the next dates" and "confirm" loses nothing,
// and of a typed `confirm` and a click racing, exactly one wins.
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { formatDuration } from "../../bot/clock.ts";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { driverScope } from "../../db/groups.ts";
import { decideDraft, getDraft, getMeeting, insertDraft, latestPendingDraft, pendingDraftsOf, type MeetingDraft, type MeetingInsert } from "../../db/meetings.ts";
import { announce, changeMeeting, createMeeting, type MeetingChanges } from "./apply.ts";
import { meetingsSettings } from "./config.ts";
import { describeMeeting } from "./input.ts";
import { duplicateOf } from "./warnings.ts";

export type DraftPayload = { action: "schedule"; meeting: MeetingInsert } | { action: "edit"; meetingId: number; revision: number; changes: MeetingChanges; groupId: number };

const draftKey = (id: number) => `meeting-draft:${id}`;

/** Drafts are numbered d1, d2…: their own sequence, so a draft's number never reads like a meeting's. */
export const draftName = (id: number) => `d${id}`;

/** Saves a draft (replacing the driver's older ones) and shows it with Confirm / Discard buttons. */
export function proposeDraft(ctx: CommandContext, payload: DraftPayload, text: string): MeetingDraft {
  const me = ctx.actor.memberId;
  for (const older of pendingDraftsOf(ctx.db, me)) {
    if (decideDraft(ctx.db, older.id, "superseded", ctx.now)) {
      ctx.cancelJob(`${draftKey(older.id)}:expire`);
      ctx.update(draftKey(older.id), "Replaced by a newer draft: nothing was saved from this one.");
    }
  }
  const within = meetingsSettings(ctx.config).confirmWithinMs;
  const draft = insertDraft(ctx.db, { memberId: me, action: payload.action, meetingId: payload.action === "edit" ? payload.meetingId : null, payload, expiresAt: ctx.now + within, now: ctx.now });
  ctx.schedule({ kind: expireDraft.kind, key: `${draftKey(draft.id)}:expire`, dueAt: draft.expiresAt, payload: { draftId: draft.id } });
  ctx.reply({
    text: `${text}\nConfirm with ${cmd("confirm")} within ${formatDuration(within)}, or ${cmd(`meeting discard ${draftName(draft.id)}`)}.`,
    buttons: [
      { label: "Confirm", command: `meeting confirm ${draftName(draft.id)}`, style: "primary" },
      { label: "Discard", command: `meeting discard ${draftName(draft.id)}`, style: "danger" },
    ],
    key: draftKey(draft.id),
  });
  return draft;
}

/**
 * A bare number that is not one of the driver's own drafts but is an active
 * meeting's number was almost certainly meant as the meeting: say so, and
 * how to act on the meeting, rather than "no draft".
 */
function meetingMeant(ctx: CommandContext, text: string, verb: "confirm" | "discard"): void {
  const meeting = /^\d+$/.test(text) ? getMeeting(ctx.db, Number(text)) : undefined;
  if (!meeting || meeting.state !== "active") return;
  const hint = verb === "discard" ? `To call it off: ${cmd(`meeting cancel ${meeting.id}`)}.` : "It is already saved.";
  ctx.fail(`${meeting.id} is a meeting (*${esc(meeting.title)}*), not a draft: drafts are numbered like d1. ${hint}`);
}

/** The draft the driver means: the one named (d3, or 3), else their newest pending one. */
function draftFor(ctx: CommandContext, text: string | undefined, verb: "confirm" | "discard"): MeetingDraft {
  const me = ctx.actor.memberId;
  const typed = text?.trim();
  const id = typed === undefined ? undefined : Number(/^d?(\d{1,9})$/i.exec(typed)?.[1]);
  if (id !== undefined && !(id > 0)) return ctx.fail(`\`${esc(typed!)}\` isn't a draft number: drafts are numbered like d1.`);
  const draft = id === undefined ? latestPendingDraft(ctx.db, me, ctx.now) : getDraft(ctx.db, id);
  if (typed !== undefined && draft?.memberId !== me) meetingMeant(ctx, typed, verb);
  if (!draft) {
    return ctx.fail(id === undefined ? `Nothing is waiting for your confirmation (drafts last ${formatDuration(meetingsSettings(ctx.config).confirmWithinMs)}).` : `There's no draft ${draftName(id)}.`);
  }
  const name = draftName(draft.id);
  if (draft.memberId !== me) return ctx.fail(`Draft ${name} is someone else's to confirm.`);
  if (draft.state !== "pending") return ctx.fail(`Draft ${name} was already ${draft.state}.`);
  if (draft.expiresAt <= ctx.now) return ctx.fail(`Draft ${name} has expired: nothing was saved. Schedule it again.`);
  return draft;
}

const draftArg = z.string().max(12).optional().describe("the draft's number, like d3 (default: your latest)");

export const confirmDraft = defineCommand({
  name: "meeting confirm",
  aliases: ["confirm"],
  summary: "Confirm a recurring meeting schedule the bot showed you",
  examples: ["confirm", "meeting confirm d3"],
  args: z.object({ draft: draftArg }),
  positional: ["draft"],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const draft = draftFor(ctx, args.draft, "confirm");
    const payload = JSON.parse(draft.payload) as DraftPayload;
    const groupId = payload.action === "schedule" ? payload.meeting.groupId : payload.groupId;
    if (!ctx.can(["driver", "admin"], driverScope(groupId))) return ctx.fail("You're no longer a driver of that group, so you can't confirm this.");
    if (!decideDraft(ctx.db, draft.id, "confirmed", ctx.now)) return ctx.fail(`Draft ${draftName(draft.id)} was decided a moment ago.`);
    ctx.cancelJob(`${draftKey(draft.id)}:expire`);
    if (payload.action === "schedule") {
      const dup = duplicateOf(ctx, payload.meeting);
      if (dup) return ctx.fail(`*${esc(dup.title)}* was scheduled meanwhile as meeting ${dup.id}: nothing new was saved.`);
      createMeeting(ctx, payload.meeting, (meeting) => {
        ctx.update(draftKey(draft.id), `✅ Confirmed: meeting ${meeting.id}.`);
        ctx.reply(`📅 Scheduled meeting ${meeting.id}: *${esc(meeting.title)}* — ${describeMeeting(meeting)}.`);
      });
      return;
    }
    const meeting = getMeeting(ctx.db, payload.meetingId);
    if (!meeting || meeting.state !== "active") return ctx.fail(`Meeting ${payload.meetingId} was cancelled meanwhile; nothing changed.`);
    if (meeting.revision !== payload.revision) return ctx.fail(`Meeting ${meeting.id} was changed by someone else meanwhile; run your edit again.`);
    const updated = changeMeeting(ctx, meeting, payload.changes);
    ctx.update(draftKey(draft.id), `✅ Confirmed: meeting ${updated.id}.`);
    ctx.reply(`Meeting ${updated.id}, *${esc(updated.title)}*, is now ${describeMeeting(updated)}.`);
    announce(ctx, updated, `🔁 *${esc(updated.title)}* has a new schedule: ${describeMeeting(updated)}.`);
  },
});

export const discardDraft = defineCommand({
  name: "meeting discard",
  summary: "Throw away a meeting schedule waiting for your confirmation",
  examples: ["meeting discard", "meeting discard d3"],
  args: z.object({ draft: draftArg }),
  positional: ["draft"],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const draft = draftFor(ctx, args.draft, "discard");
    if (!decideDraft(ctx.db, draft.id, "discarded", ctx.now)) return ctx.fail(`Draft ${draftName(draft.id)} was decided a moment ago.`);
    ctx.cancelJob(`${draftKey(draft.id)}:expire`);
    ctx.update(draftKey(draft.id), "🗑️ Discarded: nothing was saved.");
  },
});

export const expireDraft = defineJob<{ draftId: number }>({
  kind: "meetings.draft-expire",
  run(ctx, { draftId }) {
    if (!decideDraft(ctx.db, draftId, "expired", ctx.now)) return ctx.skip("already decided");
    ctx.update(draftKey(draftId), "⌛ Not confirmed in time: nothing was saved. Schedule it again when you're ready.");
  },
});
