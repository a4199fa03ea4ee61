// Corrections and the record: `undo` (the author, within a day), `void`
// (admins, with a reason), and `action <ref>` to read an action's trail.
// Nothing is ever deleted: each correction is a state plus who, when, why.
import { DateTime } from "luxon";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { trailOf, undoAction, voidAction, type Action } from "../../db/actions.ts";
import { actionFacts, actionFromRef, describeAction, mayDecide, noticeKey, peopleOf, ref, stateWords, whoLine } from "./shared.ts";

export const UNDO_WITHIN = 24 * 3600_000;

function settle(ctx: CommandContext, action: Action, outcome: string): void {
  ctx.update(noticeKey(action.id), outcome);
}

export const undo = defineCommand({
  name: "undo",
  summary: "Take back an action you logged by mistake (within a day)",
  examples: ["undo A-17"],
  args: z.object({ action: z.string().describe("the action's reference, e.g. A-17") }),
  positional: ["action"],
  allow: "everyone",
  run(ctx, args) {
    const action = actionFromRef(ctx, args.action);
    const r = ref(action.id);
    const me = ctx.actor.memberId;
    if (action.loggedBy !== me && action.memberId !== me) return ctx.fail(`Only the person who logged ${r} can undo it.`);
    if (action.source) return ctx.fail(`${r} was recorded automatically; if it's wrong, ask an admin to ${cmd(`void ${r} <reason>`)}.`);
    if (action.state !== "pending" && action.state !== "verified") return ctx.fail(`${r} was already ${stateWords(ctx, action)}.`);
    if (ctx.now - action.createdAt > UNDO_WITHIN) return ctx.fail(`${r} was logged more than a day ago; ask an admin to ${cmd(`void ${r} <reason>`)} if it's wrong.`);
    if (!undoAction(ctx.db, action.id, me, ctx.now)) return ctx.fail(`${r} was decided a moment ago; look at ${cmd(`action ${r}`)}.`);
    settle(ctx, action, `↩️ ${describeAction(ctx, action)} (${whoLine(action)}) was withdrawn by ${mention(me)}: nothing to decide.`);
    const other = peopleOf(action).filter((id) => id !== me);
    for (const id of other) ctx.toMember(id, `↩️ ${mention(me)} withdrew ${describeAction(ctx, action)}, logged for you.`);
    ctx.reply(`Withdrawn: ${r} no longer counts. It stays on record as withdrawn.`);
  },
});

export const voidCommand = defineCommand({
  name: "void",
  summary: "Void an action that should not count, with a reason (kept on record)",
  examples: ["void A-17 logged twice: the same stall as A-16"],
  args: z.object({ action: z.string().describe("the action's reference, e.g. A-17"), reason: z.string().max(1000).optional().describe("why (required): kept on record, and the author is told") }),
  positional: ["action", "reason..."],
  allow: ["admin"],
  run(ctx, args) {
    const action = actionFromRef(ctx, args.action);
    const r = ref(action.id);
    const reason = args.reason?.trim();
    if (!reason) return ctx.fail(`Say why: ${cmd(`void ${r} <reason>`)}. The reason is kept on record and the author is told.`);
    if (action.state === "voided" || action.state === "undone") return ctx.fail(`${r} was already ${stateWords(ctx, action)}.`);
    if (!voidAction(ctx.db, action.id, ctx.actor.memberId, reason, ctx.now)) return ctx.fail(`${r} changed a moment ago; look at ${cmd(`action ${r}`)}.`);
    settle(ctx, action, `🚫 ${mention(ctx.actor.memberId)} voided ${describeAction(ctx, action)} (${whoLine(action)}): ${esc(reason)}`);
    for (const id of peopleOf(action)) ctx.toMember(id, `🚫 ${mention(ctx.actor.memberId)} voided ${describeAction(ctx, action)}: ${esc(reason)}`);
    ctx.reply(`Voided ${r}. It stays on record with your reason.`);
  },
});

const TRAIL_WORDS: Record<string, string> = {
  logged: "logged",
  recorded: "recorded automatically",
  verified: "verified",
  rejected: "rejected",
  asked: "asked",
  undone: "withdrew it",
  voided: "voided it",
};

export const actionShow = defineCommand({
  name: "action",
  summary: "Show one action and its history (who did what to it, when, and why)",
  examples: ["action A-17"],
  args: z.object({ action: z.string().describe("the action's reference, e.g. A-17") }),
  positional: ["action"],
  allow: "everyone",
  run(ctx, args) {
    const action = actionFromRef(ctx, args.action);
    const me = ctx.actor.memberId;
    if (!peopleOf(action).includes(me) && !mayDecide(ctx, action)) return ctx.fail(`Only the people involved in ${ref(action.id)}, its group's drivers and admins can see it.`);
    const zone = ctx.config.timezone;
    const lines = [`${describeAction(ctx, action)} — ${whoLine(action)}`, actionFacts(ctx, action), `Now: ${stateWords(ctx, action)}${action.reason ? ` — ${esc(action.reason)}` : ""}`, "History:"];
    for (const entry of trailOf(ctx.db, action.id)) {
      const when = DateTime.fromMillis(entry.at, { zone }).toFormat("d LLL HH:mm");
      const who = entry.by ? `${mention(entry.by)} ` : "";
      const note = entry.note ? `: ${esc(entry.note)}` : "";
      lines.push(`• ${when} ${who}${TRAIL_WORDS[entry.what] ?? entry.what}${note}`);
    }
    ctx.reply(lines.join("\n"));
  },
});
