// Membership follows into rooms: a member who joins a group (or is approved,
// or added by a driver) is invited to the group's linked rooms on each
// platform where they have an account and the bot can invite; with the
// config's `rooms.removeOnLeave`, leaving takes them out again. The invites
// are outbox deliveries (bot/membership.ts): a refusal comes back to the
// member, and to whoever let them in, with the reason.
import type { BaseContext } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { esc } from "../../bot/markup.ts";
import { queueMembership } from "../../bot/membership.ts";
import { platformInfo, platformName } from "../../bot/platforms.ts";
import { roomsOf, type Group, type GroupRoom } from "../../db/groups.ts";
import { identitiesOf } from "../../db/members.ts";

/** `#comms` on Slack, the room's name on Matrix. */
export function roomLabel(room: Pick<GroupRoom, "platform" | "roomId" | "roomName">): string {
  const name = room.roomName ?? room.roomId;
  return room.platform === "slack" && room.roomName ? `#${name}` : name;
}

/** "its Slack channel #comms and its Matrix room Comms" */
function listRooms(rooms: GroupRoom[]): string {
  const parts = rooms.map((r) => `its ${platformName(r.platform as Platform)} ${r.platform === "slack" ? "channel" : "room"} ${esc(roomLabel(r))}`);
  return parts.length > 1 ? `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}` : (parts[0] ?? "");
}

/** The group's rooms the bot can change membership of, split by whether the member has an account there. */
function roomsFor(ctx: BaseContext, group: Group, memberId: number): { reachable: { room: GroupRoom; platformId: string }[]; elsewhere: GroupRoom[] } {
  const ids = identitiesOf(ctx.db, memberId);
  const reachable: { room: GroupRoom; platformId: string }[] = [];
  const elsewhere: GroupRoom[] = [];
  for (const room of roomsOf(ctx.db, group.id)) {
    if (!platformInfo(ctx.services, room.platform as Platform)?.capabilities.invite) continue;
    const identity = ids.find((i) => i.platform === room.platform);
    if (identity) reachable.push({ room, platformId: identity.platformId });
    else elsewhere.push(room);
  }
  return { reachable, elsewhere };
}

/** What an invite said, to the member (`you`) and to whoever let them in (`they`); "" when there was nothing to do. */
export interface InviteNote {
  you: string;
  they: string;
}

function describeInvites(reachable: GroupRoom[], elsewhere: GroupRoom[], [you, subject, your]: [string, string, string]): string {
  const said: string[] = [];
  if (reachable.length) said.push(`I'm adding ${you} to ${listRooms(reachable)}.`);
  if (elsewhere.length) {
    const platforms = [...new Set(elsewhere.map((r) => platformName(r.platform as Platform)))].join(" and ");
    said.push(`${listRooms(elsewhere).replace(/^its/, "Its")} ${elsewhere.length > 1 ? "are" : "is"} open to ${you} too, once ${subject} link ${your} ${platforms} account.`);
  }
  return said.join(" ");
}

/** Invites the member to the group's rooms, and says so. */
export function inviteToGroupRooms(ctx: BaseContext, group: Group, memberId: number): InviteNote {
  if (!ctx.config.rooms.inviteOnJoin) return { you: "", they: "" };
  const { reachable, elsewhere } = roomsFor(ctx, group, memberId);
  for (const { room, platformId } of reachable) {
    queueMembership(ctx, "invite", { platform: room.platform as Platform, roomId: room.roomId }, { memberId, platformId, group: group.name, room: roomLabel(room) });
  }
  const rooms = reachable.map((r) => r.room);
  return { you: describeInvites(rooms, elsewhere, ["you", "you", "your"]), they: describeInvites(rooms, elsewhere, ["them", "they", "their"]) };
}

/** With `rooms.removeOnLeave`: takes the member out of the group's rooms; returns what to tell them. */
export function removeFromGroupRooms(ctx: BaseContext, group: Group, memberId: number): string {
  if (!ctx.config.rooms.removeOnLeave) return "";
  const { reachable } = roomsFor(ctx, group, memberId);
  for (const { room, platformId } of reachable) {
    queueMembership(ctx, "uninvite", { platform: room.platform as Platform, roomId: room.roomId }, { memberId, platformId, group: group.name, room: roomLabel(room) });
  }
  return reachable.length ? `I'm taking you out of ${listRooms(reachable.map((r) => r.room))}.` : "";
}
