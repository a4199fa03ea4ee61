// `more`: the next page of the asker's latest long answer (bot/paging.ts
// cuts it; CommandContext.reply keeps the rest).
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import { footer } from "../../bot/paging.ts";
import { keptPages, setRemainingPages, forgetPages } from "../../db/reply-pages.ts";

/**
 * A kept answer is a snapshot, and who may see what is checked when it is
 * made: an hour on, ask again for one that is current.
 */
export const PAGES_LAST_MS = 3600_000;

export const more = defineCommand({
  name: "more",
  summary: "Show the next page of a long answer",
  description: "A long answer (a long `verify queue`, `help` for an admin) comes a page at a time; `more` shows the next page. Only your latest long answer is kept, for an hour.",
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    const me = ctx.actor.memberId;
    const kept = keptPages(ctx.db, me);
    if (!kept) return ctx.reply("There's nothing more to show: that was the end.");
    if (kept.createdAt < ctx.now - PAGES_LAST_MS) {
      forgetPages(ctx.db, me);
      return ctx.reply("The rest of that answer is over an hour old, so I let it go: ask again for a fresh one.");
    }
    const [page, ...rest] = kept.pages;
    setRemainingPages(ctx.db, me, rest);
    // Every page was cut with room for this line: it goes as it is.
    ctx.reply(rest.length > 0 ? `${page}\n${footer(rest)}` : page!, { whole: true });
  },
});
