// The directory: `groups`, `group <slug>`, `members <group>`.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { driversOf, isMember, listGroups, memberCount, membersOf, roomsOf, type Group } from "../../db/groups.ts";
import { isDriverOf, kindLabel, policyLabel, resolveGroup, tagsOf } from "./lookup.ts";

/**
 * Other capabilities add a line to each group's entry (meetings adds "next
 * meeting: ..."), without the directory knowing about them.
 */
export type GroupFact = (ctx: BaseContext, group: Group) => string | undefined;
const groupFacts: GroupFact[] = [];
export function registerGroupFact(fact: GroupFact): void {
  groupFacts.push(fact);
}

function facts(ctx: BaseContext, group: Group): string[] {
  return groupFacts.map((f) => f(ctx, group)).filter((s): s is string => Boolean(s));
}

function driverNames(ctx: BaseContext, group: Group): string {
  const drivers = driversOf(ctx.db, group.id);
  return drivers.length ? drivers.map((d) => mention(d.memberId)).join(", ") : "none yet";
}

function summaryLine(ctx: BaseContext, group: Group): string {
  const parts = [
    `*${esc(group.name)}* (\`${group.slug}\`)${group.status === "planned" ? " — planned" : ""}`,
    group.purpose ? esc(firstSentence(group.purpose)) : undefined,
    policyLabel(group),
    `drivers: ${driverNames(ctx, group)}`,
    plural(memberCount(ctx.db, group.id), "member"),
    group.cadence ? `meets ${esc(group.cadence)}` : undefined,
    ...facts(ctx, group),
  ];
  return "• " + parts.filter(Boolean).join(" · ");
}

export const plural = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
const firstSentence = (text: string) => (/^(.*?[.!?])(\s|$)/.exec(text)?.[1] ?? text);

export const groupsList = defineCommand({
  name: "groups",
  summary: "List the working groups and peer networks",
  examples: ["groups", "groups --kind network", "groups --tag glasgow"],
  args: z.object({
    kind: z.enum(["working", "network"]).optional().describe("only working groups or only peer networks"),
    tag: z.string().optional().describe("only groups with this tag (a place, an industry...)"),
  }),
  allow: "everyone",
  readOnly: true,
  run(ctx, { kind, tag }) {
    const shown = listGroups(ctx.db).filter((g) => (!kind || g.kind === kind) && (!tag || tagsOf(g).includes(tag.toLowerCase())));
    if (shown.length === 0) return ctx.reply(`No groups match. Type ${cmd("groups")} to see them all.`);
    const lines: string[] = [];
    for (const [k, heading] of [["working", "Working groups"], ["network", "Peer networks"]] as const) {
      const ofKind = shown.filter((g) => g.kind === k);
      if (ofKind.length) lines.push(`*${heading}*`, ...ofKind.map((g) => summaryLine(ctx, g)));
    }
    lines.push(`Join one with ${cmd("join <group> [what you can offer]")}; details with ${cmd("group <group>")}.`);
    ctx.reply(lines.join("\n"));
  },
});

export const groupShow = defineCommand({
  name: "group",
  summary: "Show one group in full",
  examples: ["group comms"],
  args: z.object({ group: z.string().describe("the group's slug") }),
  positional: ["group..."],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group, { includeArchived: true });
    const rooms = roomsOf(ctx.db, group.id);
    const lines = [
      `*${esc(group.name)}* (\`${group.slug}\`) — ${kindLabel(group)}${group.status !== "active" ? `, ${group.status}` : ""}`,
      group.purpose ? esc(group.purpose) : undefined,
      `Joining: ${policyLabel(group)}`,
      `Drivers: ${driverNames(ctx, group)}`,
      `Members: ${memberCount(ctx.db, group.id)}${isMember(ctx.db, group.id, ctx.actor.memberId) ? " (including you)" : ""}`,
      group.cadence ? `Meets: ${esc(group.cadence)}` : undefined,
      ...facts(ctx, group),
      tagsOf(group).length ? `Tags: ${tagsOf(group).join(", ")}` : undefined,
      rooms.length ? `Rooms: ${rooms.map((r) => `${r.platform} ${esc(r.roomName ?? r.roomId)}`).join(", ")}` : undefined,
      group.policy !== "closed" && !isMember(ctx.db, group.id, ctx.actor.memberId) ? `Join with ${cmd(`join ${group.slug} [what you can offer]`)}` : undefined,
    ];
    ctx.reply(lines.filter(Boolean).join("\n"));
  },
});

function canSeeMembers(ctx: CommandContext, group: Group): boolean {
  if (ctx.isAdmin || isDriverOf(ctx, group.id, ctx.actor.memberId)) return true;
  return !group.hideMembers && isMember(ctx.db, group.id, ctx.actor.memberId);
}

export const groupMembersList = defineCommand({
  name: "members",
  summary: "List a group's members (for its members and admins)",
  examples: ["members comms"],
  args: z.object({ group: z.string().describe("the group's slug") }),
  positional: ["group..."],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    if (!canSeeMembers(ctx, group)) {
      return ctx.fail(group.hideMembers ? `${esc(group.name)} keeps its member list private to its drivers.` : `Only members of ${esc(group.name)} can see who else is in it.`);
    }
    const drivers = new Set(driversOf(ctx.db, group.id).map((d) => d.memberId));
    const list = membersOf(ctx.db, group.id).map((m) => `${mention(m.memberId)}${drivers.has(m.memberId) ? " (driver)" : ""}`);
    ctx.reply(list.length ? `*${esc(group.name)}* — ${plural(list.length, "member")}: ${list.join(", ")}` : `${esc(group.name)} has no members yet.`);
  },
});
