// The `groups` section of the config file, and the seed that brings the
// database in line with it at every start without clobbering chat edits.
import { z } from "zod";
import type { BaseContext } from "../../bot/context.ts";
import { ianaZone, platformIdentity, section } from "../../bot/config.ts";
import { addMember, driverScope, findGroupBySlug, groupForRoom, insertGroup, linkRoom, updateGroup, type NewGroup } from "../../db/groups.ts";
import { ensureMember } from "../../db/members.ts";
import { grantRole } from "../../db/roles.ts";
import { SLUG } from "./lookup.ts";

const groupSeed = z
  .object({
    slug: z.string().regex(SLUG, "lowercase letters, digits and dashes, e.g. business-planning"),
    name: z.string().min(1),
    kind: z.enum(["working", "network"]),
    purpose: z.string().default(""),
    /** Default: `approval` for working groups, `open` for peer networks, `closed` when planned. */
    policy: z.enum(["open", "approval", "closed"]).optional(),
    closedReason: z.string().optional(),
    status: z.enum(["active", "planned"]).default("active"),
    tags: z.array(z.string().min(1)).default([]),
    cadence: z.string().optional(),
    timezone: ianaZone.optional(),
    hideMembers: z.boolean().default(false),
    drivers: z.array(platformIdentity).default([]),
    /** Rooms to post to, as platform:room-id (`console:comms`, `slack:C0123ABC`, `matrix:!abc:example.org`). */
    rooms: z.array(platformIdentity).default([]),
  })
  .strict();

export const groupsConfigSchema = z
  .array(groupSeed)
  .default([])
  .refine((seeds) => new Set(seeds.map((s) => s.slug)).size === seeds.length, { message: "two groups have the same slug" });

export type GroupSeed = z.infer<typeof groupSeed>;

function definition(seed: GroupSeed): Omit<NewGroup, "origin" | "createdAt"> {
  const policy = seed.policy ?? (seed.status === "planned" ? "closed" : seed.kind === "working" ? "approval" : "open");
  const closedReason = seed.closedReason ?? (policy === "closed" && seed.status === "planned" ? "planned: not set up yet" : null);
  return {
    slug: seed.slug,
    name: seed.name,
    kind: seed.kind,
    purpose: seed.purpose,
    policy,
    closedReason,
    status: seed.status,
    tags: seed.tags.map((t) => t.toLowerCase()).join(","),
    cadence: seed.cadence ?? null,
    timezone: seed.timezone ?? null,
    hideMembers: seed.hideMembers,
  };
}

/**
 * New groups are created; groups the config created and nobody has changed
 * in chat follow the config; a group changed in chat is left alone.
 */
export function seedGroups(ctx: BaseContext): void {
  for (const seed of section<GroupSeed[]>(ctx.config, "groups")) {
    const existing = findGroupBySlug(ctx.db, seed.slug);
    if (existing && (existing.origin !== "config" || existing.editedInChatAt !== null)) continue;
    const group = existing ?? insertGroup(ctx.db, { ...definition(seed), origin: "config", createdAt: ctx.now });
    if (existing) updateGroup(ctx.db, existing.id, definition(seed));
    for (const driver of seed.drivers) {
      const member = ensureMember(ctx.db, driver.platform, driver.platformId, driver.platformId, ctx.now);
      grantRole(ctx.db, { memberId: member.id, role: "driver", scope: driverScope(group.id), source: "config", now: ctx.now });
      addMember(ctx.db, group.id, member.id, ctx.now, null);
    }
    for (const room of seed.rooms) {
      const holder = groupForRoom(ctx.db, room.platform, room.platformId);
      if (holder && holder.id !== group.id) {
        ctx.log.warn({ room, group: seed.slug, linkedTo: holder.slug }, "config links a room that is already another group's; left as it is");
        continue;
      }
      linkRoom(ctx.db, { groupId: group.id, platform: room.platform, roomId: room.platformId, roomName: room.platformId, by: null, now: ctx.now });
    }
  }
}
