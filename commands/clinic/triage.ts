// Working on a claimed enquiry: `triage` (category, urgency, region, then
// suggested advisers), internal `note`s, a `reply` to the enquirer, and
// `enquiry` to read one in full (only for those allowed to).
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { addNote, getEnquiry, refOf, setTriage, type Enquiry } from "../../db/clinic.ts";
import { liveHandoff, touchHandoff } from "../../db/clinic-network.ts";
import { CATEGORIES, TRIAGERS, URGENCIES, advisesOn, canRead, dmText, findEnquiry, isTriager, onTeam, refArg, replyPrivately, requireHolder, textKey, toAsker } from "./access.ts";
import { quote } from "./intake.ts";
import { suggestionMessage } from "./suggest.ts";
import { contactLine, enquiryView, erasedView } from "./view.ts";

const MAX_NOTE = 2000;

/** A note, reply or outcome typed in a room everyone reads is taken out of it once it is recorded. */

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
  summary: "Add an internal note to an enquiry (seen only by the clinic team on it)",
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
    addNote(ctx.db, { enquiryId: e.id, authorId: ctx.actor.memberId, kind: "note", text, now: ctx.now });
    if (adviser && handoff.state === "accepted") touchHandoff(ctx.db, handoff.id, ctx.now);
    if (adviser && e.claimedBy !== null) dmText(ctx, e.claimedBy, e.id, `📝 ${mention(ctx.actor.memberId)} on *${ref}*:\n${quote(text)}`);
    ctx.reply(`Noted on ${ref}.`);
  },
});

export const reply = defineCommand({
  name: "reply",
  summary: "Send a message to the person who made an enquiry",
  description: "A chat enquirer gets it as a direct message on the platform they asked on. Website enquirers are contacted by email, which I can't send: I record that you will, and show you their contact details.",
  examples: ["reply CL-0042 thanks for getting in touch, could you tell us how many members you have?"],
  args: z.object({ ref: refArg, text: z.string().optional().describe("your message") }),
  positional: ["ref", "text..."],
  freeText: true,
  allow: [...TRIAGERS, "adviser"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const adviser = isItsAdviser(ctx, e);
    if (!adviser) requireHolder(ctx, e, "reply to the enquirer");
    notErased(ctx, e);
    const text = requireText(ctx, args.text, "reply", `reply ${ref} could you tell us how many members you have?`);
    const me = ctx.actor.memberId;
    if (adviser) touchHandoff(ctx.db, liveHandoff(ctx.db, e.id)!.id, ctx.now);
    if (e.source === "website") {
      addNote(ctx.db, { enquiryId: e.id, authorId: me, kind: "contact", text, now: ctx.now });
      return replyPrivately(ctx, `I can't send email, so please write to the enquirer of *${ref}* yourself; I've noted that you will.\n${contactLine(e)}\nYour message:\n${quote(text)}`, textKey(e.id));
    }
    addNote(ctx.db, { enquiryId: e.id, authorId: me, kind: "reply", text, now: ctx.now });
    toAsker(ctx, e, { text: `💬 *Co-op Clinic, about ${ref}* — from ${mention(me)}:\n${quote(text)}\nYou can answer ${mention(me)} directly.`, key: textKey(e.id) });
    ctx.reply(`Sent to ${mention(e.askerId!)}.`);
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
