// Finding groups from what people type, and the group facts other
// capabilities (meetings, actions, clinic) build on: drivers and rooms.
import type { BaseContext, Message } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { nearest } from "../../bot/suggest.ts";
import { driverScope, driversOf, findGroupByName, findGroupBySlug, listGroups, roomsOf, type Group } from "../../db/groups.ts";
import { holdersOf } from "../../db/roles.ts";

export const SLUG = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** What people type for a group: its slug, `#slug`, its name, or the unambiguous start of either. */
const typedGroup = (text: string) => text.trim().replace(/^#/, "").replace(/\s+/g, " ");

export type GroupMatch = { kind: "found"; group: Group } | { kind: "ambiguous"; groups: Group[] } | { kind: "none"; guess?: Group };

/** The start of a slug or a name (at least 3 letters), case aside: `business` → business-planning, `Glasgow` → Glasgow network. */
function startsMatch(group: Group, typed: string): boolean {
  const t = typed.toLowerCase();
  return t.length >= 3 && (group.slug.startsWith(t) || group.name.toLowerCase().startsWith(t));
}

/** A typo of a slug, a name, or a name's first word: `comunications` → Communications Group. */
function nearestGroup(groups: readonly Group[], typed: string): Group | undefined {
  const byCandidate = new Map<string, Group>();
  for (const g of groups) for (const c of [g.slug, g.name.toLowerCase(), g.name.toLowerCase().split(" ")[0]!]) if (!byCandidate.has(c)) byCandidate.set(c, g);
  const hit = nearest(typed.toLowerCase(), byCandidate.keys());
  return hit === undefined ? undefined : byCandidate.get(hit);
}

/**
 * The one resolver every command that takes a group uses: the slug, the
 * exact name, else the one group whose slug or name starts with what was
 * typed; otherwise the nearest typo, as a suggestion only.
 */
export function matchGroup(ctx: BaseContext, text: string, opts: { includeArchived?: boolean } = {}): GroupMatch {
  const typed = typedGroup(text);
  const exact = findGroupBySlug(ctx.db, typed.toLowerCase()) ?? findGroupByName(ctx.db, typed);
  if (exact) return { kind: "found", group: exact };
  const groups = listGroups(ctx.db, { includeArchived: opts.includeArchived });
  const starts = groups.filter((g) => startsMatch(g, typed));
  if (starts.length === 1) return { kind: "found", group: starts[0]! };
  if (starts.length > 1) return { kind: "ambiguous", groups: starts };
  return { kind: "none", guess: nearestGroup(groups, typed) };
}

const slugAndName = (g: Group) => `\`${g.slug}\` (${esc(g.name)})`;

/** A group (see matchGroup), or a refusal that says which ones were meant or suggests the nearest. */
export function resolveGroup(ctx: BaseContext, text: string, opts: { includeArchived?: boolean } = {}): Group {
  const match = matchGroup(ctx, text, { includeArchived: true });
  if (match.kind === "found") {
    if (match.group.status !== "archived" || opts.includeArchived) return match.group;
    return ctx.fail(`${esc(match.group.name)} has been archived.`);
  }
  const typed = esc(typedGroup(text));
  if (match.kind === "ambiguous") {
    const list = match.groups.slice(0, 5).map(slugAndName);
    return ctx.fail(`\`${typed}\` could be ${list.slice(0, -1).join(", ")} or ${list.at(-1)}: type the one you mean.`);
  }
  const guess = match.guess ? ` Did you mean ${slugAndName(match.guess)}?` : "";
  return ctx.fail(`There's no group \`${typed}\`.${guess} Type ${cmd("groups")} to see them all.`);
}

/**
 * A group typed as the first words of a line, with what follows it: `join
 * Communications Group I can help` is comms, with the note "I can help".
 */
export function resolveGroupAndRest(ctx: BaseContext, first: string, rest: string | undefined, opts: { includeArchived?: boolean } = {}): { group: Group; rest: string | undefined } {
  const words = (rest ?? "").trim().split(/\s+/).filter(Boolean);
  for (let n = words.length; n > 0; n--) {
    const found = findGroupByName(ctx.db, `${typedGroup(first)} ${words.slice(0, n).join(" ")}`);
    if (found) return { group: resolveGroup(ctx, found.slug, opts), rest: words.slice(n).join(" ") || undefined };
  }
  return { group: resolveGroup(ctx, first, opts), rest };
}

/** The permission scope for a typed group (for `allow: ["driver", ...]`), if it names exactly one. */
export function groupScope(ctx: BaseContext, text: string | undefined): string | undefined {
  if (!text) return undefined;
  const match = matchGroup(ctx, text, { includeArchived: true });
  return match.kind === "found" ? driverScope(match.group.id) : undefined;
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
