// Claiming: exactly one triager wins (one conditional UPDATE), the card
// loses its button, the winner gets the text privately. Releasing puts it
// back with a fresh card; triage leads and admins can reassign.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { claimEnquiry, getEnquiry, reassignEnquiry, refOf, releaseEnquiry, unresolvedEnquiries } from "../../db/clinic.ts";
import { liveHandoff } from "../../db/clinic-network.ts";
import { LEADS, TRIAGERS, age, dmText, findEnquiry, isTriager, refArg, requireHolder, when } from "./access.ts";
import { announce, settleCard } from "./cards.ts";
import { enquiryView, statusLine } from "./view.ts";

export const claim = defineCommand({
  name: "claim",
  summary: "Take on a clinic enquiry (exactly one triager gets it)",
  examples: ["claim CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: TRIAGERS,
  run(ctx, args) {
    const found = findEnquiry(ctx, args.ref);
    const ref = refOf(found.id);
    const me = ctx.actor.memberId;
    if (!claimEnquiry(ctx.db, found.id, me, ctx.now)) {
      if (found.claimedBy === me) return ctx.fail(`You already hold ${ref}.`);
      if (found.claimedBy !== null) return ctx.fail(`${ref} is already claimed by ${mention(found.claimedBy)}.`);
      return ctx.fail(`${ref} is closed.`);
    }
    const e = getEnquiry(ctx.db, found.id)!;
    settleCard(ctx, found, `✋ claimed by ${mention(me)} (${when(ctx, ctx.now)})`);
    const next = e.category ? `${cmd(`suggest ${ref}`)} finds an adviser` : `${cmd(`triage ${ref} --category <category> --urgency <low|normal|high>`)} sorts it`;
    dmText(ctx, me, e.id, `${enquiryView(ctx, e, { team: true, lead: "✋ You claimed" })}\nNext: ${next}; ${cmd(`release ${ref}`)} puts it back.`);
    if (ctx.event.room.kind !== "dm") ctx.reply(`${ref} is yours; I've sent you the enquiry in a direct message.`);
  },
});

export const release = defineCommand({
  name: "release",
  summary: "Put a claimed enquiry back in the queue for another triager",
  examples: ["release CL-0042"],
  args: z.object({ ref: refArg }),
  positional: ["ref"],
  allow: [...TRIAGERS, "admin"],
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    if (e.state !== "claimed") return ctx.fail(`${ref} is ${statusLine(e)}; only a claimed enquiry can be released.`);
    requireHolder(ctx, e, "release it");
    const handoff = liveHandoff(ctx.db, e.id);
    if (handoff) return ctx.fail(`${ref} is offered to ${mention(handoff.adviserId)}; withdraw the offer first with ${cmd(`handoff withdraw ${ref}`)}.`);
    if (!releaseEnquiry(ctx.db, e.id, e.claimedBy!)) return ctx.fail(`${ref} changed hands a moment ago; look again with ${cmd(`enquiry ${ref}`)}.`);
    settleCard(ctx, e, `↩️ released by ${mention(ctx.actor.memberId)} (${when(ctx, ctx.now)})`);
    announce(ctx, getEnquiry(ctx.db, e.id)!, "↩️ Back in the queue:");
    if (e.claimedBy !== ctx.actor.memberId) ctx.toMember(e.claimedBy!, `${mention(ctx.actor.memberId)} put ${ref} back in the queue.`);
    ctx.reply(`${ref} is back in the queue with a fresh card.`);
  },
});

export const reassign = defineCommand({
  name: "reassign",
  summary: "Give a clinic enquiry to another triager",
  examples: ["reassign CL-0042 @tara"],
  args: z.object({ ref: refArg, triager: z.string().describe("the triager, as an @mention") }),
  positional: ["ref", "triager"],
  allow: LEADS,
  run(ctx, args) {
    const e = findEnquiry(ctx, args.ref);
    const ref = refOf(e.id);
    const to = ctx.resolveMember(args.triager);
    if (!TRIAGERS.some((r) => ctx.services.permissions.hasRole(ctx.db, to.id, r))) return ctx.fail(`${mention(to.id)} isn't a triager; ${cmd(`role grant @${esc(to.displayName)} triager`)} makes them one.`);
    // One with an adviser and no triager (theirs lost the role) can be given someone to follow it up.
    const followUp = e.state === "with-adviser" && e.claimedBy === null;
    if (e.state !== "open" && e.state !== "claimed" && !followUp) return ctx.fail(`${ref} is ${statusLine(e)}; it can't be reassigned now.`);
    if (e.claimedBy === to.id) return ctx.reply(`${mention(to.id)} already holds ${ref}.`);
    if (liveHandoff(ctx.db, e.id)?.state === "offered") return ctx.fail(`${ref} is offered to an adviser; withdraw the offer first with ${cmd(`handoff withdraw ${ref}`)}.`);
    if (!reassignEnquiry(ctx.db, e.id, e.claimedBy, to.id, ctx.now)) return ctx.fail(`${ref} changed hands a moment ago; look again with ${cmd("clinic queue")}.`);
    settleCard(ctx, e, `👉 given to ${mention(to.id)} by ${mention(ctx.actor.memberId)} (${when(ctx, ctx.now)})`);
    dmText(ctx, to.id, e.id, enquiryView(ctx, getEnquiry(ctx.db, e.id)!, { team: true, lead: `👉 ${mention(ctx.actor.memberId)} gave you` }));
    if (e.claimedBy !== null && e.claimedBy !== ctx.actor.memberId) ctx.toMember(e.claimedBy, `${mention(ctx.actor.memberId)} gave ${ref} to ${mention(to.id)}.`);
    ctx.reply(`${ref} is now with ${mention(to.id)}.`);
  },
});

export const queue = defineCommand({
  name: "clinic queue",
  summary: "List the clinic's open enquiries: who holds each and how long it has waited (never their text)",
  examples: ["clinic queue"],
  args: z.object({}),
  allow: [...TRIAGERS, "admin"],
  run(ctx) {
    const open = unresolvedEnquiries(ctx.db);
    if (open.length === 0) return ctx.reply("The clinic queue is empty: every enquiry is closed.");
    const lines = open.map((e) => {
      const tags = [e.source, e.category ?? (e.categoryHint ? `hint: ${esc(e.categoryHint)}` : "uncategorised"), ...(e.urgency === "high" ? ["❗ urgent"] : [])];
      return `• *${refOf(e.id)}* · ${tags.join(" · ")} · ${age(ctx.now - e.createdAt)} old · ${statusLine(e)}`;
    });
    const unclaimed = open.filter((e) => e.state === "open").length;
    const hint = unclaimed > 0 && isTriager(ctx) ? ` ${cmd("claim <ref>")} takes one.` : "";
    ctx.reply([`*Clinic queue* — ${open.length} open, ${unclaimed} unclaimed.${hint}`, ...lines].join("\n"));
  },
});
