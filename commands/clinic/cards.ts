// The triage card (reference, source, category hint, age and a Claim
// button; never the text) and the escalations of an unclaimed enquiry:
// the triage room after 4 business hours, the triage leads after 24.
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext, Message } from "../../bot/context.ts";
import type { Button } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { getEnquiry, refOf, type Enquiry } from "../../db/clinic.ts";
import { holdersOf } from "../../db/roles.ts";
import { TRIAGERS, age, cardKey, describeSource, when } from "./access.ts";
import { addBusinessTime, businessTimeBetween } from "./business-hours.ts";
import { clinicSettings } from "./config.ts";

const escalationPrefix = (id: number) => `clinic:escalate:${id}:`;

function cardText(ctx: BaseContext, e: Enquiry, lead: string): string {
  const hint = e.categoryHint ? `hint: ${esc(e.categoryHint)}` : "no category hint";
  const urgency = e.urgency === "high" ? " · ❗ urgent" : "";
  const ago = ctx.now - e.createdAt >= 60_000 ? ` (${age(ctx.now - e.createdAt)} ago)` : "";
  return `${lead} *${refOf(e.id)}* · ${describeSource(e)} · ${hint}${urgency} · received ${when(ctx, e.createdAt)}${ago}`;
}

const claimButton = (e: Enquiry): Button[] => [{ label: "Claim", command: `claim ${refOf(e.id)}`, style: "primary" }];

/** Members who triage (triagers and triage leads), once each. */
export function triagerIds(ctx: BaseContext): number[] {
  return [...new Set(TRIAGERS.flatMap((role) => holdersOf(ctx.db, role).map((h) => h.memberId)))];
}

/** Posts to the triage room, or to each triager directly when there is no room; admins hear if nobody would. */
export function toTriage(ctx: BaseContext, message: Message): void {
  const room = clinicSettings(ctx.config).triageRoom;
  if (room) {
    ctx.toRoom(room, message);
    return;
  }
  const triagers = triagerIds(ctx);
  for (const id of triagers) ctx.toMember(id, message);
  if (triagers.length === 0) {
    for (const admin of holdersOf(ctx.db, "admin")) {
      ctx.toMember(admin.memberId, `A clinic enquiry is waiting, but there is no triage room and nobody holds the triager role. ${cmd("role grant @someone triager")} names one.`);
    }
  }
}

/** The card for a new (or released) enquiry, and the escalations that follow it if nobody claims it. */
export function announce(ctx: BaseContext, e: Enquiry, lead = "📥 New enquiry"): void {
  toTriage(ctx, { text: `${cardText(ctx, e, lead)}\n${cmd(`claim ${refOf(e.id)}`)} takes it on.`, buttons: claimButton(e), key: cardKey(e) });
  const { hours, roomAfterMs, leadsAfterMs } = clinicSettings(ctx.config);
  const payload: Waiting = { enquiryId: e.id, round: e.round, since: ctx.now };
  ctx.schedule({ kind: "clinic.escalate-room", key: `${escalationPrefix(e.id)}r${e.round}:room`, dueAt: addBusinessTime(ctx.now, roomAfterMs, hours), payload });
  ctx.schedule({ kind: "clinic.escalate-leads", key: `${escalationPrefix(e.id)}r${e.round}:leads`, dueAt: addBusinessTime(ctx.now, leadsAfterMs, hours), payload });
}

/** Claimed (or reassigned): no more escalations, and the card's button goes. */
export function settleCard(ctx: BaseContext, e: Enquiry, outcome: string): void {
  ctx.cancelJobs(escalationPrefix(e.id));
  ctx.update(cardKey(e), `*${refOf(e.id)}* · ${describeSource(e)} — ${outcome}`);
}

/** What an escalation job knows: which enquiry, which round of the queue, waiting since when. */
interface Waiting {
  enquiryId: number;
  round: number;
  since: number;
}

/** The enquiry, if it is still waiting in the round this job was scheduled for. */
function stillWaiting(ctx: BaseContext, payload: Waiting): Enquiry | undefined {
  const e = getEnquiry(ctx.db, payload.enquiryId);
  return e && e.state === "open" && e.round === payload.round ? e : undefined;
}

const waited = (ctx: BaseContext, since: number) => {
  const hours = businessTimeBetween(since, ctx.now, clinicSettings(ctx.config).hours) / 3600_000;
  const rounded = Math.round(hours * 10) / 10;
  return `${rounded} working hour${rounded === 1 ? "" : "s"}`;
};

export const escalateToRoom = defineJob<Waiting>({
  kind: "clinic.escalate-room",
  run(ctx, payload) {
    const e = stillWaiting(ctx, payload);
    if (!e) return ctx.skip("claimed or closed before it was due");
    toTriage(ctx, { text: `${cardText(ctx, e, `⏰ Still unclaimed after ${waited(ctx, payload.since)}:`)}\nCan someone take it? ${cmd(`claim ${refOf(e.id)}`)}`, buttons: claimButton(e), key: cardKey(e) });
  },
});

export const escalateToLeads = defineJob<Waiting>({
  kind: "clinic.escalate-leads",
  run(ctx, payload) {
    const e = stillWaiting(ctx, payload);
    if (!e) return ctx.skip("claimed or closed before it was due");
    const leads = holdersOf(ctx.db, "triage-lead").map((h) => h.memberId);
    const text = cardText(ctx, e, `⚠️ Nobody has claimed this after ${waited(ctx, payload.since)}:`);
    if (leads.length > 0) {
      for (const id of leads) ctx.toMember(id, { text: `${text}\nClaim it, or give it to someone with ${cmd(`reassign ${refOf(e.id)} @triager`)}.`, buttons: claimButton(e), key: cardKey(e) });
      return;
    }
    for (const admin of holdersOf(ctx.db, "admin")) {
      ctx.toMember(admin.memberId, `${text}\nThere is no triage lead; give it to a triager with ${cmd(`reassign ${refOf(e.id)} @triager`)}.`);
    }
  },
});
