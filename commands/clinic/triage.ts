// Working on a claimed enquiry: `triage` (category, urgency, region, then
// suggested advisers), internal `note`s, `reply` (either way in its
// conversation, see relay.ts), and `enquiry` to read one in full (only for
// those allowed to).
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { addNote, getEnquiry, refOf, setTriage, type Enquiry } from "../../db/clinic.ts";
import { liveHandoff, touchHandoff } from "../../db/clinic-network.ts";
import { CATEGORIES, TRIAGERS, URGENCIES, advisesOn, canRead, findEnquiry, isLead, isTriager, onTeam, refArg, replyPrivately, requireHolder, textKey } from "./access.ts";
import { quote } from "./intake.ts";
import { followEnquirer, relayFromEnquirer, relayToEnquirer, requireLive, toClinicSide } from "./relay.ts";
import { suggestionMessage } from "./suggest.ts";
import { contactLine, enquiryView, erasedView } from "./view.ts";

const MAX_NOTE = 2000;

/** Checks the text a note, reply or outcome carries. */
export function requireText(ctx: CommandContext, text: string | undefined, what: string, example: string): string {
  const trimmed = (text ?? "").trim();
  if (!trimmed) ctx.fail(`Say what the ${what} is, e.g. ${cmd(example)}.`);
  if (trimmed.length > MAX_NOTE) ctx.fail(`That ${what} is ${trimmed.length} characters long; keep it under ${MAX_NOTE}.`);
  return trimmed;
}

const notErased = (ctx: CommandContext, e: Enquiry) => {
  if (e.erasedAt !== null) ctx.fail(`${refOf(e.id)} was erased at the enquirer's request.`);
};

/** The accepted adviser of an enquiry, if that is who is asking (and they are still an adviser). */
const isItsAdviser = (ctx: CommandContext, e: Enquiry) => e.state === "with-adviser" && advisesOn(ctx, e);

export const triage = defineCommand({
  name: "triage",
  summary: "Categorise a claimed enquiry (category, urgency, region) and see matching advisers",
  examples: ["triage CL-0042 --category finance --urgency high --region scotland", "triage CL-0042 --region anywhere"],
  args: z.object({
    ref: refArg,
    category: z.enum(CATEGORIES).optional().describe("what it is about"),
    urgency: z.enum(URGENCIES).optional().describe("how soon they need help"),
    region: z.string().min(1).max(60).optional().describe("where the enquirer is; `anywhere` if it doesn't matter"),
  }),
  positional: ["ref"],
  allow: TRIAGERS,
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    requireHolder(ctx, e, "triage it");
    if (e.state === "resolved") return ctx.fail(`${ref} is closed.`);
    if (!args.category && !args.urgency && !args.region) return ctx.fail(`Give at least one of --category, --urgency or --region.`, { showUsage: true });
    const region = args.region === undefined ? undefined : /^(anywhere|none|-)$/i.test(args.region) ? null : args.region.trim().toLowerCase();
    setTriage(ctx.db, e.id, { category: args.category, urgency: args.urgency, region });
    const updated = getEnquiry(ctx.db, e.id)!;
    const summary = `${ref}: category ${updated.category ?? "not set"} · urgency ${updated.urgency ?? "not set"} · region ${updated.region ? esc(updated.region) : "anywhere"}.`;
    if (!updated.category || updated.state !== "claimed" || liveHandoff(ctx.db, e.id)) return ctx.reply(summary);
    const suggestions = suggestionMessage(ctx, updated, ctx.event.platform);
    ctx.reply(typeof suggestions === "string" ? `${summary}\n${suggestions}` : { ...suggestions, text: `${summary}\n${suggestions.text}` });
  },
});

export const note = defineCommand({
  name: "note",
  summary: "Add an internal note to an enquiry (seen only by the clinic team on it, never by the enquirer)",
  description: "It goes on the enquiry's record and into its thread in the triage room (and to its adviser), marked 🔒 internal.",
  examples: ["note CL-0042 called them: they have 6 members and a draft business plan"],
  args: z.object({ ref: refArg, text: z.string().optional().describe("the note") }),
  positional: ["ref", "text..."],
  freeText: true,
  allow: [...TRIAGERS, "adviser"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const handoff = liveHandoff(ctx.db, e.id);
    const adviser = handoff !== undefined && advisesOn(ctx, e);
    if (!isTriager(ctx) && !adviser) return ctx.fail(`Only the clinic team working on ${ref} can add notes to it.`);
    notErased(ctx, e);
    const text = requireText(ctx, args.text, "note", `note ${ref} called them, they'll send their rules`);
    const me = ctx.actor.memberId;
    addNote(ctx.db, { enquiryId: e.id, authorId: me, kind: "note", text, now: ctx.now });
    if (adviser && handoff.state === "accepted") touchHandoff(ctx.db, handoff.id, ctx.now);
    const heads = e.claimedBy !== null && e.claimedBy !== me ? ` for ${mention(e.claimedBy)}` : "";
    toClinicSide(ctx, e, `🔒 *${ref}* · internal note by ${mention(me)}${heads} (not sent to the enquirer):\n${quote(text)}`, { except: me });
    ctx.reply(`Noted on ${ref} (internal: the enquirer doesn't see notes).`);
  },
});

/** The person who asked writes to the clinic about it (the same as writing in their DM when it is their only open one). */
function fromAsker(ctx: CommandContext, e: Enquiry, text: string | undefined): void {
  const ref = refOf(e.id);
  followEnquirer(ctx, [e]);
  if (!relayFromEnquirer(ctx, e, text ?? "", { via: "chat", memberId: ctx.actor.memberId })) return void ctx.reply("You sent exactly that a moment ago; I passed it on then.");
  replyPrivately(ctx, `✉️ Passed on to the clinic, with your enquiry *${ref}*.`);
}

export const reply = defineCommand({
  name: "reply",
  summary: "Write in an enquiry's conversation: to the enquirer (its triager or adviser), or to the clinic (the person who asked)",
  description:
    "From the clinic: a chat enquirer gets it as a direct message, on the platform they last wrote from; a website enquirer by email, with a private link to a page where they can read the conversation and answer. From the person who asked: it goes to the clinic team working on it (in your DM with me you can also just write, while you have one enquiry open).",
  examples: ["reply CL-0042 thanks for getting in touch, could you tell us how many members you have?", "reply CL-0042 we have six members and a draft business plan"],
  args: z.object({ ref: refArg, text: z.string().optional().describe("your message") }),
  positional: ["ref", "text..."],
  freeText: true,
  allow: "everyone",
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    notErased(ctx, e);
    // Closed for everyone alike: the enquirer, and the adviser whose handoff closed with it.
    requireLive(ctx, e);
    if (e.askerId === ctx.actor.memberId) return fromAsker(ctx, e, args.text);
    const adviser = isItsAdviser(ctx, e);
    if (!adviser && !isTriager(ctx) && !isLead(ctx)) return ctx.fail(`Only the clinic team working on ${ref} and the person who asked it can write in its conversation.`);
    if (!adviser) requireHolder(ctx, e, "reply to the enquirer");
    const text = requireText(ctx, args.text, "reply", `reply ${ref} could you tell us how many members you have?`);
    if (adviser) touchHandoff(ctx.db, liveHandoff(ctx.db, e.id)!.id, ctx.now);
    const via = relayToEnquirer(ctx, e, text);
    if (via === "chat") return ctx.reply(`Sent to ${mention(e.askerId!)}.`);
    if (via === "email") return ctx.reply(`✉️ Emailed to the enquirer of ${ref}, with a link to answer on their page.`);
    // A website enquiry and no email here: the claimer writes to them, and the record says so.
    addNote(ctx.db, { enquiryId: e.id, authorId: ctx.actor.memberId, kind: "contact", text, now: ctx.now });
    replyPrivately(ctx, `I can't send email, so please write to the enquirer of *${ref}* yourself; I've noted that you will.\n${contactLine(e)}\nYour message:\n${quote(text)}`, textKey(e.id));
  },
});

export const enquiry = defineCommand({
  name: "enquiry",
  summary: "Read a clinic enquiry in full (the clinic team on it, and the person who asked)",
  examples: ["enquiry CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: "everyone",
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    // Nothing personal is left of an erased one, and nobody is known to have asked it: anyone may see that.
    if (e.erasedAt !== null) return ctx.reply(erasedView(ctx, e));
    if (!canRead(ctx, e)) return ctx.fail(`${refOf(e.id)} is visible only to the clinic team working on it and the person who asked.`);
    // The person who asked sees their question and where it stands, not the team's notes.
    replyPrivately(ctx, enquiryView(ctx, e, { team: onTeam(ctx, e) }), textKey(e.id));
  },
});
