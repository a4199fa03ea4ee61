// A greeting gets a greeting, and the way to `help` (not "I don't know
// `hello`"). Hidden from help: it's manners, not a feature to learn. Someone
// new gets the welcome tour instead, when that capability is installed
// (`member.greeted`); starting it writes, so this command isn't read-only.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { greetingAnswered } from "../../bot/domain.ts";
import { cmd, esc } from "../../bot/markup.ts";

export const hello = defineCommand({
  name: "hello",
  aliases: ["hi", "hey", "hiya", "howdy", "good morning", "good afternoon", "good evening"],
  summary: "Say hello",
  args: z.object({ rest: z.string().optional() }),
  positional: ["rest..."],
  freeText: true,
  hidden: true,
  allow: "everyone",
  run(ctx) {
    if (greetingAnswered(ctx, ctx.actor.memberId)) return;
    ctx.reply(`Hello, ${esc(ctx.actor.displayName)}! 👋 I can remind you of things, find working groups and meetings, record what you do for the federation and put questions to the Co-op Clinic. ${cmd("help")} shows how.`);
  },
});
