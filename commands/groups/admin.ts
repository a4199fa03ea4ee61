// Running groups: create, edit, archive (admins); drivers (admins); adding
// members and linking rooms (a group's drivers and admins).
import { z } from "zod";
import { checkZone } from "../../bot/zones.ts";
import { defineCommand, optionFlag } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { addMember, driverScope, driversOf, findGroupBySlug, groupForRoom, insertGroup, linkRoom, removeMember, unlinkRoom, updateGroup, type Group, type NewGroup } from "../../db/groups.ts";
import { grantRole, revokeRole } from "../../db/roles.ts";
import { groupScope, resolveGroup, SLUG } from "./lookup.ts";
import { inviteToGroupRooms, removeFromGroupRooms } from "./rooms.ts";

const groupArg = z.string().describe("the group's slug");
const definitionOptions = {
  kind: z.enum(["working", "network"]).optional().describe("working group or peer network"),
  policy: z.enum(["open", "approval", "closed"]).optional().describe("how people join"),
  tag: z.array(z.string().min(1)).optional().describe("tags, comma-separated: places, industries, roles"),
  purpose: z.string().max(2000).optional().describe("what the group does"),
  cadence: z.string().max(200).optional().describe('how often it meets, in words ("fortnightly on Monday at 11:00")'),
  closedReason: z.string().max(500).optional().describe("why it is closed, shown to people who try to join"),
  hideMembers: z.boolean().optional().describe("only drivers and admins see the member list"),
  timezone: z.string().max(64).optional().describe("the group's time zone, e.g. Europe/London (default: the federation's)"),
};

/** Any change made in chat: from now on the config's seed leaves this group alone. */
function editedInChat(ctx: CommandContext, group: Group, values: Partial<NewGroup> = {}): void {
  updateGroup(ctx.db, group.id, { ...values, editedInChatAt: ctx.now });
}

/** A typed zone checked (refused if unknown), and the warning an abbreviation like EST earns. */
function zoneWarning(ctx: CommandContext, timezone: string | undefined): string {
  if (timezone === undefined) return "";
  const checked = checkZone(timezone);
  if (!checked.ok) return ctx.fail(checked.error);
  return checked.warning ? `\n${checked.warning}` : "";
}

function definitionValues(args: { [K in keyof typeof definitionOptions]?: z.infer<(typeof definitionOptions)[K]> }): Partial<NewGroup> {
  const values: Partial<NewGroup> = {};
  if (args.kind) values.kind = args.kind;
  if (args.policy) values.policy = args.policy;
  if (args.tag) values.tags = args.tag.map((t) => t.toLowerCase()).join(",");
  if (args.purpose !== undefined) values.purpose = args.purpose;
  if (args.cadence !== undefined) values.cadence = args.cadence;
  if (args.closedReason !== undefined) values.closedReason = args.closedReason;
  if (args.hideMembers !== undefined) values.hideMembers = args.hideMembers;
  if (args.timezone) values.timezone = args.timezone.trim();
  return values;
}

export const groupCreate = defineCommand({
  name: "group create",
  summary: "Create a working group or peer network",
  examples: ['group create leeds "Leeds network" --kind network --policy open --tag leeds,yorkshire'],
  args: z.object({
    slug: z.string().regex(SLUG, "use lowercase letters, digits and dashes, e.g. business-planning").describe("short name people type"),
    name: z.string().min(1).max(120).describe("the full name, in quotes"),
    ...definitionOptions,
  }),
  positional: ["slug", "name"],
  allow: ["admin"],
  run(ctx, args) {
    if (findGroupBySlug(ctx.db, args.slug)) return ctx.fail(`There is already a group \`${args.slug}\`.`);
    const warning = zoneWarning(ctx, args.timezone);
    const kind = args.kind ?? "working";
    const group = insertGroup(ctx.db, {
      slug: args.slug,
      name: args.name,
      kind,
      policy: args.policy ?? (kind === "working" ? "approval" : "open"),
      purpose: "",
      origin: "chat",
      createdAt: ctx.now,
      ...definitionValues(args),
    });
    ctx.reply(`Created *${esc(group.name)}* (\`${group.slug}\`). Next: ${cmd(`group driver add ${group.slug} @someone`)} and, in its room, ${cmd(`group link ${group.slug}`)}.${warning}`);
  },
});

export const groupEdit = defineCommand({
  name: "group edit",
  summary: "Change a group's name, purpose, joining policy, tags or cadence",
  examples: ['group edit comms --purpose "Comms strategy, brand, newsletter"', "group edit mission --policy approval"],
  args: z.object({ group: groupArg, name: z.string().min(1).max(120).optional().describe("the full name"), ...definitionOptions }),
  positional: ["group..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const warning = zoneWarning(ctx, args.timezone);
    const values = { ...definitionValues(args), ...(args.name ? { name: args.name } : {}) };
    if (Object.keys(values).length === 0) return ctx.fail("Say what to change, e.g. `--purpose \"...\"` or `--policy open`.", { showUsage: true });
    if ((values.kind || values.policy === "closed") && !ctx.isAdmin) return ctx.fail("Only admins can change a group's kind or close it.");
    editedInChat(ctx, group, values);
    ctx.reply(`Updated ${esc(values.name ?? group.name)}: ${Object.keys(values).map((k) => (k === "tags" ? "tags" : optionFlag(k))).join(", ")}.${warning}`);
  },
});

export const groupArchive = defineCommand({
  name: "group archive",
  summary: "Archive a group that has finished its work (its history is kept)",
  examples: ["group archive forum-moderation"],
  args: z.object({ group: groupArg }),
  positional: ["group..."],
  allow: ["admin"],
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    editedInChat(ctx, group, { status: "archived", policy: "closed", closedReason: "archived" });
    ctx.reply(`Archived ${esc(group.name)}. Its members, meetings and actions stay on record.`);
  },
});

const memberArgs = z.object({ group: groupArg, member: z.string().describe("the member, as an @mention") });

export const driverAdd = defineCommand({
  name: "group driver add",
  summary: "Make a member one of a group's drivers",
  examples: ["group driver add comms @sam"],
  args: memberArgs,
  positional: ["group", "member"],
  allow: ["admin"],
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const member = ctx.resolveMember(args.member, { verified: true });
    if (!grantRole(ctx.db, { memberId: member.id, role: "driver", scope: driverScope(group.id), grantedBy: ctx.actor.memberId, now: ctx.now })) {
      return ctx.reply(`${mention(member.id)} already drives ${esc(group.name)}.`);
    }
    const rooms = addMember(ctx.db, group.id, member.id, ctx.now, ctx.actor.memberId) ? inviteToGroupRooms(ctx, group, member.id).you : "";
    editedInChat(ctx, group);
    ctx.toMember(member.id, `You're now a driver of *${esc(group.name)}*: join requests come to you (${cmd("requests")}), and you can schedule its meetings and verify its actions.${rooms ? ` ${rooms}` : ""}`);
    ctx.reply(`${mention(member.id)} now drives ${esc(group.name)}.`);
  },
});

export const driverRemove = defineCommand({
  name: "group driver remove",
  summary: "Stop a member being one of a group's drivers",
  examples: ["group driver remove comms @sam"],
  args: memberArgs,
  positional: ["group", "member"],
  allow: ["admin"],
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const member = ctx.resolveMember(args.member, { verified: true });
    if (!revokeRole(ctx.db, member.id, "driver", driverScope(group.id))) return ctx.fail(`${mention(member.id)} doesn't drive ${esc(group.name)}.`);
    editedInChat(ctx, group);
    const left = driversOf(ctx.db, group.id).length;
    ctx.reply(`${mention(member.id)} no longer drives ${esc(group.name)}.${left === 0 ? " It has no driver now; join requests will come to the admins." : ""}`);
  },
});

export const groupAdd = defineCommand({
  name: "group add",
  summary: "Add a member to your group directly",
  examples: ["group add comms @alex"],
  args: memberArgs,
  positional: ["group", "member"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const member = ctx.resolveMember(args.member);
    if (!addMember(ctx.db, group.id, member.id, ctx.now, ctx.actor.memberId)) return ctx.reply(`${mention(member.id)} is already in ${esc(group.name)}.`);
    const rooms = inviteToGroupRooms(ctx, group, member.id);
    ctx.toMember(member.id, `${mention(ctx.actor.memberId)} added you to *${esc(group.name)}*. ${cmd(`leave ${group.slug}`)} if that was a mistake.${rooms.you ? ` ${rooms.you}` : ""}`);
    ctx.reply(`Added ${mention(member.id)} to ${esc(group.name)}.${rooms.they ? ` ${rooms.they}` : ""}`);
  },
});

export const groupRemove = defineCommand({
  name: "group remove",
  summary: "Remove a member from your group",
  examples: ["group remove comms @alex"],
  args: memberArgs,
  positional: ["group", "member"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const member = ctx.resolveMember(args.member);
    if (!removeMember(ctx.db, group.id, member.id)) return ctx.fail(`${mention(member.id)} is not in ${esc(group.name)}.`);
    revokeRole(ctx.db, member.id, "driver", driverScope(group.id));
    removeFromGroupRooms(ctx, group, member.id);
    ctx.emit("group.left", { memberId: member.id, groupId: group.id, by: ctx.actor.memberId });
    ctx.reply(`Removed ${mention(member.id)} from ${esc(group.name)}.`);
  },
});

export const groupLink = defineCommand({
  name: "group link",
  summary: "Link the room you are in to a group: its reminders and announcements go here",
  description: "A group can have one room per platform (a Slack channel and a Matrix room). Type it in the room itself.",
  examples: ["group link comms"],
  args: z.object({ group: groupArg }),
  positional: ["group..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const room = ctx.event.room;
    if (room.kind === "dm") return ctx.fail("Type this in the group's room, not in a direct message.");
    const holder = groupForRoom(ctx.db, ctx.event.platform, room.id);
    if (holder && holder.id !== group.id) return ctx.fail(`This room is already linked to ${esc(holder.name)}; ${cmd(`group unlink ${holder.slug}`)} there first.`);
    linkRoom(ctx.db, { groupId: group.id, platform: ctx.event.platform, roomId: room.id, roomName: room.name ?? null, by: ctx.actor.memberId, now: ctx.now });
    editedInChat(ctx, group);
    ctx.reply(`This room is now ${esc(group.name)}'s ${ctx.event.platform} room: its meeting reminders and announcements will be posted here.`, { public: true });
  },
});

export const groupUnlink = defineCommand({
  name: "group unlink",
  summary: "Stop posting a group's reminders to its room on a platform",
  examples: ["group unlink comms", "group unlink comms --platform matrix"],
  args: z.object({ group: groupArg, platform: z.enum(["console", "slack", "matrix"]).optional().describe("default: the one you are on") }),
  positional: ["group..."],
  allow: ["driver", "admin"],
  scope: (ctx, args) => groupScope(ctx, args.group),
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const platform: Platform = args.platform ?? ctx.event.platform;
    if (!unlinkRoom(ctx.db, group.id, platform)) return ctx.fail(`${esc(group.name)} has no ${platform} room.`);
    editedInChat(ctx, group);
    ctx.reply(`${esc(group.name)} no longer posts to its ${platform} room.`);
  },
});
