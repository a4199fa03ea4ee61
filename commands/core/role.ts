// Role administration. Deny by default: only admins grant and revoke.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { grantRole, holdersOf, revokeRole } from "../../db/roles.ts";
import { nearest } from "../../bot/suggest.ts";

const grantArgs = z.object({
  member: z.string().describe("the member, as an @mention"),
  role: z.string().describe("admin, driver, triager, ..."),
  scope: z.string().optional().describe("for scoped roles: which one (e.g. the group for driver)"),
});

export function describeGrant(ctx: BaseContext, role: string, scope: string): string {
  const spec = ctx.services.permissions.get(role);
  return scope && spec?.scope ? `${role} of ${spec.scope.describe(ctx, scope)}` : role;
}

/** "a triager", "an admin", "a driver of Comms": labels read in sentences ("@tara is now a triager."). */
const withArticle = (label: string): string => `${/^[aeiou]/i.test(label) ? "an" : "a"} ${label}`;

function resolveRoleAndScope(ctx: CommandContext, role: string, scopeText: string | undefined): { role: string; scope: string; label: string } {
  const permissions = ctx.services.permissions;
  const spec = permissions.get(role.toLowerCase());
  if (!spec) {
    const guess = nearest(role, permissions.all().map((r) => r.name));
    ctx.fail(`There is no role \`${esc(role)}\`.${guess ? ` Did you mean \`${guess}\`?` : ""} Roles: ${permissions.all().map((r) => r.name).join(", ")}.`);
  }
  if (!spec.scope) {
    if (scopeText) ctx.fail(`\`${spec.name}\` applies everywhere; leave out \`${esc(scopeText)}\`.`);
    return { role: spec.name, scope: "", label: withArticle(spec.name) };
  }
  if (!scopeText) ctx.fail(`\`${spec.name}\` needs a ${spec.scope.noun}: e.g. ${cmd(`role grant @someone ${spec.name} <${spec.scope.noun}>`)}.`);
  const resolved = spec.scope.resolve(ctx, scopeText);
  if (!resolved) ctx.fail(`I can't find the ${spec.scope.noun} \`${esc(scopeText)}\`.`);
  return { role: spec.name, scope: resolved.scope, label: withArticle(`${spec.name} of ${resolved.label}`) };
}

export const roleGrant = defineCommand({
  name: "role grant",
  summary: "Give a member a role",
  examples: ["role grant @sam triager", "role grant @sam driver comms"],
  args: grantArgs,
  positional: ["member", "role", "scope"],
  allow: ["admin"],
  run(ctx, args) {
    const member = ctx.resolveMember(args.member, { verified: true });
    const { role, scope, label } = resolveRoleAndScope(ctx, args.role, args.scope);
    if (!grantRole(ctx.db, { memberId: member.id, role, scope, grantedBy: ctx.actor.memberId, now: ctx.now })) {
      ctx.reply(`${mention(member.id)} is already ${label}.`);
      return;
    }
    ctx.reply(`${mention(member.id)} is now ${label}.`);
    if (member.id !== ctx.actor.memberId) ctx.toMember(member.id, `${mention(ctx.actor.memberId)} made you ${label}. Type ${cmd("help")} to see what that lets you do.`);
  },
});

export const roleRevoke = defineCommand({
  name: "role revoke",
  summary: "Take a role away from a member",
  examples: ["role revoke @sam triager"],
  args: grantArgs,
  positional: ["member", "role", "scope"],
  allow: ["admin"],
  run(ctx, args) {
    const member = ctx.resolveMember(args.member, { verified: true });
    const { role, scope, label } = resolveRoleAndScope(ctx, args.role, args.scope);
    if (role === "admin" && member.id === ctx.actor.memberId && holdersOf(ctx.db, "admin").length === 1) {
      ctx.fail("You are the only admin; grant the role to someone else first.");
    }
    if (!revokeRole(ctx.db, member.id, role, scope)) ctx.fail(`${mention(member.id)} is not ${label}.`);
    ctx.emit("role.revoked", { memberId: member.id, role, scope, by: ctx.actor.memberId });
    ctx.reply(`${mention(member.id)} is no longer ${label}.`);
  },
});

export const roleList = defineCommand({
  name: "role list",
  aliases: ["roles"],
  summary: "List who holds each role",
  examples: ["role list", "role list triager"],
  args: z.object({ role: z.string().optional().describe("only this role") }),
  positional: ["role"],
  allow: ["admin"],
  run(ctx, args) {
    const specs = ctx.services.permissions.all().filter((r) => !args.role || r.name === args.role.toLowerCase());
    if (specs.length === 0) ctx.fail(`There is no role \`${esc(args.role!)}\`.`);
    const lines: string[] = [];
    for (const spec of specs) {
      const holders = holdersOf(ctx.db, spec.name);
      const names = holders.map((h) => (h.scope ? `${esc(h.displayName)} (${describeGrant(ctx, spec.name, h.scope).replace(/^\S+ of /, "")})` : esc(h.displayName)));
      lines.push(`*${spec.name}* — ${esc(spec.summary)}: ${names.length ? names.join(", ") : "nobody yet"}`);
    }
    ctx.reply(lines.join("\n"));
  },
});
