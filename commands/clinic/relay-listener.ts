// Lines typed to the bot that are not commands, at either end of a
// conversation:
// - in a DM, from someone with one open enquiry: a message to the clinic
//   about it (with several, they are asked to say which, with `reply`);
// - in an enquiry's thread in the triage room (on Slack `@coopbot …`, on
//   Matrix `!coop …`: addressed, so talk among the team in the thread stays
//   among the team), from its claimer or its adviser: a message to the
//   enquirer.
// Anything else gets the same answer as any line that isn't a command.
import type { ListenerSpec } from "../../bot/capability.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { unknownCommandReply as usualAnswer } from "../../bot/command-stages.ts";
import { tokenize } from "../../bot/grammar.ts";
import { openEnquiriesAskedBy, recentlyClosedAskedBy } from "../../db/clinic-conversation.ts";
import { enquiryOfCard } from "../../db/clinic-outbox.ts";
import { getEnquiry, refOf, type Enquiry } from "../../db/clinic.ts";
import { advisesOn, isLead, isTriager } from "./access.ts";
import { clinicSettings } from "./config.ts";
import { requireText } from "./triage.ts";
import { followEnquirer, relayFromEnquirer, relayToEnquirer, requireLive } from "./relay.ts";

/** The router's answer to a line that isn't a command. */
const unknownCommandReply = (ctx: CommandContext) => usualAnswer(ctx, ctx.services.registry, tokenize(ctx.event.text));

/** A message that closed a conversation this recently is most likely a late word on it. */
const RECENTLY = 30 * 24 * 3600_000;

function fromDm(ctx: CommandContext) {
  const me = ctx.actor.memberId;
  const open = openEnquiriesAskedBy(ctx.db, me);
  if (open.length === 1) {
    const e = open[0]!;
    followEnquirer(ctx, open);
    if (relayFromEnquirer(ctx, e, ctx.event.text, { via: "chat", memberId: me })) ctx.reply(`✉️ Passed on to the clinic, with your enquiry *${refOf(e.id)}*.`);
    else ctx.reply(`You sent exactly that a moment ago; I passed it on then.`);
    return;
  }
  if (open.length > 1) {
    const refs = open.map((e) => refOf(e.id));
    return ctx.reply(`You have ${open.length} enquiries open with the clinic (${refs.join(", ")}), so I haven't passed that on: say which it is about with ${cmd(`reply ${refs.at(-1)} <your message>`)}.`);
  }
  const closed = recentlyClosedAskedBy(ctx.db, me, ctx.now - RECENTLY).at(-1);
  if (closed) return ctx.reply(`Your clinic enquiry *${refOf(closed.id)}* is closed, so I haven't passed that on. ${cmd("clinic ask <question>")} starts a new one.`);
  ctx.reply(unknownCommandReply(ctx));
}

/** The enquiry whose card this thread hangs from, if the thread is in the triage room and hangs from one. */
function threadEnquiry(ctx: CommandContext): Enquiry | undefined {
  const room = clinicSettings(ctx.config).triageRoom;
  const { event } = ctx;
  if (!room || room.platform !== event.platform || room.id !== event.room.id) return undefined;
  const id = enquiryOfCard(ctx.db, event.platform, event.threadRef ?? event.thread ?? "");
  return id === undefined ? undefined : getEnquiry(ctx.db, id);
}

function fromThread(ctx: CommandContext) {
  const e = threadEnquiry(ctx);
  if (!e) return ctx.reply(unknownCommandReply(ctx));
  const ref = refOf(e.id);
  requireLive(ctx, e);
  const holds = e.claimedBy === ctx.actor.memberId && isTriager(ctx);
  const adviser = e.state === "with-adviser" && advisesOn(ctx, e);
  if (!holds && !adviser && !isLead(ctx)) {
    const who = e.claimedBy !== null ? `${mention(e.claimedBy)}, who holds ${ref},` : `the triager who claims ${ref}`;
    return ctx.fail(`Only ${who} or its adviser writes to the enquirer from here, so I haven't sent that. ${cmd(`note ${ref} <text>`)} adds an internal note.`);
  }
  const text = requireText(ctx, ctx.event.text, "message", `reply ${ref} <message>`);
  const via = relayToEnquirer(ctx, e, text, { inThread: true });
  if (!via) return ctx.fail(`${ref} came from the website and email isn't set up here, so I can't send that: ${cmd(`reply ${ref} <message>`)} shows you their contact details.`);
  ctx.reply(via === "email" ? `✉️ Emailed to the enquirer of ${ref}.` : `✉️ Sent to the enquirer of ${ref}.`);
}

/** A DM from someone with an enquiry open or lately closed, or a line in an enquiry's thread: anything else is left to other listeners (the welcome tour). */
function claims(ctx: CommandContext): boolean {
  if (ctx.event.room.kind !== "dm") return threadEnquiry(ctx) !== undefined;
  const me = ctx.actor.memberId;
  return openEnquiriesAskedBy(ctx.db, me).length > 0 || recentlyClosedAskedBy(ctx.db, me, ctx.now - RECENTLY).length > 0;
}

export const relayListener: ListenerSpec = {
  name: "clinic-relay",
  matches: (event) => event.addressed && !event.button && (event.room.kind === "dm" || event.thread !== undefined),
  claims,
  run(ctx) {
    // A bare mention, an empty DM: a greeting, as for any empty line.
    if (!ctx.event.text.trim()) return ctx.reply(unknownCommandReply(ctx));
    if (ctx.event.room.kind === "dm") return fromDm(ctx);
    fromThread(ctx);
  },
};
