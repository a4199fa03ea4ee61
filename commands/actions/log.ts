// `log`: a member records something they did for the federation (or, with
// `log @member ...`, something someone else did: a nomination). It waits as
// pending until one of the group's drivers (or an admin) verifies it.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { limitNote } from "../../bot/limits.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { nearest } from "../../bot/suggest.ts";
import { findJobBySlug, insertAction, listJobs, pendingLoggedSince, type Action, type ActionJob } from "../../db/actions.ts";
import { groupForRoom, type Group } from "../../db/groups.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { parseDoneDate } from "./periods.ts";
import { actionFacts, decidersOf, describeAction, noticeKey, ref } from "./shared.ts";

const DAY = 24 * 3600_000;
const LINK = /^https?:\/\/[^\s<>|]+$/i;

/** The message each decider gets, with the buttons (and their typed equivalents). */
export function verifyNotice(ctx: BaseContext, action: Action, lead: string) {
  const r = ref(action.id);
  const who = action.loggedBy === action.memberId ? `${mention(action.memberId)} logged` : `${mention(action.loggedBy)} logged, for ${mention(action.memberId)},`;
  return {
    key: noticeKey(action.id),
    text: `${lead} ${who} ${describeAction(ctx, action)}\n${actionFacts(ctx, action)}\nVerify with ${cmd(`verify ${r}`)}, ask first with ${cmd(`verify ${r} --ask "<question>"`)}, or reject with ${cmd(`reject ${r} <reason>`)}.`,
    buttons: [
      { label: "Verify", command: `verify ${r}`, style: "primary" as const },
      { label: "Reject", command: `reject ${r}`, style: "danger" as const },
    ],
  };
}

/** Splits `@bea ran the stall` into the nominee and the rest. */
function nomination(ctx: CommandContext, text: string): { memberId: number; rest: string } {
  const m = /^(@\S+)\s*([\s\S]*)$/.exec(text);
  if (!m) return { memberId: ctx.actor.memberId, rest: text };
  return { memberId: ctx.resolveMember(m[1]!).id, rest: m[2]!.trim() };
}

/** `share-campaign the autumn leaflet` → the job and the note; free text → no job. */
function jobAndNote(ctx: CommandContext, text: string): { job?: ActionJob; note: string } {
  const [first = "", ...others] = text.split(/\s+/);
  const job = findJobBySlug(ctx.db, first);
  if (job) {
    if (job.status === "retired") return ctx.fail(`\`${job.slug}\` has been retired; log what you did in your own words, or pick another job (${cmd("jobs")}).`);
    return { job, note: others.join(" ") };
  }
  // A slug-like first word that is nearly a job is far more likely a typo than prose.
  if (/^[a-z0-9]+(-[a-z0-9]+)+$/.test(first)) {
    const guess = nearest(first, listJobs(ctx.db).map((j) => j.slug));
    if (guess) return ctx.fail(`There's no job \`${esc(first)}\`. Did you mean \`${guess}\`? (${cmd("jobs")} lists them.)`);
  }
  return { note: text };
}

function groupFor(ctx: CommandContext, typed: string | undefined): Group | undefined {
  if (typed) return resolveGroup(ctx, typed);
  if (ctx.event.room.kind === "dm") return undefined;
  const group = groupForRoom(ctx.db, ctx.event.platform, ctx.event.room.id);
  return group?.status === "archived" ? undefined : group;
}

/** `limits.actions.pendingPerDay`: every pending action is a card in each deciding driver's DMs. */
function checkPendingLimit(ctx: CommandContext): void {
  const max = ctx.config.limits.actions.pendingPerDay;
  if (pendingLoggedSince(ctx.db, ctx.actor.memberId, ctx.now - DAY) < max) return;
  ctx.fail(
    `You've logged ${max} actions in the last 24 hours that are still waiting to be verified, the most there can be: log this one once the drivers have caught up, or tomorrow. ${limitNote("actions.pendingPerDay")}`,
  );
}

export const log = defineCommand({
  name: "log",
  summary: "Record something you did for the federation (or that someone else did)",
  description:
    "Start with a job's slug (see `jobs`) to log a defined job, or just say what you did. It waits for the group's drivers (admins when there's no group) to verify it. In a group's room, the group is that one. `log @member ...` records it for someone else; they are told.",
  examples: ["log share-campaign posted the autumn leaflet on three forums --group comms", "log contact-coop Bristol Bike Co-op --hours 1.5 --date yesterday", "log @bea ran the Glasgow workshop --group glasgow --hours 3"],
  usage: "log [@member] <job or what you did> [--group <group>] [--hours <hours>] [--evidence <link>] [--date <date>]",
  args: z.object({
    what: z.string().max(1000).optional().describe("a job's slug and/or what you did, in your own words"),
    group: z.string().optional().describe("the group it was for (default: the group whose room you're in)"),
    hours: z.coerce.number().positive().max(200).optional().describe("how long it took, in hours: 1.5"),
    evidence: z.string().max(500).optional().describe("a link that shows it (a post, a document)"),
    date: z.string().optional().describe("when you did it: today (default), yesterday or 2026-08-14"),
  }),
  positional: ["what..."],
  allow: "everyone",
  run(ctx, args) {
    const typed = args.what?.trim() ?? "";
    if (!typed) return ctx.fail("Say what you did: a job's slug (see `jobs`) or your own words.", { showUsage: true });
    const { memberId, rest } = nomination(ctx, typed);
    if (!rest) return ctx.fail(`Say what ${memberId === ctx.actor.memberId ? "you" : mention(memberId)} did.`, { showUsage: true });
    const { job, note } = jobAndNote(ctx, rest);
    if (args.evidence && !LINK.test(args.evidence)) return ctx.fail("Evidence should be a link starting with https://");
    const done = parseDoneDate(args.date, ctx.now, ctx.config.timezone);
    if ("error" in done) return ctx.fail(done.error);
    const group = groupFor(ctx, args.group);
    checkPendingLimit(ctx);
    const action = insertAction(ctx.db, {
      memberId,
      loggedBy: ctx.actor.memberId,
      jobId: job?.id ?? null,
      note,
      groupId: group?.id ?? null,
      hours: args.hours ?? null,
      evidence: args.evidence ?? null,
      doneAt: done.at,
      createdAt: ctx.now,
    });
    const to = decidersOf(ctx, action);
    for (const id of to) ctx.toMember(id, verifyNotice(ctx, action, "🧾"));
    const nominated = memberId !== ctx.actor.memberId;
    if (nominated) {
      ctx.toMember(memberId, `🌟 ${mention(ctx.actor.memberId)} logged an action on your behalf: ${describeAction(ctx, action, job)}. Once verified it counts in your ${cmd("contributions")}.`);
    }
    const verifiers = to.length === 0 ? "nobody else can verify it yet (ask an admin to add a driver)" : `waiting for ${to.map(mention).join(", ")} to verify it`;
    const forWhom = nominated ? ` for ${mention(memberId)}` : "";
    const tip = job ? "" : ` Tip: if it fits one of the ${cmd("jobs")}, start with its slug so it counts in a journey.`;
    ctx.reply(`Logged ${describeAction(ctx, action, job)}${forWhom} (${group ? esc(group.name) : "no group"}): ${verifiers}. ${cmd(`undo ${ref(action.id)}`)} within a day if it's a mistake.${tip}`);
  },
});
