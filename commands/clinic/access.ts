// Who may see and do what with an enquiry, and where its text may go.
// The rule: an enquiry's text (and anything personal about it) is sent only
// in direct messages or replies in a private room, never in a room everyone
// can read, not even as an ephemeral reply there.
import { DateTime } from "luxon";
import { z } from "zod";
import type { BaseContext, CommandContext, Message } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { getEnquiry, parseRef, refOf, type Enquiry } from "../../db/clinic.ts";
import { getHandoff, liveHandoff } from "../../db/clinic-network.ts";
import { getMember, identitiesOf } from "../../db/members.ts";

export const CATEGORIES = ["legal", "governance", "finance", "conversion", "start-up", "hr", "tech", "other"] as const;
export const URGENCIES = ["low", "normal", "high"] as const;
export type Category = (typeof CATEGORIES)[number];

/** Roles that work the queue. A triage lead is a triager who can also reassign and manage advisers. */
export const TRIAGERS = ["triager", "triage-lead"] as const;
export const LEADS = ["triage-lead", "admin"] as const;

export const refArg = z.string().describe("the enquiry's reference, e.g. CL-0042");

/** Every message that carries an enquiry's text or the enquirer's details is posted under this key, so erasing can edit them all away. */
export const textKey = (id: number) => `clinic:text:${id}`;
export const cardKey = (e: Pick<Enquiry, "id" | "round">) => `clinic:card:${e.id}:${e.round}`;
export const offerKey = (handoffId: number) => `clinic:offer:${handoffId}`;

/**
 * Posts under an enquiry's text key or an offer of it are kept past the
 * pruning age until the enquiry is erased: erasing must still find them to
 * edit every copy away (the enquiry keeps its text until then anyway). Its
 * cards are kept while it is open.
 */
export function keepsClinicMessage(ctx: BaseContext, key: string): boolean {
  // A card is the root of its enquiry's thread in the triage room (relay.ts): kept while the conversation is live.
  const card = /^clinic:card:(\d+):\d+$/.exec(key);
  if (card) {
    const e = getEnquiry(ctx.db, Number(card[1]));
    return e !== undefined && e.state !== "resolved" && e.erasedAt === null;
  }
  const text = /^clinic:text:(\d+)$/.exec(key);
  const offer = /^clinic:offer:(\d+)$/.exec(key);
  const enquiryId = text ? Number(text[1]) : offer ? getHandoff(ctx.db, Number(offer[1]))?.enquiryId : undefined;
  if (enquiryId === undefined) return false;
  return getEnquiry(ctx.db, enquiryId)?.erasedAt === null;
}

export const isTriager = (ctx: CommandContext) => TRIAGERS.some((r) => ctx.hasRole(r));
export const isLead = (ctx: CommandContext) => ctx.hasRole("triage-lead") || ctx.isAdmin;

/** The enquiry a typed reference names, or a refusal saying what was wrong. */
export function findEnquiry(ctx: BaseContext, text: string): Enquiry {
  const id = parseRef(text);
  if (id === undefined) return ctx.fail(`\`${esc(text)}\` isn't a clinic reference; they look like CL-0042.`);
  const enquiry = getEnquiry(ctx.db, id);
  if (!enquiry) return ctx.fail(`There's no enquiry ${refOf(id)}.`);
  return enquiry;
}

/**
 * The adviser it is offered to or with, while they are still an adviser:
 * access follows the role held now, not the one held when it was offered.
 */
export function advisesOn(ctx: CommandContext, enquiry: Enquiry): boolean {
  if (!ctx.hasRole("adviser")) return false;
  const me = ctx.actor.memberId;
  return (enquiry.state === "with-adviser" && enquiry.adviserId === me) || liveHandoff(ctx.db, enquiry.id)?.adviserId === me;
}

/** The clinic team on an enquiry, as they stand now: triagers (who hold a triage role today) and its adviser. */
export function onTeam(ctx: CommandContext, enquiry: Enquiry): boolean {
  return isTriager(ctx) || advisesOn(ctx, enquiry);
}

/** The clinic team on it, and the person who asked. A claim kept after losing the triager role gives no access. */
export function canRead(ctx: CommandContext, enquiry: Enquiry): boolean {
  return enquiry.askerId === ctx.actor.memberId || onTeam(ctx, enquiry);
}

/** Refuses unless the asker holds the enquiry as a triager today (or leads the triage team). */
export function requireHolder(ctx: CommandContext, enquiry: Enquiry, doing: string): void {
  if ((enquiry.claimedBy === ctx.actor.memberId && isTriager(ctx)) || isLead(ctx)) return;
  const ref = refOf(enquiry.id);
  if (enquiry.claimedBy === null) ctx.fail(`${ref} isn't claimed yet: ${cmd(`claim ${ref}`)} it first, then ${doing}.`);
  ctx.fail(`${ref} is claimed by ${mention(enquiry.claimedBy!)}; only they (or a triage lead) can ${doing}.`);
}

/**
 * Answers with something private: in a DM or a private room as a reply;
 * from a public room by direct message, with a pointer in the room.
 */
export function replyPrivately(ctx: CommandContext, message: Message, key?: string): void {
  const msg = typeof message === "string" ? { text: message } : message;
  const keyed = key ? { ...msg, key } : msg;
  if (ctx.event.room.kind !== "public") {
    ctx.reply(keyed);
    return;
  }
  ctx.toMember(ctx.actor.memberId, keyed);
  ctx.reply("I've sent you that in a direct message, to keep it out of this room.");
}

/** A text-bearing direct message to a member, posted under the enquiry's text key. */
export function dmText(ctx: BaseContext, memberId: number, enquiryId: number, message: Message): void {
  const msg = typeof message === "string" ? { text: message } : message;
  ctx.toMember(memberId, { ...msg, key: textKey(enquiryId) });
}

/** A direct message to the person who asked in chat, on the platform they asked on. */
export function toAsker(ctx: BaseContext, enquiry: Enquiry, message: Message): boolean {
  if (enquiry.askerId === null) return false;
  const identity = identitiesOf(ctx.db, enquiry.askerId).find((i) => i.platform === enquiry.askerPlatform);
  const msg = typeof message === "string" ? { text: message } : message;
  if (!identity) return ctx.toMember(enquiry.askerId, msg) !== undefined;
  ctx.post({ kind: "member", platform: identity.platform as Platform, platformId: identity.platformId, memberId: enquiry.askerId }, msg);
  return true;
}

/** How a member is written inside a button's command for a reader on `platform` (`@bea`, `@U0123`). */
export function handleFor(ctx: BaseContext, memberId: number, platform: Platform): string {
  const identity = identitiesOf(ctx.db, memberId).find((i) => i.platform === platform);
  return `@${identity?.platformId ?? getMember(ctx.db, memberId)?.displayName ?? memberId}`;
}

/** The platform a direct message to this member would go to (as BaseContext.toMember picks it). */
export function dmPlatform(ctx: BaseContext, memberId: number): Platform {
  const ids = identitiesOf(ctx.db, memberId);
  const member = getMember(ctx.db, memberId);
  const pick = ids.find((i) => i.platform === ctx.originPlatform) ?? ids.find((i) => i.platform === member?.preferredPlatform) ?? ids[0];
  return (pick?.platform ?? ctx.originPlatform ?? "console") as Platform;
}

export function when(ctx: BaseContext, ms: number): string {
  return DateTime.fromMillis(ms, { zone: ctx.config.timezone }).toFormat("ccc d LLL HH:mm");
}

/** A day, no time: `Tue 1 Sep`. */
export function day(ctx: BaseContext, ms: number): string {
  return DateTime.fromMillis(ms, { zone: ctx.config.timezone }).toFormat("ccc d LLL");
}

/** `45m`, `3h`, `2d`: how long something has waited, roughly. */
export function age(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h`;
  return `${Math.floor(minutes / 1440)}d`;
}

export function describeSource(enquiry: Enquiry): string {
  return enquiry.source === "website" ? "via the website" : "via chat";
}
