// The onboarding tour, step by step: what the federation is, a few questions
// that fill the member's profile (each skippable, each answerable later with
// `profile set`), then groups to join and the first jobs. It lives in the
// member's DM; typed answers are taken for a while after each question.
// If they stop half-way, one gentle follow-up comes; never a second.
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext, CommandContext, Message } from "../../bot/context.ts";
import type { OutboundMessage } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { setProfile } from "../../db/profiles.ts";
import { rolesOf } from "../../db/roles.ts";
import { addNewcomer, claimFollowUp, finishOnboarding, getNewcomer, getOnboarding, hasHistory, promptOnboarding, startOnboarding, type Onboarding } from "../../db/welcome.ts";
import { followUpAfterMs, introText, welcomeConfig } from "./config.ts";
import { firstJobsMessage, suggestionMessage } from "./suggest.ts";

/** A typed answer counts for this long after its question was put (or put again by the follow-up). */
export const ANSWER_WINDOW = 7 * 86_400_000;
/** The longest answer kept (as `profile set` allows). */
export const MAX_ANSWER = 500;

const FOLLOW_UP_JOB = "welcome.follow-up";
const followUpKey = (memberId: number, prompts: number) => `welcome-follow-up:${memberId}:${prompts}`;
export const followUpPrefix = (memberId: number) => `welcome-follow-up:${memberId}:`;

const COUNT: Record<number, string> = { 1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five" };
const questionsOf = (ctx: BaseContext) => welcomeConfig(ctx.config).onboarding.questions;

/**
 * Someone the bot hasn't met: never toured, in no group, nothing logged by
 * or for them, no role. Members from before the tour existed aren't
 * toured uninvited (`welcome` is there for them).
 */
export function isFirstTimer(ctx: BaseContext, memberId: number): boolean {
  return !getOnboarding(ctx.db, memberId) && !hasHistory(ctx.db, memberId) && rolesOf(ctx.db, memberId).length === 0;
}

/** Whether the tour is waiting for a typed answer from this member now. */
export function awaitingAnswer(ctx: BaseContext, row: Onboarding | undefined): row is Onboarding {
  return row !== undefined && row.state === "active" && row.step < questionsOf(ctx).length && ctx.now - row.promptedAt <= ANSWER_WINDOW;
}

const SKIP_BUTTONS = [
  { label: "Skip this question", command: "welcome skip" },
  { label: "Skip the tour", command: "welcome stop" },
];

/** Question `step`, numbered, with how to answer it and how to skip. */
function questionMessage(ctx: BaseContext, step: number, lead: string[]): OutboundMessage {
  const questions = questionsOf(ctx);
  const q = questions[step]!;
  const text = [
    ...lead,
    `*${step + 1}/${questions.length}* ${esc(q.ask)}`,
    "Just type your answer here.",
  ].join("\n");
  return { text, buttons: SKIP_BUTTONS };
}

/**
 * Tour messages go to the member's DM, all by the same route so they arrive
 * in order. Asked in a room, the room only hears where to look, so the
 * conversation doesn't happen in public.
 */
export function sayInDm(ctx: CommandContext, messages: Message[], pointer = "📬 I've answered you in a private message."): void {
  if (ctx.event.room.kind === "dm") {
    for (const m of messages) ctx.reply(m);
    return;
  }
  for (const m of messages) ctx.toMember(ctx.actor.memberId, m);
  ctx.reply(pointer);
}

/** Plans the one follow-up for the prompt just made (and drops the one planned for the prompt before). */
function planFollowUp(ctx: BaseContext, row: Onboarding): void {
  ctx.cancelJob(followUpKey(row.memberId, row.prompts - 1));
  if (row.followedUpAt !== null) return;
  ctx.schedule({ kind: FOLLOW_UP_JOB, key: followUpKey(row.memberId, row.prompts), dueAt: ctx.now + followUpAfterMs(ctx.config), payload: { memberId: row.memberId, prompts: row.prompts } });
}

/** The tour's end: Join buttons, then the first jobs. */
function finish(ctx: CommandContext, step: number, lead: string[]): void {
  const me = ctx.actor.memberId;
  finishOnboarding(ctx.db, me, "done", step, ctx.now);
  ctx.cancelJobs(followUpPrefix(me));
  const suggestions = suggestionMessage(ctx, me);
  sayInDm(ctx, [{ ...suggestions, text: [...lead, suggestions.text].join("\n") }, firstJobsMessage(ctx)]);
}

/** Puts question `step`, or ends the tour when there are no more. */
function ask(ctx: CommandContext, step: number, lead: string[]): void {
  if (step >= questionsOf(ctx).length) return finish(ctx, step, lead);
  const row = promptOnboarding(ctx.db, ctx.actor.memberId, step, ctx.now);
  planFollowUp(ctx, row);
  sayInDm(ctx, [questionMessage(ctx, step, lead)]);
}

/**
 * Starts the tour from the beginning. Someone with no group and nothing
 * logged is a newcomer from now (the figures in `progress` count them).
 */
export function startTour(ctx: CommandContext, aside?: string): void {
  const me = ctx.actor.memberId;
  if (!getNewcomer(ctx.db, me) && !hasHistory(ctx.db, me)) addNewcomer(ctx.db, me, ctx.now, "tour");
  const row = startOnboarding(ctx.db, me, ctx.now);
  const questions = questionsOf(ctx);
  const intro = [
    `👋 Welcome to *${esc(ctx.config.federation.name)}*, ${mention(me)}!`,
    ...(aside ? [aside] : []),
    esc(introText(ctx.config)),
    questions.length
      ? `${COUNT[questions.length] ?? questions.length} quick question${questions.length === 1 ? "" : "s"} so the right groups can find you (each one goes on your profile; ${cmd("profile set")} changes it later), then where you could start.`
      : "Here's where you could start.",
  ];
  if (questions.length === 0) return finish(ctx, 0, intro);
  planFollowUp(ctx, row);
  sayInDm(ctx, [questionMessage(ctx, 0, intro)], "👋 I've sent you a welcome in a private message.");
}

/** Back to where they were: the question waiting for them. */
export function resumeTour(ctx: CommandContext, row: Onboarding): void {
  const questions = questionsOf(ctx);
  if (row.step >= questions.length) return finish(ctx, row.step, []);
  ask(ctx, row.step, [`👋 Welcome back! We were at question ${row.step + 1} of ${questions.length}:`]);
}

/** A typed answer to the question waiting: onto their profile, then the next question. */
export function answerTour(ctx: CommandContext, row: Onboarding, text: string): void {
  const answer = text.trim();
  if (!answer) return ctx.fail("Type your answer after `welcome answer`, or skip the question.");
  if (answer.length > MAX_ANSWER) return ctx.fail(`That's a bit long for your profile (${MAX_ANSWER} characters at most); a few words will do.`);
  const q = questionsOf(ctx)[row.step]!;
  setProfile(ctx.db, ctx.actor.memberId, { [q.field]: answer }, ctx.now);
  ask(ctx, row.step + 1, [`✓ Your ${q.field}: ${esc(answer)} (${cmd(`profile set ${q.field} ...`)} changes it).`]);
}

export function skipQuestion(ctx: CommandContext, row: Onboarding): void {
  ask(ctx, row.step + 1, ["OK, skipped."]);
}

export function stopTour(ctx: CommandContext): void {
  const me = ctx.actor.memberId;
  finishOnboarding(ctx.db, me, "stopped", getOnboarding(ctx.db, me)?.step ?? 0, ctx.now);
  ctx.cancelJobs(followUpPrefix(me));
  ctx.reply(`OK, no tour. ${cmd("welcome")} starts it again whenever you like; ${cmd("groups")} and ${cmd("jobs")} show where you could help; ${cmd("help")} shows everything I can do.`);
}

/** The one follow-up, if they stopped half-way and nothing happened since it was planned. */
export const followUpJob = defineJob<{ memberId: number; prompts: number }>({
  kind: FOLLOW_UP_JOB,
  run(ctx, { memberId, prompts }) {
    const row = getOnboarding(ctx.db, memberId);
    if (!row || row.state !== "active") return ctx.skip("the tour was finished or stopped");
    if (row.prompts !== prompts) return ctx.skip("the tour moved on since");
    if (!claimFollowUp(ctx.db, memberId, prompts, ctx.now)) return ctx.skip("already followed up once");
    const questions = questionsOf(ctx);
    if (row.step >= questions.length) return ctx.skip("no question left to ask");
    const lead = [`👋 ${esc(welcomeConfig(ctx.config).onboarding.followUp)}`, `We were at question ${row.step + 1} of ${questions.length}:`];
    ctx.toMember(memberId, questionMessage(ctx, row.step, lead));
  },
});
