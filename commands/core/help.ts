// `help` is generated from the command declarations and lists only what the
// asker may run, so it can never drift from what the bot does. It fits on a
// screen: the topics (one line each) and the commands this person uses most
// (from their own history); `help <topic>` lists a topic's commands and
// `help <command>` explains one.
import { z } from "zod";
import { type AnyCommand, defineCommand, fieldInfo, optionFlag, optionNames, positionalNames, usageOf } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { describeAllow } from "../../bot/router.ts";
import { tokenize } from "../../bot/grammar.ts";
import { mostUsedCommands } from "../../db/usage.ts";
import { rankUses } from "../../bot/recent-use.ts";

const DAY = 24 * 3600_000;
/** How far back `help` looks for what someone uses (the inbound ledger keeps about a month). */
const USAGE_WINDOW = 90 * DAY;
const FAVOURITES = 5;
/** For someone new: where most people start. */
const STARTERS = ["groups", "join", "meetings", "remind me", "log", "thanks", "clinic ask"];

/** Each topic in a few words, for the overview; a capability without one shows its commands' names. */
const TOPICS: Record<string, { title: string; about: string; also?: string[] }> = {
  general: { title: "General", about: "reminders, who you are, long answers" },
  accounts: { title: "Accounts", about: "one member on Slack and Matrix: linking accounts", also: ["linking"] },
  groups: { title: "Groups", about: "working groups and peer networks: find, join, run" },
  meetings: { title: "Meetings", about: "what's coming, RSVPs, notes, calendars, scheduling", also: ["meeting"] },
  actions: { title: "Actions", about: "log what you did, thanks, recognition, progress" },
  clinic: { title: "Clinic", about: "ask the Co-op Clinic; triage, handoffs and advice" },
  reports: { title: "Reports", about: "the progress dashboard, charts and CRM exports", also: ["report"] },
  "your data": { title: "Your data", about: "a copy of what I hold about you, or forgetting you", also: ["data", "privacy"] },
};

export const help = defineCommand({
  name: "help",
  aliases: ["commands", "?"],
  summary: "Show what I can do for you: the topics, and the commands you use most",
  examples: ["help", "help meetings", "help join"],
  args: z.object({ topic: z.string().optional().describe("a topic (groups, meetings, ...), a command, or the first word of several") }),
  positional: ["topic..."],
  allow: "everyone",
  readOnly: true,
  run(ctx, { topic }) {
    ctx.reply(topic ? helpFor(ctx, topic) : overview(ctx));
  },
});

function visible(ctx: CommandContext): AnyCommand[] {
  return ctx.services.registry.all().filter((c) => !c.hidden && ctx.can(c.allow));
}

function bySection(ctx: CommandContext): Map<string, AnyCommand[]> {
  const sections = new Map<string, AnyCommand[]>();
  for (const command of visible(ctx)) {
    const name = ctx.services.registry.sectionOf(command);
    sections.set(name, [...(sections.get(name) ?? []), command]);
  }
  return sections;
}

const line = (c: AnyCommand) => `${cmd(c.name)} — ${esc(c.summary)}`;

/** The commands this person ran most lately; for someone new, where most people start. */
function favourites(ctx: CommandContext, shown: AnyCommand[]): { used: boolean; commands: AnyCommand[] } {
  const byName = new Map(shown.map((c) => [c.name, c]));
  const since = ctx.now - USAGE_WINDOW;
  const stored = mostUsedCommands(ctx.db, ctx.actor.memberId, since, FAVOURITES + 3);
  const used = rankUses(stored, ctx.services.recentUse?.of(ctx.actor.memberId, since) ?? [])
    .filter((name) => name !== "help" && name !== "more")
    .map((name) => byName.get(name))
    .filter((c): c is AnyCommand => c !== undefined)
    .slice(0, FAVOURITES);
  if (used.length >= 3) return { used: true, commands: used };
  const starters = STARTERS.map((name) => byName.get(name)).filter((c): c is AnyCommand => c !== undefined && !used.includes(c));
  return { used: false, commands: [...used, ...starters].slice(0, FAVOURITES) };
}

function overview(ctx: CommandContext): string {
  const sections = bySection(ctx);
  const lines = ["*What I can do for you*"];
  for (const [name, commands] of sections) {
    const topic = TOPICS[name];
    const about = topic?.about ?? commands.map((c) => c.name).slice(0, 4).join(", ");
    lines.push(`• *${esc(topic?.title ?? title(name))}*: ${esc(about)} — ${cmd(`help ${name}`)}`);
  }
  const { used, commands } = favourites(ctx, [...sections.values()].flat());
  if (commands.length) lines.push("", used ? "*What you use most*" : "*To start with*", ...commands.map(line));
  lines.push("", `${cmd("help <command>")} explains one command.`);
  return lines.join("\n");
}

/** The topic a word names: a section's name, or one of its other names (`help meeting`, `help privacy`). */
function sectionNamed(ctx: CommandContext, word: string): [string, AnyCommand[]] | undefined {
  const typed = word.trim().toLowerCase();
  for (const [name, commands] of bySection(ctx)) {
    if (name === typed || TOPICS[name]?.title.toLowerCase() === typed || TOPICS[name]?.also?.includes(typed)) return [name, commands];
  }
  return undefined;
}

function sectionPage(ctx: CommandContext, name: string, commands: AnyCommand[]): string {
  const lines = [`*${esc(TOPICS[name]?.title ?? title(name))}* (${cmd("help <command>")} explains one)`, ...commands.map(line)];
  // A command with the topic's own name (`groups`, `meetings`) is explained here too: `help groups` is the topic.
  const same = commands.find((c) => c.name === name);
  if (same) lines.push(`Usage of ${cmd(same.name)}: ${cmd(usageOf(same))}`);
  return lines.join("\n");
}

function helpFor(ctx: CommandContext, topic: string): string {
  const registry = ctx.services.registry;
  const section = sectionNamed(ctx, topic);
  if (section) return sectionPage(ctx, ...section);
  const found = registry.lookup(tokenize(topic));
  const mine = found && ctx.can(found.command.allow) ? found.command : undefined;
  const family = registry.under(topic).filter((c) => !c.hidden && ctx.can(c.allow));
  // A word that starts several commands (`remind`, `group`) lists them all, the one it names first.
  if (family.length > 0) return [`*${esc(topic)}* (${cmd("help <command>")} explains one)`, ...(mine && !family.includes(mine) ? [mine] : []).concat(family).map(line)].join("\n");
  if (mine) return detail(mine, (c) => registry.get(c) !== undefined);
  if (found) return `\`${found.command.name}\` is for ${describeAllow(found.command)}.`;
  const suggestion = registry.suggest(tokenize(topic), (c) => ctx.can(c.allow));
  return suggestion ? `There is no command \`${esc(topic)}\`. Did you mean ${cmd(`help ${suggestion}`)}?` : `There is no command or topic \`${esc(topic)}\`. Try ${cmd("help")}.`;
}

/**
 * A command named in backticks in a declaration's prose (`` `link confirm
 * <code>` ``) is shown as a command, with the reader's prefix.
 */
function prose(text: string, isCommand: (name: string) => boolean): string {
  return text
    .split(/(`[^`]+`)/)
    .map((part, i) => {
      if (i % 2 === 0) return esc(part);
      const inner = part.slice(1, -1);
      const words = inner.split(/\s+/);
      const named = [3, 2, 1].some((n) => words.length >= n && isCommand(words.slice(0, n).join(" ")));
      return named ? cmd(inner) : `\`${esc(inner)}\``;
    })
    .join("");
}

/** The full entry for one command, all of it read off its declaration. */
export function detail(command: AnyCommand, isCommand: (name: string) => boolean = () => false): string {
  const shape = command.args.shape as Record<string, z.ZodType>;
  const lines = [`*${command.name}* — ${esc(command.summary)}`, `Usage: ${cmd(usageOf(command))}`];
  if (command.description) lines.push(prose(command.description, isCommand));
  const described = [...positionalNames(command).map((p) => p.name), ...optionNames(command)]
    .map((key) => ({ key, info: fieldInfo(shape[key]!), option: !positionalNames(command).some((p) => p.name === key) }))
    .filter((a) => a.info.description);
  if (described.length > 0) {
    lines.push("Arguments:");
    for (const a of described) lines.push(`  ${a.option ? `--${optionFlag(a.key)}` : a.key}: ${prose(a.info.description!, isCommand)}`);
  }
  if (command.examples?.length) lines.push("Examples:", ...command.examples.map((e) => `  ${cmd(e)}`));
  if (command.aliases?.length) lines.push(`Also: ${command.aliases.map((a) => `\`${esc(a)}\``).join(", ")}`);
  lines.push(`For: ${describeAllow(command)}`);
  return lines.join("\n");
}

const title = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
