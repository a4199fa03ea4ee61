// `thanks @a @b for <reason> [#value]`: kudos. A reason is required, nobody
// thanks themselves, each giver has a monthly allowance (each person named
// uses one; it doesn't roll over), and the n-th thanks from the same giver to
// the same person in a month counts 1/n. Recipients are told privately; the
// room sees it only if the giver says `--public`.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { insertThanks, pairCount, recipientsThankedBy } from "../../db/thanks.ts";
import { actionsConfig } from "./config.ts";
import { calendarMonth } from "./periods.ts";
import { oneIn, ordinal, thanksWeight } from "./points.ts";

export const MAX_RECIPIENTS = 10;
const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
/** `@a`, `@a and @b`, `@a, @b and @c`. */
export const andList = (items: string[]) => (items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`);
const USAGE = "thanks @someone [@someone-else ...] for <what they did> [#value] [--public]";

interface ParsedThanks {
  mentions: string[];
  reason: string;
  value: string | null;
}

/** Splits `@a and @b for ... #solidarity` into who, why and the value; undefined parts are refusals. */
export function parseThanks(text: string): ParsedThanks | { error: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const mentions: string[] = [];
  let i = 0;
  for (; i < words.length; i++) {
    const word = words[i]!.replace(/,$/, "");
    if (word.startsWith("@") && word.length > 1) mentions.push(word);
    else if (/^(and|&|,)$/i.test(word)) continue;
    else break;
  }
  if (mentions.length === 0) return { error: "Say who you're thanking, as @mentions." };
  if (words[i]?.toLowerCase() !== "for") return { error: "Say what for: a thanks needs a reason, after the word *for*." };
  const rest = words.slice(i + 1).join(" ");
  const value = /(?:^|\s)#([A-Za-z][\w-]{0,39})/.exec(rest)?.[1]?.toLowerCase() ?? null;
  // A trailing hashtag is the value, not part of the sentence.
  const reason = rest.replace(/(\s*#[A-Za-z][\w-]{0,39})+\s*$/, "").trim();
  if (!reason) return { error: "Say what for: a thanks needs a reason, after the word *for*." };
  return { mentions, reason, value };
}

export const thanksCommand = defineCommand({
  name: "thanks",
  aliases: ["thank", "kudos"],
  summary: "Thank someone for something they did (privately, or in the room with --public)",
  description:
    "The people you thank are told privately. Add --public to post it in the room you type it in. You can give a monthly allowance of thanks (each person named uses one; they don't roll over). Thanking the same person again in the same month counts less each time (the 2nd ½, the 3rd ⅓), so spread it around: quiet work deserves seeing.",
  examples: ["thanks @bea for the newsletter layout #craft", "thanks @sam @kim for running the Leeds session --public"],
  usage: USAGE,
  args: z.object({
    text: z.string().max(1000).optional().describe("who (@mentions), then `for` and what they did, optionally a #value"),
    public: z.boolean().optional().describe("also post it in this room"),
  }),
  positional: ["text..."],
  allow: "everyone",
  run(ctx, args) {
    const parsed = parseThanks(args.text ?? "");
    if ("error" in parsed) return ctx.fail(parsed.error, { showUsage: true });
    if (new Set(parsed.mentions.map((m) => m.toLowerCase())).size > MAX_RECIPIENTS) {
      return ctx.fail(`That's a lot of people! A thanks can name up to ${MAX_RECIPIENTS}; for a whole group, thank its drivers or post in its room.`);
    }
    const me = ctx.actor.memberId;
    const recipients = [...new Map(parsed.mentions.map((m) => ctx.resolveMember(m)).map((m) => [m.id, m])).values()];
    if (recipients.some((r) => r.id === me)) {
      return ctx.fail(recipients.length === 1 ? "You can't thank yourself — but thank you for what you do!" : "You can't thank yourself; leave yourself out and try again.");
    }
    if (args.public && ctx.event.room.kind === "dm") return ctx.fail("`--public` posts the thanks in the room you type it in; type it in a room, or leave out `--public`.");

    const { allowance } = actionsConfig(ctx.config);
    const month = calendarMonth(ctx.now, ctx.config.timezone);
    const used = recipientsThankedBy(ctx.db, me, month);
    const left = allowance - used;
    if (recipients.length > left) {
      const names = recipients.length === 1 ? "this one" : `this one names ${recipients.length} people`;
      return ctx.fail(
        left <= 0
          ? `You've given all ${allowance} of your thanks for ${month.label}; more come on the 1st (they don't roll over).`
          : `You have ${left} of your ${allowance} thanks left for ${month.label}, and ${names}. Thank fewer people, or wait for the 1st.`,
      );
    }

    const rows = recipients.map((r) => {
      const nth = pairCount(ctx.db, me, r.id, month) + 1;
      return { recipientId: r.id, nth, weight: thanksWeight(nth) };
    });
    insertThanks(ctx.db, { giverId: me, reason: parsed.reason, value: parsed.value, public: args.public ?? false, now: ctx.now, recipients: rows });

    const value = parsed.value ? ` #${parsed.value}` : "";
    const names = andList(recipients.map((r) => mention(r.id)));
    for (const r of recipients) ctx.toMember(r.id, `🙏 ${mention(me)} thanked you for ${esc(parsed.reason)}${value}`);
    if (args.public) ctx.reply(`🙏 ${mention(me)} thanked ${names} for ${esc(parsed.reason)}${value}`, { public: true });

    const repeats = rows.filter((r) => r.nth > 1).map((r) => `your ${ordinal(r.nth)} thanks to ${mention(r.recipientId)} this month counts ${oneIn(r.nth)}`);
    const note = repeats.length ? ` ${capitalise(repeats.join("; "))} (spreading thanks around counts more).` : "";
    const how = args.public ? `Thanks sent to ${names} and posted here.` : `Thanks sent privately to ${names}.${ctx.event.room.kind === "dm" ? "" : " (Add --public to post it here.)"}`;
    ctx.reply(`${how}${note} You have ${left - recipients.length} of ${allowance} left for ${month.label}.`);
  },
});

