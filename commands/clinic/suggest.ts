// Which advisers suit an enquiry: the right specialism and region, room in
// their capacity (open handoffs < capacity), not away, not already asked;
// least-loaded first.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, Message } from "../../bot/context.ts";
import type { Button, Platform } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { refOf, type Enquiry } from "../../db/clinic.ts";
import { activeAdvisers, handoffsOf, liveHandoffCounts, type Adviser } from "../../db/clinic-network.ts";
import { TRIAGERS, day, findEnquiry, handleFor, refArg } from "./access.ts";

export interface Suggestion {
  adviser: Adviser;
  load: number;
}

export const specialismsOf = (a: Pick<Adviser, "specialisms">) => a.specialisms.split(",").filter(Boolean);
export const covers = (a: Pick<Adviser, "region">, region: string | null) => !region || !a.region || a.region === region.toLowerCase();
export const isAway = (ctx: BaseContext, a: Pick<Adviser, "awayUntil">) => a.awayUntil !== null && a.awayUntil > ctx.now;

/** Matching advisers with room, least-loaded first (then most spare capacity, then name). */
export function suggestAdvisers(ctx: BaseContext, e: Enquiry): Suggestion[] {
  if (!e.category) return [];
  const loads = liveHandoffCounts(ctx.db);
  const asked = new Set(handoffsOf(ctx.db, e.id).map((h) => h.adviserId));
  return activeAdvisers(ctx.db)
    .map((adviser) => ({ adviser, load: loads.get(adviser.memberId) ?? 0 }))
    .filter(({ adviser, load }) => specialismsOf(adviser).includes(e.category!) && covers(adviser, e.region) && load < adviser.capacity && !isAway(ctx, adviser))
    .filter(({ adviser }) => adviser.memberId !== e.askerId && !asked.has(adviser.memberId))
    .sort((a, b) => a.load - b.load || b.adviser.capacity - b.load - (a.adviser.capacity - a.load) || a.adviser.displayName.localeCompare(b.adviser.displayName));
}

export function describeAdviser(ctx: BaseContext, a: Adviser, load: number): string {
  const away = isAway(ctx, a) ? ` · away until ${day(ctx, a.awayUntil!)}` : "";
  return `${mention(a.memberId)} — ${specialismsOf(a).join(", ")} · ${a.region ? esc(a.region) : "anywhere"} · ${load}/${a.capacity} open${away}`;
}

/** Why nobody matched, so the triager knows what to change. */
function nobody(ctx: BaseContext, e: Enquiry): string {
  const loads = liveHandoffCounts(ctx.db);
  const bySpecialism = activeAdvisers(ctx.db).filter((a) => specialismsOf(a).includes(e.category!));
  const inRegion = bySpecialism.filter((a) => covers(a, e.region));
  const free = inRegion.filter((a) => (loads.get(a.memberId) ?? 0) < a.capacity && !isAway(ctx, a));
  const where = e.region ? ` in ${esc(e.region)}` : "";
  return `No adviser is free for ${e.category}${where} right now: ${bySpecialism.length} cover ${e.category}, ${inRegion.length} of them${where || " anywhere"}, ${free.length} of those with room and not away (or already asked). ${cmd(`advisers ${e.category}`)} lists them.`;
}

/** The suggestions as a message for a triager reading on `platform`, with a button per adviser. */
export function suggestionMessage(ctx: BaseContext, e: Enquiry, platform: Platform, heading?: string): Message {
  const ref = refOf(e.id);
  const list = suggestAdvisers(ctx, e);
  const title = heading ?? `*Advisers for ${ref}* (${e.category}${e.region ? `, ${esc(e.region)}` : ""}), least busy first:`;
  if (list.length === 0) return `${heading ? `${heading}\n` : ""}${nobody(ctx, e)}`;
  const lines = [title, ...list.slice(0, 5).map((s, i) => `${i + 1}. ${describeAdviser(ctx, s.adviser, s.load)}`)];
  if (!e.consentAt) lines.push(`⚠️ The enquirer hasn't agreed to share it with an adviser yet (${cmd(`consent ${ref}`)}); a handoff waits for that.`);
  lines.push(`${cmd(`handoff ${ref} @adviser <note>`)} offers it.`);
  const buttons: Button[] = list.slice(0, 3).map((s) => ({ label: `Hand off to ${s.adviser.displayName}`, command: `handoff ${ref} ${handleFor(ctx, s.adviser.memberId, platform)}` }));
  return { text: lines.join("\n"), buttons };
}

export const suggest = defineCommand({
  name: "suggest",
  summary: "Suggest advisers for a categorised enquiry (specialism, region, capacity, least busy first)",
  examples: ["suggest CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: TRIAGERS,
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    if (!e.category) return ctx.fail(`${ref} has no category yet: ${cmd(`triage ${ref} --category <category>`)} first.`);
    if (e.state === "with-adviser" || e.state === "resolved") return ctx.fail(`${ref} is already ${e.state === "resolved" ? "closed" : `with ${mention(e.adviserId!)}`}.`);
    ctx.reply(suggestionMessage(ctx, e, ctx.event.platform));
  },
});
