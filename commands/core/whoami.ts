import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import { esc } from "../../bot/markup.ts";
import { identitiesOf } from "../../db/members.ts";
import { rolesOf } from "../../db/roles.ts";
import { describeGrant } from "./role.ts";

export const whoami = defineCommand({
  name: "whoami",
  summary: "Show who I think you are, and your roles",
  args: NO_ARGS,
  allow: "everyone",
  readOnly: true,
  run(ctx) {
    const { actor } = ctx;
    const ids = identitiesOf(ctx.db, actor.memberId).map((i) => `${i.platform}:${esc(i.platformId)}`);
    const roles = rolesOf(ctx.db, actor.memberId).map((g) => describeGrant(ctx, g.role, g.scope));
    ctx.reply(
      [
        `You are *${esc(actor.displayName)}* (member ${actor.memberId}).`,
        `Accounts: ${ids.join(", ")}`,
        `Roles: ${roles.length ? roles.join(", ") : "none (every member can join groups, log actions and ask the clinic)"}`,
      ].join("\n"),
    );
  },
});
