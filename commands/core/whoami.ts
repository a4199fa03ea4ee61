import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { Platform } from "../../bot/events.ts";
import { platformName } from "../../bot/platforms.ts";
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
    const ids = identitiesOf(ctx.db, actor.memberId).map((i) => accountLabel(i.platform as Platform, i.platformId, i.displayName));
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

/** "Matrix @sam:example.org", "Slack (Sam, U0SAM)", "the console (sam)": an account as a person reads it. */
function accountLabel(platform: Platform, platformId: string, name: string): string {
  if (platform === "matrix") return `Matrix ${esc(platformId)}`;
  const label = platform === "console" ? "console" : platformName(platform);
  return name && name !== platformId ? `${label} (${esc(name)}, ${esc(platformId)})` : `${label} (${esc(platformId)})`;
}
