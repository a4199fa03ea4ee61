// What several action commands share: references (`A-17`), how an action is
// named in messages, and who decides on it.
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { esc, link, mention } from "../../bot/markup.ts";
import { getAction, getActionJob, type Action, type ActionJob } from "../../db/actions.ts";
import { getGroup } from "../../db/groups.ts";
import { holdersOf } from "../../db/roles.ts";
import { isDriverOf, deciders as groupDeciders } from "../groups/lookup.ts";
import { dayLabel } from "./periods.ts";

export const ref = (id: number): string => `A-${id}`;

/** `A-17`, `a17`, `17` → 17. */
export function parseRef(text: string): number | undefined {
  const m = /^(?:a-?)?(\d{1,9})$/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

export const journeyLabel = (journey: string | null): string => (journey ? journey.charAt(0).toUpperCase() + journey.slice(1) : "Other");

/** The key of every message about an action that carries its buttons. */
export const noticeKey = (id: number) => `action:${id}`;

/** `A-17 *Share campaign material*: "posted the leaflet"` — user text escaped. */
export function describeAction(ctx: BaseContext, action: Action, job?: ActionJob): string {
  const j = job ?? (action.jobId ? getActionJob(ctx.db, action.jobId) : undefined);
  const note = action.note ? `“${esc(action.note)}”` : "";
  // Only an erased action (its member asked to be forgotten) has neither a job nor words.
  const what = j ? `*${esc(j.title)}*${note ? ` — ${note}` : ""}` : note || "_(its words were erased)_";
  return `${ref(action.id)} ${what}`;
}

/** Group, date, hours and evidence, for a verifier. */
export function actionFacts(ctx: BaseContext, action: Action): string {
  const group = action.groupId ? getGroup(ctx.db, action.groupId) : undefined;
  const parts = [group ? esc(group.name) : "no group", `done ${dayLabel(action.doneAt, ctx.config.timezone)}`];
  if (action.hours) parts.push(`${action.hours}h`);
  if (action.evidence) parts.push(`evidence: ${link(action.evidence)}`);
  return parts.join(" · ");
}

/** Who did it, and who logged it if that was someone else. */
export function whoLine(action: Action): string {
  return action.loggedBy === action.memberId ? mention(action.memberId) : `${mention(action.memberId)}, logged by ${mention(action.loggedBy)}`;
}

/**
 * Who decides an action: the group's drivers, or the admins when it has no
 * group (or no driver). Never the person who did it, nor the one who logged it.
 */
export function decidersOf(ctx: BaseContext, action: Action): number[] {
  const involved = new Set([action.memberId, action.loggedBy]);
  const pool = action.groupId ? groupDeciders(ctx, action.groupId) : holdersOf(ctx.db, "admin").map((a) => a.memberId);
  const left = pool.filter((id) => !involved.has(id));
  if (left.length > 0 || !action.groupId) return left;
  // The group's only drivers are the people involved: the admins decide.
  return holdersOf(ctx.db, "admin").map((a) => a.memberId).filter((id) => !involved.has(id));
}

/** May the asker decide this action at all (before the own-action rule)? */
export function mayDecide(ctx: CommandContext, action: Action): boolean {
  return ctx.isAdmin || (action.groupId !== null && isDriverOf(ctx, action.groupId, ctx.actor.memberId));
}

/** The action a typed reference names, or a refusal. */
export function actionFromRef(ctx: CommandContext, text: string): Action {
  const id = parseRef(text);
  if (id === undefined) return ctx.fail(`\`${esc(text)}\` is not an action reference; they look like A-17.`);
  const action = getAction(ctx.db, id);
  if (!action) return ctx.fail(`There is no action ${ref(id)}.`);
  return action;
}

/** The author (who logged it) and, if different, the member who did it. */
export function peopleOf(action: Action): number[] {
  return [...new Set([action.loggedBy, action.memberId])];
}

export function stateWords(ctx: BaseContext, action: Action): string {
  const by = action.decidedBy ? ` by ${mention(action.decidedBy)}` : "";
  const when = action.decidedAt ? ` on ${dayLabel(action.decidedAt, ctx.config.timezone)}` : "";
  switch (action.state) {
    case "pending":
      return "waiting for verification";
    case "verified":
      return `verified${by}${when}`;
    case "rejected":
      return `rejected${by}${when}`;
    case "undone":
      return `withdrawn${by}${when}`;
    default:
      return `voided${by}${when}`;
  }
}
