// `help` is generated from the command declarations and lists only what the
// asker may run, so it can never drift from what the bot does.
import { z } from "zod";
import { type AnyCommand, defineCommand, fieldInfo, optionFlag, optionNames, positionalNames, usageOf } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { describeAllow } from "../../bot/router.ts";
import { tokenize } from "../../bot/grammar.ts";

export const help = defineCommand({
  name: "help",
  aliases: ["commands", "?"],
  summary: "Show the commands you can use, or how to use one",
  examples: ["help", "help join", "help meeting"],
  args: z.object({ topic: z.string().optional().describe("a command, or the first word of several") }),
  positional: ["topic..."],
  allow: "everyone",
  readOnly: true,
  run(ctx, { topic }) {
    ctx.reply(topic ? helpFor(ctx, topic) : overview(ctx));
  },
});

function visible(ctx: CommandContext): AnyCommand[] {
  return ctx.services.registry.all().filter((c) => ctx.can(c.allow));
}

function overview(ctx: CommandContext): string {
  const registry = ctx.services.registry;
  const sections = new Map<string, AnyCommand[]>();
  for (const command of visible(ctx)) {
    const name = registry.sectionOf(command);
    sections.set(name, [...(sections.get(name) ?? []), command]);
  }
  const lines = [`*What I can do for you* (${cmd("help <command>")} for details)`];
  for (const [name, commands] of sections) {
    lines.push("", `*${title(name)}*`);
    for (const c of commands) lines.push(`${cmd(c.name)} — ${esc(c.summary)}`);
  }
  return lines.join("\n");
}

function helpFor(ctx: CommandContext, topic: string): string {
  const registry = ctx.services.registry;
  const found = registry.lookup(tokenize(topic));
  if (found && ctx.can(found.command.allow)) return detail(found.command);
  const family = registry.under(topic).filter((c) => ctx.can(c.allow));
  if (family.length > 0) return [`*${esc(topic)}*`, ...family.map((c) => `${cmd(c.name)} — ${esc(c.summary)}`)].join("\n");
  if (found) return `\`${found.command.name}\` is for ${describeAllow(found.command)}.`;
  const suggestion = registry.suggest(tokenize(topic), (c) => ctx.can(c.allow));
  return suggestion ? `There is no command \`${esc(topic)}\`. Did you mean ${cmd(`help ${suggestion}`)}?` : `There is no command \`${esc(topic)}\`. Try ${cmd("help")}.`;
}

/** The full entry for one command, all of it read off its declaration. */
export function detail(command: AnyCommand): string {
  const shape = command.args.shape as Record<string, z.ZodType>;
  const lines = [`*${command.name}* — ${esc(command.summary)}`, `Usage: ${cmd(usageOf(command))}`];
  if (command.description) lines.push(esc(command.description));
  const described = [...positionalNames(command).map((p) => p.name), ...optionNames(command)]
    .map((key) => ({ key, info: fieldInfo(shape[key]!), option: !positionalNames(command).some((p) => p.name === key) }))
    .filter((a) => a.info.description);
  if (described.length > 0) {
    lines.push("Arguments:");
    for (const a of described) lines.push(`  ${a.option ? `--${optionFlag(a.key)}` : a.key}: ${esc(a.info.description!)}`);
  }
  if (command.examples?.length) lines.push("Examples:", ...command.examples.map((e) => `  ${cmd(e)}`));
  if (command.aliases?.length) lines.push(`Also: ${command.aliases.map((a) => `\`${esc(a)}\``).join(", ")}`);
  lines.push(`For: ${describeAllow(command)}`);
  return lines.join("\n");
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
