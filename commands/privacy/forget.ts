// `forget me`: a member erases themselves. The first command only explains
// what goes and what stays, and opens a ten-minute window; the same member
// confirms with `forget me confirm` (or the button). The window is a job
// row, so a restart in between changes nothing and it ends on its own.
//
// Forgetting runs like merging (`mergeMembers`): each capability erases its
// own tables first, while the member's accounts are still known; then the
// stored copies of messages are swept; then the core takes their name,
// accounts and roles. The anonymous records stay, so counts don't move.
import { defineJob } from "../../bot/capability.ts";
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { FORMER_MEMBER, forgetCoreMember } from "../../db/forget.ts";
import { jobsLike } from "../../db/jobs.ts";
import { identitiesOf } from "../../db/members.ts";
import { grantsOf, holdersOf } from "../../db/roles.ts";
import { describeGrant } from "../core/role.ts";
import { sweepOutbox } from "./sweep.ts";

const CONFIRM_MINUTES = 10;
export const CONFIRM_WITHIN = CONFIRM_MINUTES * 60_000;
const windowPrefix = (memberId: number) => `privacy:forget:${memberId}:`;

/** The member's open window to confirm, if one is still open. */
function openWindow(ctx: BaseContext, memberId: number): string | undefined {
  return jobsLike(ctx.db, windowPrefix(memberId)).find((j) => j.state === "pending" && j.dueAt > ctx.now)?.key;
}

/** The only admin can't go: nobody could grant the role again from chat. */
function refuseLastAdmin(ctx: CommandContext): void {
  const me = ctx.actor.memberId;
  const admins = holdersOf(ctx.db, "admin").map((h) => h.memberId);
  if (!admins.includes(me) || admins.some((id) => id !== me)) return;
  ctx.fail(
    `You're the only admin, so I can't forget you: nobody would be left to grant roles or run the admin commands. Make someone else an admin first (${cmd("role grant @someone admin")}), then ${cmd("forget me")} again.`,
  );
}

/** What the member is about to lose, in their own terms. */
function explanation(ctx: CommandContext): string {
  const me = ctx.actor.memberId;
  const accounts = identitiesOf(ctx.db, me).map((i) => `${i.platform} ${esc(i.platformId)}`).join(", ");
  const grants = grantsOf(ctx.db, me);
  const roles = grants.map((g) => describeGrant(ctx, g.role, g.scope));
  const fromConfig = grants.some((g) => g.source === "config");
  return [
    "*Forget me* erases you from this bot, for good. What goes:",
    `• your name (what stays calls you "${FORMER_MEMBER}"), your accounts (${accounts}) and your profile (skills, location, industry, interests);`,
    `• everything you wrote: notes and evidence on your actions, your thanks messages, meeting notes you took, the notes on your join requests, your reminders, and your clinic enquiries (erased as ${cmd("clinic erase")} does; any still open are closed);`,
    `• ${roles.length ? `your roles (${roles.join(", ")})` : "any roles"}, your group memberships and your pending join requests; clinic work in your hands goes back to the triagers;`,
    "• the bot's copies of messages that carried your words (posts in rooms and to other people are edited).",
    "What stays, with no name on it: your actions in the totals and in progress, meeting attendance, thanks counts, and notes you wrote for the clinic on other people's enquiries (they belong to that enquiry's record).",
    ...(fromConfig
      ? ["⚠️ The bot's config file names your account (as an admin or a group's driver): at its next start the bot gives that account the role again, as a new member with none of your history. Ask whoever runs the bot to take you out of the config."]
      : []),
    `This can't be undone. To go ahead, type ${cmd("forget me confirm")} within ${CONFIRM_MINUTES} minutes. ${cmd("export me")} first gives you a copy of your data.`,
  ].join("\n");
}

export const forgetMe = defineCommand({
  name: "forget me",
  summary: "Erase your name, accounts, profile and what you wrote (explains first, then asks you to confirm)",
  description: "Shows what would be erased and what stays (anonymous counts), then waits 10 minutes for you to type `forget me confirm`.",
  examples: ["forget me"],
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    refuseLastAdmin(ctx);
    const me = ctx.actor.memberId;
    ctx.cancelJobs(windowPrefix(me));
    ctx.schedule({ kind: forgetWindow.kind, key: `${windowPrefix(me)}${ctx.now}`, dueAt: ctx.now + CONFIRM_WITHIN, payload: {} });
    ctx.reply({ text: explanation(ctx), buttons: [{ label: "Forget me", command: "forget me confirm", style: "danger" }] });
  },
});

export const forgetMeConfirm = defineCommand({
  name: "forget me confirm",
  summary: "Confirm `forget me` (within 10 minutes of asking)",
  examples: ["forget me confirm"],
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    const me = ctx.actor.memberId;
    const window = openWindow(ctx, me);
    if (!window) return ctx.fail(`There's nothing to confirm: ${cmd("forget me")} first shows what would be erased, then you have ${CONFIRM_MINUTES} minutes to confirm.`);
    refuseLastAdmin(ctx);
    ctx.cancelJob(window);
    forgetMember(ctx, me);
    ctx.reply(
      "Done: I've forgotten you. Your name, accounts, profile, roles and memberships are gone, and what you wrote is erased; your actions still count in the federation's totals, with no name on them. If you write to me again from this account, you start afresh as a new member.",
    );
  },
});

/** The window to confirm closes on its own; nothing to do but note it. */
export const forgetWindow = defineJob<Record<string, never>>({
  kind: "privacy.forget-window",
  run(ctx) {
    ctx.skip("not confirmed in time");
  },
});

/**
 * Erases a member: each capability's tables, the stored copies of messages,
 * then the core's (name, accounts, roles). After the commit the WAL is
 * emptied, so the erased words leave the file, not only the tables.
 */
export function forgetMember(ctx: BaseContext, memberId: number): void {
  const texts: string[] = [];
  for (const forget of ctx.services.memberForgetters) texts.push(...(forget(ctx, memberId) ?? []));
  ctx.services.recentUse?.forget(memberId);
  sweepOutbox(ctx, memberId, texts);
  forgetCoreMember(ctx.db, memberId, ctx.now);
  ctx.services.scrubWal?.();
}
