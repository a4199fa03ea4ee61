// How people reach the tour: `welcome` (and its skip / stop / answer), a
// greeting ("hello"), anything a first-timer types in their DM, and typed
// answers while a question waits. Every button in the tour is one of these
// commands, so Matrix and the console can do all of it by typing.
import { z } from "zod";
import type { ListenerSpec } from "../../bot/capability.ts";
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import { type BaseContext, CommandContext } from "../../bot/context.ts";
import { greetingAnswered, type DomainEvents } from "../../bot/domain.ts";
import type { InboundEvent } from "../../bot/events.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { getOnboarding } from "../../db/welcome.ts";
import { answerTour, awaitingAnswer, isFirstTimer, MAX_ANSWER, resumeTour, skipQuestion, startTour, stopTour } from "./tour.ts";
import { unknownCommandReply } from "./unknown.ts";

/** The tour's row while it is under way, or a refusal that says how to start it. */
function activeTour(ctx: CommandContext) {
  const row = getOnboarding(ctx.db, ctx.actor.memberId);
  if (!row || row.state !== "active") return ctx.fail(`You're not in the middle of the welcome tour; ${cmd("welcome")} starts it.`);
  return row;
}

export const welcome = defineCommand({
  name: "welcome",
  summary: "A short guided tour: what the federation is, a few questions for your profile, then groups to join and first jobs",
  description: "Under way, `welcome` takes you back to the question you were at; finished or stopped, it starts again. Answer by typing in your DM with me (or `welcome answer ...` anywhere).",
  examples: ["welcome"],
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    const row = getOnboarding(ctx.db, ctx.actor.memberId);
    if (row?.state === "active") return resumeTour(ctx, row);
    startTour(ctx);
  },
});

export const welcomeAnswer = defineCommand({
  name: "welcome answer",
  summary: "Answer the tour's question (in your DM with me, just typing it does the same)",
  examples: ["welcome answer graphic & digital design, some motion graphics"],
  args: z.object({ answer: z.string().min(1).max(MAX_ANSWER).describe("your answer") }),
  positional: ["answer..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const row = activeTour(ctx);
    answerTour(ctx, row, args.answer);
  },
});

export const welcomeSkip = defineCommand({
  name: "welcome skip",
  summary: "Skip the tour's current question",
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    skipQuestion(ctx, activeTour(ctx));
  },
});

export const welcomeStop = defineCommand({
  name: "welcome stop",
  summary: "End the tour now (welcome starts it again)",
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    activeTour(ctx);
    stopTour(ctx);
  },
});

/** "hello", "Hi there!", "good morning", "👋": a greeting, possibly with more after it. */
const GREETING = /^(?:👋|(?:hi|hii+|hello|hey|heya|hiya|howdy|hallo|hola|yo|greetings|morning|evening|good\s+(?:morning|afternoon|evening|day))(?![\p{L}\p{N}]))/iu;
/** Nothing but a greeting (and maybe a name or punctuation): not an answer to a question. */
const ONLY_GREETING = /^(?:👋|(?:hi|hii+|hello|hey|heya|hiya|howdy|hallo|hola|yo|greetings|morning|evening|good\s+(?:morning|afternoon|evening|day))(?:\s+(?:there|all|everyone|folks|bot|coopbot))?)[\s!.,:;)👋]*$/iu;

const inDm = (event: InboundEvent) => event.room.kind === "dm";

/** What a member says to the bot that no command matched, in their DM (or a greeting anywhere they address it). */
function claims(event: InboundEvent): boolean {
  return event.addressed && (inDm(event) || GREETING.test(event.text.trim()));
}

function greetAgain(ctx: CommandContext): void {
  ctx.reply(`👋 Hello, ${mention(ctx.actor.memberId)}! ${cmd("help")} shows what I can do, ${cmd("meetings")} what's coming up; ${cmd("welcome")} gives you a two-minute tour.`);
}

/**
 * `member.greeted`: the tour answers a greeting from someone new (it
 * starts) or from someone in the middle of it (it picks up where they
 * were). Anyone else gets the plain hello from whoever asked.
 */
export function answerGreeting(ctx: BaseContext, greeted: DomainEvents["member.greeted"]): void {
  if (greeted.answered || !(ctx instanceof CommandContext) || ctx.actor.memberId !== greeted.memberId) return;
  const row = getOnboarding(ctx.db, greeted.memberId);
  if (row?.state === "active") resumeTour(ctx, row);
  else if (isFirstTimer(ctx, greeted.memberId)) startTour(ctx);
  else return;
  greeted.answered = true;
}

/**
 * The tour's listener. The router hands it only what no command matched.
 * A typed line while a question waits is its answer; a greeting goes the
 * way every greeting goes (`greetingAnswered`: the tour for someone new);
 * anything else from someone new is answered as an unknown command and
 * then toured. Everyone else gets the router's unknown-command answer.
 */
export const tourListener: ListenerSpec = {
  name: "welcome-tour",
  matches: claims,
  run(ctx) {
    const text = ctx.event.text.trim();
    const me = ctx.actor.memberId;
    const row = getOnboarding(ctx.db, me);
    if (inDm(ctx.event) && !ONLY_GREETING.test(text) && awaitingAnswer(ctx, row)) return answerTour(ctx, row, text);
    // A stand-in for a `hello` command while core has none: such a command asks greetingAnswered first, just as this does.
    if (GREETING.test(text)) return greetingAnswered(ctx, me) ? undefined : greetAgain(ctx);
    const unknown = unknownCommandReply(ctx, ctx.event.text);
    if (isFirstTimer(ctx, me)) return startTour(ctx, `${unknown} Since you're new here, a quick tour first.`);
    ctx.reply(unknown);
  },
};
