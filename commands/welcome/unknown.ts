// The answer to an unknown command, for the DM lines the tour's listener
// claims but doesn't want: the router's own words, so they never drift.
import { unknownCommandReply as routersReply } from "../../bot/command-stages.ts";
import type { CommandContext } from "../../bot/context.ts";
import { tokenize } from "../../bot/grammar.ts";

export function unknownCommandReply(ctx: CommandContext, text: string): string {
  return routersReply(ctx, ctx.services.registry, tokenize(text));
}
