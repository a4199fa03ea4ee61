// Verification: `verify queue`, `verify <id>` (or `--ask` a question first),
// `reject <id> <reason>`. Each decision is one conditional UPDATE, so when
// two drivers click at once exactly one decision is made; the other is told.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { addTrail, decideAction, pendingActions, type Action } from "../../db/actions.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { resolveJob } from "./catalogue.ts";
import { dayLabel } from "./periods.ts";
import { actionFacts, actionFromRef, describeAction, mayDecide, noticeKey, peopleOf, ref, stateWords, whoLine } from "./shared.ts";

/** The action, if the asker may decide it now; otherwise a refusal that says why. */
function decidable(ctx: CommandContext, typed: string): Action {
  const action = actionFromRef(ctx, typed);
  const r = ref(action.id);
  if (!mayDecide(ctx, action)) return ctx.fail(action.groupId ? `Only the group's drivers (or an admin) can decide ${r}.` : `${r} has no group, so the admins decide it.`);
  if (action.memberId === ctx.actor.memberId) return ctx.fail(`${r} is your own action: another driver or an admin will verify it.`);
  if (action.loggedBy === ctx.actor.memberId) return ctx.fail(`You logged ${r} for ${mention(action.memberId)}, so someone else verifies it.`);
  if (action.state !== "pending") return ctx.fail(`${r} was already ${stateWords(ctx, action)}.`);
  return action;
}

/** After a decision: no more nudges, and every notice loses its buttons. */
function settle(ctx: CommandContext, action: Action, outcome: string): void {
  ctx.update(noticeKey(action.id), outcome);
}

const refArg = z.string().describe("the action's reference, e.g. A-17");

export const verifyQueue = defineCommand({
  name: "verify queue",
  summary: "List the actions waiting for you to verify",
  examples: ["verify queue", "verify queue comms"],
  args: z.object({ group: z.string().optional().describe("only this group") }),
  positional: ["group..."],
  allow: ["driver", "admin"],
  run(ctx, args) {
    ctx.reply(queueText(ctx, args.group));
  },
});

function queueText(ctx: CommandContext, groupSlug?: string): string {
  const only = groupSlug ? resolveGroup(ctx, groupSlug) : undefined;
  const me = ctx.actor.memberId;
  const mine = pendingActions(ctx.db).filter(
    (a) => (!only || a.groupId === only.id) && mayDecide(ctx, a) && a.memberId !== me && a.loggedBy !== me,
  );
  if (mine.length === 0) return "Nothing is waiting for you to verify. 🎉";
  const zone = ctx.config.timezone;
  const lines = mine.map((a) => `• ${describeAction(ctx, a)} — ${whoLine(a)} · ${actionFacts(ctx, a)} · logged ${dayLabel(a.createdAt, zone)}`);
  return [`*Waiting for verification* (${cmd("verify <ref>")}, ${cmd('verify <ref> --ask "<question>"')} or ${cmd("reject <ref> <reason>")})`, ...lines].join("\n");
}

export const verify = defineCommand({
  name: "verify",
  summary: "Verify an action in your group (or ask its author a question first)",
  description:
    "Verifying says the work happened: it then counts in recognition and progress. `--ask` sends the author a private question and leaves it pending. `--job` files an action written in someone's own words under a catalogue job as you verify it. Nobody verifies their own action, or one they logged for someone else. Without a reference, shows your queue.",
  usage: 'verify [<ref>] [--ask "<question>"] [--job <job>]',
  examples: ["verify A-17", 'verify A-17 --ask "Which co-op was it? I\'d like to follow up"', "verify A-18 --job share-campaign"],
  args: z.object({
    action: refArg.optional(),
    ask: z.string().min(1).max(1000).optional().describe("a question for the author; the action stays pending"),
    job: z.string().optional().describe("file it under this job (for actions in the author's own words)"),
  }),
  positional: ["action"],
  allow: ["driver", "admin"],
  run(ctx, args) {
    if (!args.action) return ctx.reply(queueText(ctx));
    const action = decidable(ctx, args.action);
    const r = ref(action.id);
    if (args.ask) {
      if (args.job) return ctx.fail("Ask first, then verify (with `--job`) once you have the answer.");
      addTrail(ctx.db, { actionId: action.id, what: "asked", by: ctx.actor.memberId, at: ctx.now, note: args.ask });
      ctx.toMember(action.loggedBy, `❓ ${mention(ctx.actor.memberId)} has a question about ${describeAction(ctx, action)}:\n> ${esc(args.ask)}\nReply to them directly; it stays pending until they decide.`);
      return ctx.reply(`Asked ${mention(action.loggedBy)} privately; ${r} stays pending.`);
    }
    const job = args.job ? resolveJob(ctx, args.job) : undefined;
    if (job && job.status === "retired") return ctx.fail(`\`${job.slug}\` has been retired; pick another job.`);
    if (!decideAction(ctx.db, action.id, { state: "verified", by: ctx.actor.memberId, reason: job ? `filed under ${job.slug}` : null, now: ctx.now, jobId: job?.id })) {
      return ctx.fail(`${r} was decided a moment ago by someone else.`);
    }
    const verified = { ...action, jobId: job?.id ?? action.jobId };
    settle(ctx, action, `✅ ${mention(ctx.actor.memberId)} verified ${describeAction(ctx, verified)} (${whoLine(action)}).`);
    for (const id of peopleOf(action)) {
      const whose = id === action.memberId ? "your action" : `the action you logged for ${mention(action.memberId)},`;
      ctx.toMember(id, `✅ ${mention(ctx.actor.memberId)} verified ${whose} ${describeAction(ctx, verified)}. Thank you! It now counts in ${cmd("contributions")}.`);
    }
    ctx.reply(`Verified ${r} for ${mention(action.memberId)}.`);
  },
});

export const reject = defineCommand({
  name: "reject",
  summary: "Reject an action in your group, with a reason the author is told",
  examples: ["reject A-17 this was a personal project, not federation work; log the talk you gave about it instead"],
  args: z.object({ action: refArg, reason: z.string().max(1000).optional().describe("why (required): the author is told") }),
  positional: ["action", "reason..."],
  allow: ["driver", "admin"],
  run(ctx, args) {
    const action = decidable(ctx, args.action);
    const r = ref(action.id);
    const reason = args.reason?.trim();
    if (!reason) return ctx.fail(`Say why, so the author can learn from it: ${cmd(`reject ${r} <reason>`)}.`);
    if (!decideAction(ctx.db, action.id, { state: "rejected", by: ctx.actor.memberId, reason, now: ctx.now })) {
      return ctx.fail(`${r} was decided a moment ago by someone else.`);
    }
    settle(ctx, action, `❌ ${mention(ctx.actor.memberId)} rejected ${describeAction(ctx, action)} (${whoLine(action)}): ${esc(reason)}`);
    for (const id of peopleOf(action)) {
      ctx.toMember(id, `${mention(ctx.actor.memberId)} didn't verify ${describeAction(ctx, action)}: ${esc(reason)}\nIf that's a misunderstanding, talk to them, or log it again with more detail.`);
    }
    ctx.reply(`Rejected ${r}; I've told ${peopleOf(action).map(mention).join(" and ")} why.`);
  },
});
