// Joining and leaving: `join`, `approve`, `decline`, `leave`, `requests`, and
// the jobs that make sure a request never silently rots.
import { DateTime } from "luxon";
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { addMember, decideJoinRequest, driverScope, getGroup, getJoinRequest, insertJoinRequest, isMember, pendingRequestFor, pendingRequests, removeMember, driversOf, type Group, type JoinRequest } from "../../db/groups.ts";
import { getProfile } from "../../db/profiles.ts";
import { holdersOf, revokeRole } from "../../db/roles.ts";
import { announceJoin } from "./events.ts";
import { deciders, isDriverOf, resolveGroup, resolveGroupAndRest } from "./lookup.ts";
import { inviteToGroupRooms, removeFromGroupRooms } from "./rooms.ts";

/** Days (calendar days in the group's zone, so a clock change moves neither) before a request is chased, then escalated. */
export const REMIND_AFTER_DAYS = 2;
export const ESCALATE_AFTER_DAYS = 7;

/** The same wall-clock time `days` later in the group's zone: "in 7 days" across a clock change is still 09:00, not 08:00. */
const daysLater = (ctx: BaseContext, group: Group, days: number): number =>
  DateTime.fromMillis(ctx.now, { zone: group.timezone ?? ctx.config.timezone }).plus({ days }).toMillis();

export const requestKey = (id: number) => `join-request:${id}`;

/** A request's card stays past the pruning age while the request is pending: deciding it edits the card's buttons away. */
export function keepsRequestCard(ctx: BaseContext, key: string): boolean {
  const id = /^join-request:(\d+)$/.exec(key)?.[1];
  return id !== undefined && getJoinRequest(ctx.db, Number(id))?.state === "pending";
}
const when = (ctx: BaseContext, ms: number) => DateTime.fromMillis(ms, { zone: ctx.config.timezone }).toFormat("d LLL HH:mm");

function requestCard(ctx: BaseContext, request: JoinRequest, group: Group, lead: string): { text: string; key: string; buttons: { label: string; command: string; style?: "primary" | "danger" }[] } {
  const note = request.note ? `\n> ${esc(request.note)}` : "";
  // What they offered includes what their profile says they can do (the welcome tour asks).
  const skills = getProfile(ctx.db, request.memberId)?.skills;
  const offered = skills ? `\nSkills on their profile: ${esc(skills)}` : "";
  return {
    key: requestKey(request.id),
    text: `${lead} ${mention(request.memberId)} would like to join *${esc(group.name)}* (request ${request.id}).${note}${offered}\nApprove with ${cmd(`approve ${request.id}`)} or decline with ${cmd(`decline ${request.id} <reason>`)}.`,
    buttons: [
      { label: "Approve", command: `approve ${request.id}`, style: "primary" },
      { label: "Decline", command: `decline ${request.id}`, style: "danger" },
    ],
  };
}

export const join = defineCommand({
  name: "join",
  summary: "Join a working group or peer network (or ask its drivers to let you in)",
  examples: ["join comms I do graphic design and some motion graphics", "join glasgow"],
  args: z.object({
    group: z.string().describe("the group's slug"),
    note: z.string().max(1000).optional().describe("what you can offer, for the drivers"),
  }),
  positional: ["group", "note..."],
  allow: "everyone",
  run(ctx, args) {
    const { group, rest: note } = resolveGroupAndRest(ctx, args.group, args.note);
    const me = ctx.actor.memberId;
    if (isMember(ctx.db, group.id, me)) return ctx.reply(`You're already a member of ${esc(group.name)}.`);
    if (group.policy === "closed") return ctx.fail(`You can't join ${esc(group.name)}${group.closedReason ? ` — ${esc(group.closedReason)}` : ": it is closed"}.`);
    if (group.policy === "open") {
      addMember(ctx.db, group.id, me, ctx.now, null);
      const rooms = inviteToGroupRooms(ctx, group, me).you;
      // The welcome itself (next meeting, ways to help) goes to their DM: see commands/welcome.
      if (ctx.event.room.kind !== "dm") ctx.reply(`Welcome to ${esc(group.name)}! I've sent you what's next in a private message.${rooms ? ` ${rooms}` : ""}`);
      else if (rooms) ctx.reply(rooms);
      announceJoin(ctx, { memberId: me, groupId: group.id, via: "open", by: null, note: args.note ?? null });
      return;
    }
    const pending = pendingRequestFor(ctx.db, group.id, me);
    if (pending) return ctx.reply(`You already asked to join ${esc(group.name)} (request ${pending.id}, ${when(ctx, pending.createdAt)}); it's waiting for its drivers. I'll tell you when they answer.`);
    const request = insertJoinRequest(ctx.db, { groupId: group.id, memberId: me, note: note ?? null, now: ctx.now });
    const to = deciders(ctx, group.id, me);
    for (const id of to) ctx.toMember(id, requestCard(ctx, request, group, "👋"));
    ctx.schedule({ kind: "groups.request-remind", key: `${requestKey(request.id)}:remind`, dueAt: daysLater(ctx, group, REMIND_AFTER_DAYS), payload: { requestId: request.id } });
    ctx.schedule({ kind: "groups.request-escalate", key: `${requestKey(request.id)}:escalate`, dueAt: daysLater(ctx, group, ESCALATE_AFTER_DAYS), payload: { requestId: request.id } });
    const driving = driversOf(ctx.db, group.id).some((d) => to.includes(d.memberId));
    const who = driving ? `its drivers (${to.map(mention).join(", ")})` : "the admins (it has no other driver)";
    ctx.reply(`Your request to join ${esc(group.name)} was sent to ${who}. I'll tell you when they answer.`);
  },
});

/** The request, if the asker may decide it; otherwise a refusal that says why. */
function decidable(ctx: CommandContext, id: number): { request: JoinRequest; group: Group } {
  const request = getJoinRequest(ctx.db, id);
  if (!request) return ctx.fail(`There is no join request ${id}.`);
  const group = getGroup(ctx.db, request.groupId)!;
  if (!ctx.isAdmin && !isDriverOf(ctx, group.id, ctx.actor.memberId)) return ctx.fail(`Only the drivers of ${esc(group.name)} (or an admin) can decide request ${id}.`);
  if (request.memberId === ctx.actor.memberId && !ctx.isAdmin) return ctx.fail("You can't decide your own request; another driver or an admin will.");
  if (request.state !== "pending") {
    const by = request.decidedBy ? ` by ${mention(request.decidedBy)}` : "";
    return ctx.fail(`Request ${id} was already ${request.state}${by} on ${when(ctx, request.decidedAt ?? request.createdAt)}.`);
  }
  return { request, group };
}

function settle(ctx: CommandContext, request: JoinRequest, outcome: string): void {
  ctx.cancelJobs(`${requestKey(request.id)}:`);
  ctx.update(requestKey(request.id), `${outcome} (request ${request.id}).`);
}

const requestArg = z.coerce.number().int().positive().describe("the request number");

export const approve = defineCommand({
  name: "approve",
  summary: "Approve a request to join your group",
  examples: ["approve 12"],
  args: z.object({ request: requestArg }),
  positional: ["request"],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const { request, group } = decidable(ctx, args.request);
    if (!decideJoinRequest(ctx.db, request.id, { state: "approved", by: ctx.actor.memberId, reason: null, now: ctx.now })) return ctx.fail(`Request ${request.id} was decided a moment ago by someone else.`);
    addMember(ctx.db, group.id, request.memberId, ctx.now, ctx.actor.memberId);
    settle(ctx, request, `✅ ${mention(ctx.actor.memberId)} approved ${mention(request.memberId)} joining *${esc(group.name)}*`);
    const rooms = inviteToGroupRooms(ctx, group, request.memberId);
    ctx.reply(`${mention(request.memberId)} is now a member of ${esc(group.name)}.${rooms.they ? ` ${rooms.they}` : ""}`);
    const approved = `🎉 ${mention(ctx.actor.memberId)} approved your request: you're now a member of *${esc(group.name)}*.`;
    const roomsNote = rooms.you ? ` ${rooms.you}` : "";
    const welcomed = announceJoin(ctx, { memberId: request.memberId, groupId: group.id, via: "approval", by: ctx.actor.memberId, note: request.note, intro: `${approved}${roomsNote}` });
    if (!welcomed) ctx.toMember(request.memberId, `${approved} ${cmd(`group ${group.slug}`)} shows what it's up to.${roomsNote}`);
  },
});

export const decline = defineCommand({
  name: "decline",
  summary: "Decline a request to join your group, with a reason for the person",
  examples: ["decline 12 we're full until the autumn; try the Mobilising group?"],
  args: z.object({ request: requestArg, reason: z.string().max(1000).optional().describe("told to the person who asked") }),
  positional: ["request", "reason..."],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const { request, group } = decidable(ctx, args.request);
    if (!decideJoinRequest(ctx.db, request.id, { state: "declined", by: ctx.actor.memberId, reason: args.reason ?? null, now: ctx.now })) return ctx.fail(`Request ${request.id} was decided a moment ago by someone else.`);
    settle(ctx, request, `❌ ${mention(ctx.actor.memberId)} declined ${mention(request.memberId)} joining *${esc(group.name)}*`);
    const reason = args.reason ? `: ${esc(args.reason)}` : ". They didn't give a reason; you can ask them directly.";
    ctx.toMember(request.memberId, `Your request to join *${esc(group.name)}* was declined by ${mention(ctx.actor.memberId)}${reason}`);
    ctx.reply(`Declined; I've told ${mention(request.memberId)}${args.reason ? " why" : ""}.`);
  },
});

export const leave = defineCommand({
  name: "leave",
  summary: "Leave a group (quietly: nobody is told)",
  examples: ["leave comms"],
  args: z.object({ group: z.string().describe("the group's slug") }),
  positional: ["group..."],
  allow: "everyone",
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group, { includeArchived: true });
    const me = ctx.actor.memberId;
    const pending = pendingRequestFor(ctx.db, group.id, me);
    if (pending) {
      decideJoinRequest(ctx.db, pending.id, { state: "withdrawn", by: me, reason: null, now: ctx.now });
      settle(ctx, pending, `${mention(me)} withdrew their request to join *${esc(group.name)}*`);
      return ctx.reply(`I've withdrawn your request to join ${esc(group.name)}.`);
    }
    if (!removeMember(ctx.db, group.id, me)) return ctx.fail(`You're not a member of ${esc(group.name)}.`);
    const rooms = removeFromGroupRooms(ctx, group, me);
    ctx.emit("group.left", { memberId: me, groupId: group.id, by: me });
    const wasDriver = revokeRole(ctx.db, me, "driver", driverScope(group.id));
    if (wasDriver && driversOf(ctx.db, group.id).length === 0) {
      for (const admin of holdersOf(ctx.db, "admin")) ctx.toMember(admin.memberId, `${mention(me)} left *${esc(group.name)}*, which now has no driver. ${cmd(`group driver add ${group.slug} @someone`)} names a new one.`);
    }
    ctx.reply(`You've left ${esc(group.name)}${wasDriver ? " and are no longer one of its drivers" : ""}.${rooms ? ` ${rooms}` : ""}`);
  },
});

export const requests = defineCommand({
  name: "requests",
  summary: "List join requests waiting for you",
  examples: ["requests", "requests comms"],
  args: z.object({ group: z.string().optional().describe("only this group") }),
  positional: ["group..."],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const only = args.group ? resolveGroup(ctx, args.group) : undefined;
    const mine = pendingRequests(ctx.db, only?.id).filter((r) => ctx.isAdmin || isDriverOf(ctx, r.groupId, ctx.actor.memberId));
    if (mine.length === 0) return ctx.reply("No join requests are waiting for you.");
    const lines = mine.map((r) => `• ${r.id}: ${mention(r.memberId)} → *${esc(getGroup(ctx.db, r.groupId)!.name)}* (${when(ctx, r.createdAt)})${r.note ? ` — ${esc(r.note)}` : ""}`);
    ctx.reply([`*Waiting for a decision* (${cmd("approve <n>")} or ${cmd("decline <n> <reason>")})`, ...lines].join("\n"));
  },
});

/** Still pending after 2 days: remind the drivers, with the buttons again. */
export const remindRequest = defineJob<{ requestId: number }>({
  kind: "groups.request-remind",
  run(ctx, { requestId }) {
    const request = getJoinRequest(ctx.db, requestId);
    if (!request || request.state !== "pending") return ctx.skip("already decided");
    const group = getGroup(ctx.db, request.groupId)!;
    for (const id of deciders(ctx, group.id, request.memberId)) ctx.toMember(id, requestCard(ctx, request, group, "⏳ Reminder: 2 days on,"));
  },
});

/** Still pending after 7 days: every driver and every admin hears about it. */
export const escalateRequest = defineJob<{ requestId: number }>({
  kind: "groups.request-escalate",
  run(ctx, { requestId }) {
    const request = getJoinRequest(ctx.db, requestId);
    if (!request || request.state !== "pending") return ctx.skip("already decided");
    const group = getGroup(ctx.db, request.groupId)!;
    const everyone = new Set([...driversOf(ctx.db, group.id).map((d) => d.memberId), ...holdersOf(ctx.db, "admin").map((a) => a.memberId)]);
    everyone.delete(request.memberId);
    for (const id of everyone) ctx.toMember(id, requestCard(ctx, request, group, "⚠️ No answer for 7 days:"));
    ctx.toMember(request.memberId, `Your request to join *${esc(group.name)}* hasn't been answered for a week, so I've asked the admins to help. Sorry for the wait.`);
  },
});
