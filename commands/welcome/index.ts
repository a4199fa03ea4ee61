// Welcoming people: into a group when they join it (the next meeting in
// their own time zone, ways to help, and the drivers' "Invite to next
// meeting"), and into the federation (a short, skippable onboarding tour in
// their DM). Its figures go to `progress` and `recognition`.
import { defineCapability } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { welcomeConfig, welcomeConfigSchema } from "./config.ts";
import { welcomeMetrics } from "./figures.ts";
import { exportWelcomeMember, forgetWelcomeMember, mergeWelcome } from "./forget.ts";
import { welcomeIntoGroup } from "./group-welcome.ts";
import { welcomeInvite } from "./invite.ts";
import { followUpJob } from "./tour.ts";
import { answerGreeting, tourListener, welcome, welcomeAnswer, welcomeSkip, welcomeStop } from "./tour-commands.ts";
import { findGroupBySlug } from "../../db/groups.ts";

/** A welcome line for a group that doesn't exist would never be read: say so in the log at start. */
function checkGroupSlugs(ctx: BaseContext): void {
  for (const slug of Object.keys(welcomeConfig(ctx.config).groups)) {
    if (!findGroupBySlug(ctx.db, slug)) ctx.log.warn({ group: slug }, "the welcome config names a group that doesn't exist");
  }
}

export const welcomeCapability = defineCapability({
  name: "welcome",
  commands: [welcome, welcomeAnswer, welcomeSkip, welcomeStop, welcomeInvite],
  jobs: [followUpJob],
  // Last in the list of capabilities: it claims DM lines no command matched, so other listeners come first.
  listeners: [tourListener],
  config: { key: "welcome", schema: welcomeConfigSchema },
  seed: checkGroupSlugs,
  on: { "group.joined": welcomeIntoGroup, "member.greeted": answerGreeting },
  metrics: welcomeMetrics,
  mergeMembers: mergeWelcome,
  forgetMember: forgetWelcomeMember,
  exportMember: exportWelcomeMember,
});
