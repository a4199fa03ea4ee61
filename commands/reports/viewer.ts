// Who a dashboard link shows things to, decided from the roles its member
// holds now (never from when the link was made): an admin sees the whole
// federation; a driver sees the federation's targets and their own groups
// only; anyone else, or a member since merged into another or forgotten,
// sees nothing.
import type { BaseContext } from "../../bot/context.ts";
import { getGroup, type Group } from "../../db/groups.ts";
import { getMember } from "../../db/members.ts";
import { rolesOf } from "../../db/roles.ts";

export type Viewer = { memberId: number; name: string; admin: true } | { memberId: number; name: string; admin: false; groups: Group[] };

const GROUP_SCOPE = /^group:(\d+)$/;

/** The groups a member drives now, by name. */
export function drivenGroups(ctx: BaseContext, memberId: number): Group[] {
  const ids = rolesOf(ctx.db, memberId).flatMap((r) => (r.role === "driver" ? [GROUP_SCOPE.exec(r.scope)?.[1]] : [])).filter((id): id is string => id !== undefined);
  return ids.map((id) => getGroup(ctx.db, Number(id))).filter((g): g is Group => g !== undefined).sort((a, b) => a.name.localeCompare(b.name));
}

export function viewerFor(ctx: BaseContext, memberId: number): Viewer | undefined {
  const member = getMember(ctx.db, memberId);
  if (!member || member.mergedInto !== null || member.forgottenAt !== null) return undefined;
  if (ctx.services.permissions.hasRole(ctx.db, memberId, "admin")) return { memberId, name: member.displayName, admin: true };
  const groups = drivenGroups(ctx, memberId);
  return groups.length > 0 ? { memberId, name: member.displayName, admin: false, groups } : undefined;
}

/** Whether the viewer may see this group's own figures. */
export const seesGroup = (viewer: Viewer, groupId: number): boolean => viewer.admin || viewer.groups.some((g) => g.id === groupId);
