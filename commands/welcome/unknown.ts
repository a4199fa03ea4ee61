// The answer to an unknown command, for the DM lines the tour's listener
// claims but doesn't want. It must read exactly as the router's own
// (bot/router.ts, Router.unknownCommandReply), which is private there: a
// copy until the router lets a listener pass a message back to it.
import type { CommandContext } from "../../bot/context.ts";
import { tokenize } from "../../bot/grammar.ts";
import { cmd } from "../../bot/markup.ts";

export function unknownCommandReply(ctx: CommandContext, text: string): string {
  const tokens = tokenize(text);
  if (tokens.length === 0) return `Hello! Type ${cmd("help")} to see what I can do.`;
  const registry = ctx.services.registry;
  const first = tokens[0]!.value.toLowerCase();
  const family = registry.under(first).filter((c) => ctx.can(c.allow));
  if (family.length > 0) return `\`${first}\` needs one more word: ${family.map((c) => cmd(c.name)).join(", ")}.`;
  const suggestion = registry.suggest(tokens, (c) => ctx.can(c.allow));
  const typed = tokens[0]!.value;
  return suggestion
    ? `I don't know \`${typed}\`. Did you mean ${cmd(suggestion)}? (${cmd("help")} lists everything.)`
    : `I don't know \`${typed}\`. Type ${cmd("help")} to see what I can do.`;
}
