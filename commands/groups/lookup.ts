// Finding groups from what people type, and the group facts other
// capabilities (meetings, actions, clinic) build on: drivers and rooms.
import type { BaseContext, Message } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { nearest } from "../../bot/suggest.ts";
import { driverScope, driversOf, findGroupByName, findGroupBySlug, listGroups, roomsOf, type Group } from "../../db/groups.ts";
import { holdersOf } from "../../db/roles.ts";

export const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What people type for a group: its slug, `#slug`, or its exact name. */
const typedGroup = (text: string) => text.trim().replace(/^#/, "");
const findTyped = (ctx: BaseContext, typed: string) => findGroupBySlug(ctx.db, typed) ?? findGroupByName(ctx.db, typed);

/** A group by slug (or exact name, or #slug), or a refusal that suggests the nearest slug. */
export function resolveGroup(ctx: BaseContext, text: string, opts: { includeArchived?: boolean } = {}): Group {
  const typed = typedGroup(text);
  const group = findTyped(ctx, typed);
  if (group && (group.status !== "archived" || opts.includeArchived)) return group;
  if (group) return ctx.fail(`${esc(group.name)} has been archived.`);
  const guess = nearest(typed, listGroups(ctx.db).flatMap((g) => [g.slug]));
  return ctx.fail(`There's no group \`${esc(typed)}\`.${guess ? ` Did you mean \`${guess}\`?` : ""} Type ${cmd("groups")} to see them all.`);
}

/** The permission scope for a typed group (for `allow: ["driver", ...]`), if it exists. */
export function groupScope(ctx: BaseContext, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const group = findTyped(ctx, typedGroup(text));
  return group ? driverScope(group.id) : undefined;
}

export function isDriverOf(ctx: BaseContext, groupId: number, memberId: number): boolean {
  return driversOf(ctx.db, groupId).some((d) => d.memberId === memberId);
}

/**
 * Who decides for a group: its drivers; admins when it has none (or when the
 * only driver is the person asking). Used for join requests, action
 * verification and anything else a driver approves.
 */
export function deciders(ctx: BaseContext, groupId: number, asker?: number): number[] {
  const drivers = driversOf(ctx.db, groupId).map((d) => d.memberId).filter((id) => id !== asker);
  return drivers.length > 0 ? drivers : holdersOf(ctx.db, "admin").map((a) => a.memberId).filter((id) => id !== asker);
}

/** Posts to every room the group is linked to (one per platform). Returns how many. */
export function postToGroupRooms(ctx: BaseContext, groupId: number, message: Message): number {
  const rooms = roomsOf(ctx.db, groupId);
  for (const room of rooms) ctx.toRoom({ platform: room.platform as Platform, id: room.roomId }, message);
  return rooms.length;
}

export function kindLabel(group: Group): string {
  return group.kind === "network" ? "peer network" : "working group";
}

export function policyLabel(group: Group): string {
  if (group.policy === "open") return "open: join any time";
  if (group.policy === "approval") return "join with a driver's approval";
  return `closed${group.closedReason ? ` (${esc(group.closedReason)})` : ""}`;
}

export function tagsOf(group: Group): string[] {
  return group.tags.split(",").map((t) => t.trim()).filter(Boolean);
}
