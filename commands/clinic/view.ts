// The full view of an enquiry, for the people allowed to read it: its text,
// where it stands, and (for the clinic team) the contact details and notes.
import type { BaseContext } from "../../bot/context.ts";
import { esc, mention } from "../../bot/markup.ts";
import { messagesOf } from "../../db/clinic-conversation.ts";
import { notesOf, refOf, type ClinicNote, type Enquiry } from "../../db/clinic.ts";
import { handoffsOf } from "../../db/clinic-network.ts";
import { describeSource, when } from "./access.ts";
import { quote } from "./intake.ts";

export function statusLine(e: Enquiry): string {
  switch (e.state) {
    case "open":
      return "waiting for a triager";
    case "claimed":
      return `with triager ${mention(e.claimedBy!)}`;
    case "with-adviser":
      return `with adviser ${mention(e.adviserId!)} (triager ${mention(e.claimedBy!)})`;
    default:
      return "closed";
  }
}

function triageLine(e: Enquiry): string {
  const parts = [`category ${e.category ?? "not set"}`, `urgency ${e.urgency ?? "not set"}`, `region ${e.region ? esc(e.region) : "not set"}`];
  const consent = e.consentAt ? `consent to share: yes (${esc(e.consentHow ?? "")})` : e.consentWithdrawnAt ? "consent to share: withdrawn" : "consent to share: not yet";
  return `${parts.join(" · ")} · ${consent}`;
}

export function contactLine(e: Enquiry): string {
  const coop = e.contactCoop ? `, ${esc(e.contactCoop)}` : "";
  return `Contact: ${esc(e.contactName ?? "?")} <${esc(e.contactEmail ?? "?")}>${coop}`;
}

/**
 * What anyone sees of an erased enquiry: that it was made, how, when, and
 * when it was erased. Never who asked, nor a word of it.
 */
export function erasedView(ctx: BaseContext, e: Enquiry): string {
  const about = e.category ? `an enquiry about ${e.category}` : "an enquiry";
  return `*${refOf(e.id)}* · ${describeSource(e)} · received ${when(ctx, e.createdAt)} · closed\nErased on ${when(ctx, e.erasedAt!)} at the enquirer's request: the clinic keeps only that ${about} was made, not who asked or what was written.`;
}

/** `team`: the clinic's own view (notes, handoffs, contact details); otherwise what the enquirer sees. */
export function enquiryView(ctx: BaseContext, e: Enquiry, opts: { team: boolean; lead?: string }): string {
  if (e.erasedAt !== null) return erasedView(ctx, e);
  const ref = refOf(e.id);
  const from = e.askerId !== null ? ` from ${mention(e.askerId)}` : e.contactName ? ` from ${esc(e.contactName)}` : "";
  const lines = [`${opts.lead ? `${opts.lead} ` : ""}*${ref}* · ${describeSource(e)}${from} · received ${when(ctx, e.createdAt)} · ${statusLine(e)}`];
  if (e.categoryHint) lines.push(`Their category hint: ${esc(e.categoryHint)}`);
  lines.push(quote(e.text ?? ""));
  if (!opts.team) return [...lines, ...conversation(ctx, e, { team: false })].join("\n");
  lines.push(triageLine(e));
  if (e.source === "website") lines.push(contactLine(e));
  const notes = notesOf(ctx.db, e.id);
  lines.push(...conversation(ctx, e, { team: true, notes }));
  const internal = notes.filter((n) => n.kind === "note");
  if (internal.length > 0) {
    lines.push("🔒 Internal notes (never sent to the enquirer):");
    for (const n of internal) lines.push(`• ${when(ctx, n.createdAt)} ${mention(n.authorId)}: ${esc(n.text ?? "")}`);
  }
  for (const h of handoffsOf(ctx.db, e.id)) {
    const why = h.declineReason ? `: ${esc(h.declineReason)}` : "";
    lines.push(`Handoff to ${mention(h.adviserId)}: ${h.state}${why} (${when(ctx, h.decidedAt ?? h.offeredAt)})`);
  }
  if (e.outcome) lines.push(`Outcome: ${esc(e.outcome)}`);
  return lines.join("\n");
}

/** How a website enquirer's side is named: the name they gave. */
const enquirerOf = (e: Enquiry) => (e.askerId !== null ? mention(e.askerId) : esc(e.contactName ?? "the enquirer"));
const VIA: Record<string, string> = { chat: "", email: " (by email)", page: " (on their page)" };

/**
 * The conversation, oldest first, marked by direction: 📨 from the
 * enquirer, 💬 from the clinic. The team also sees replies recorded as
 * notes before conversations were kept apart, and messages a triager was
 * to email by hand (no email set up).
 */
function conversation(ctx: BaseContext, e: Enquiry, opts: { team: boolean; notes?: ClinicNote[] }): string[] {
  const items = messagesOf(ctx.db, e.id).map((m) => {
    const who = m.direction === "in" ? `📨 ${opts.team ? enquirerOf(e) : "you"}${opts.team && m.via === "page" ? VIA.page : ""}` : `💬 ${m.authorId !== null ? mention(m.authorId) : "the clinic"}${opts.team ? VIA[m.via] ?? "" : ""}`;
    return { at: m.createdAt, line: `• ${when(ctx, m.createdAt)} ${who}: ${esc(m.text ?? "")}` };
  });
  for (const n of opts.notes ?? []) {
    if (n.kind === "reply") items.push({ at: n.createdAt, line: `• ${when(ctx, n.createdAt)} 💬 ${mention(n.authorId)}: ${esc(n.text ?? "")}` });
    if (n.kind === "contact") items.push({ at: n.createdAt, line: `• ${when(ctx, n.createdAt)} 💬 ${mention(n.authorId)} (to email by hand): ${esc(n.text ?? "")}` });
  }
  if (items.length === 0) return [];
  return ["Conversation:", ...items.sort((a, b) => a.at - b.at).map((i) => i.line)];
}
