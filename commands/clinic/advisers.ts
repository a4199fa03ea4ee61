// The adviser directory: triage leads and admins add and retire advisers;
// triagers list them; advisers say when they are away.
import { DateTime } from "luxon";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { refOf } from "../../db/clinic.ts";
import { activeAdvisers, getAdviser, liveHandoffCounts, liveHandoffsOf, retireAdviser, setAway, upsertAdviser } from "../../db/clinic-network.ts";
import { grantRole, revokeRole } from "../../db/roles.ts";
import { nearest } from "../../bot/suggest.ts";
import { CATEGORIES, LEADS, TRIAGERS, when, type Category } from "./access.ts";
import { describeAdviser, specialismsOf } from "./suggest.ts";

export const adviserAdd = defineCommand({
  name: "adviser add",
  summary: "Add a member to the clinic's adviser directory (or update their entry)",
  examples: ["adviser add @bea --specialisms finance,legal --region scotland --capacity 3", "adviser add @cat --specialisms conversion"],
  args: z.object({
    member: z.string().describe("the adviser, as an @mention"),
    specialisms: z.array(z.string()).min(1, "name at least one").describe(`what they advise on, comma-separated: ${CATEGORIES.join(", ")}`),
    region: z.string().min(1).max(60).optional().describe("where they advise; leave out for anywhere"),
    capacity: z.coerce.number().int().min(1).max(50).default(3).describe("how many enquiries they take at once (default 3)"),
  }),
  positional: ["member"],
  allow: LEADS,
  run(ctx, args) {
    const member = ctx.resolveMember(args.member, { verified: true });
    const region = args.region && !/^(anywhere|none|-)$/i.test(args.region) ? args.region.trim().toLowerCase() : null;
    const specialisms = [...new Set(args.specialisms.map((s) => specialismOf(ctx, s)))];
    const existed = getAdviser(ctx.db, member.id) !== undefined;
    upsertAdviser(ctx.db, { memberId: member.id, specialisms, region, capacity: args.capacity, addedBy: ctx.actor.memberId, now: ctx.now });
    grantRole(ctx.db, { memberId: member.id, role: "adviser", grantedBy: ctx.actor.memberId, now: ctx.now });
    const entry = `${specialisms.join(", ")} · ${region ? esc(region) : "anywhere"} · up to ${args.capacity} at a time`;
    if (existed) return ctx.reply(`Updated ${mention(member.id)}'s adviser entry: ${entry}.`);
    ctx.toMember(
      member.id,
      `Welcome to the Co-op Clinic's adviser network (${entry}). When a triager hands you an enquiry I'll send it to you with Accept and Decline buttons. ${cmd("adviser away until <date>")} pauses new ones.`,
    );
    ctx.reply(`${mention(member.id)} is now in the adviser directory: ${entry}.`);
  },
});

/** A typed specialism, or a refusal naming the nearest one. */
function specialismOf(ctx: CommandContext, typed: string): Category {
  const lower = typed.toLowerCase();
  if ((CATEGORIES as readonly string[]).includes(lower)) return lower as Category;
  const guess = nearest(lower, [...CATEGORIES]);
  return ctx.fail(`\`${esc(typed)}\` isn't a specialism${guess ? `; did you mean \`${guess}\`` : ""}? They are: ${CATEGORIES.join(", ")}.`);
}

export const adviserRetire = defineCommand({
  name: "adviser retire",
  summary: "Take an adviser out of the directory (they keep their history)",
  examples: ["adviser retire @bea"],
  args: z.object({ member: z.string().describe("the adviser, as an @mention") }),
  positional: ["member"],
  allow: LEADS,
  run(ctx, args) {
    const member = ctx.resolveMember(args.member, { verified: true });
    if (!getAdviser(ctx.db, member.id)) return ctx.fail(`${mention(member.id)} isn't in the adviser directory.`);
    const open = liveHandoffsOf(ctx.db, member.id);
    if (open.length > 0) return ctx.fail(`${mention(member.id)} still has ${open.map((h) => refOf(h.enquiryId)).join(", ")}; those need resolving (or declining) first.`);
    retireAdviser(ctx.db, member.id, ctx.now);
    revokeRole(ctx.db, member.id, "adviser");
    ctx.toMember(member.id, `${mention(ctx.actor.memberId)} took you out of the Co-op Clinic's adviser directory. Thank you for your help!`);
    ctx.reply(`${mention(member.id)} is no longer in the adviser directory.`);
  },
});

export const advisersList = defineCommand({
  name: "advisers",
  summary: "List the clinic's advisers, optionally those with one specialism",
  examples: ["advisers", "advisers finance"],
  args: z.object({ specialism: z.enum(CATEGORIES).optional().describe("only advisers with this specialism") }),
  positional: ["specialism"],
  allow: [...TRIAGERS, "admin"],
  run(ctx, args) {
    const loads = liveHandoffCounts(ctx.db);
    const list = activeAdvisers(ctx.db).filter((a) => !args.specialism || specialismsOf(a).includes(args.specialism));
    const what = args.specialism ? ` for ${args.specialism}` : "";
    if (list.length === 0) return ctx.reply(`No advisers${what} yet. ${cmd("adviser add @member --specialisms finance,legal")} adds one.`);
    ctx.reply([`*Clinic advisers${what}* (${list.length}):`, ...list.map((a) => `• ${describeAdviser(ctx, a, loads.get(a.memberId) ?? 0)}`)].join("\n"));
  },
});

/** `2026-09-01`, `1 Sep`, `1 Sep 2026`, `1 September`: midnight at the start of that day, in the config's zone. */
function parseDay(ctx: CommandContext, text: string): number | undefined {
  const zone = ctx.config.timezone;
  const today = DateTime.fromMillis(ctx.now, { zone }).startOf("day");
  const iso = DateTime.fromISO(text, { zone });
  if (iso.isValid && /^\d{4}-\d{2}-\d{2}$/.test(text)) return iso.startOf("day").toMillis();
  for (const format of ["d LLL yyyy", "d LLLL yyyy"]) {
    const day = DateTime.fromFormat(text, format, { zone, locale: "en-GB" });
    if (day.isValid) return day.toMillis();
  }
  for (const format of ["d LLL", "d LLLL"]) {
    const day = DateTime.fromFormat(text, format, { zone, locale: "en-GB" }).set({ year: today.year });
    if (day.isValid) return (day < today ? day.plus({ years: 1 }) : day).toMillis();
  }
  return undefined;
}

export const adviserAway = defineCommand({
  name: "adviser away",
  summary: "Say you're away: you won't be suggested for new enquiries until then",
  examples: ["adviser away until 2026-09-01", "adviser away until 1 Sep"],
  args: z.object({ date: z.string().describe("the day you're back, e.g. 2026-09-01 or 1 Sep") }),
  positional: ["date..."],
  usage: "adviser away until <date>",
  allow: ["adviser"],
  run(ctx, args) {
    if (!getAdviser(ctx.db, ctx.actor.memberId)) return ctx.fail("You're not in the adviser directory.");
    const typed = args.date.replace(/^until\s+/i, "").trim();
    const back = parseDay(ctx, typed);
    if (back === undefined) return ctx.fail(`\`${esc(typed)}\` isn't a date I can read; write it like 2026-09-01 or 1 Sep.`, { showUsage: true });
    if (back <= ctx.now) return ctx.fail(`${when(ctx, back)} has already started; give the day you're back.`);
    setAway(ctx.db, ctx.actor.memberId, back);
    const day = DateTime.fromMillis(back, { zone: ctx.config.timezone }).toFormat("ccc d LLL yyyy");
    ctx.reply(`Noted: I won't suggest you for new enquiries until ${day}. Enquiries you already have stay with you. ${cmd("adviser back")} ends it early.`);
  },
});

export const adviserBack = defineCommand({
  name: "adviser back",
  summary: "Say you're back and can take enquiries again",
  examples: ["adviser back"],
  args: z.object({}),
  allow: ["adviser"],
  run(ctx) {
    const me = getAdviser(ctx.db, ctx.actor.memberId);
    if (!me) return ctx.fail("You're not in the adviser directory.");
    if (me.awayUntil === null || me.awayUntil <= ctx.now) return ctx.reply("You weren't marked as away; triagers can already find you.");
    setAway(ctx.db, ctx.actor.memberId, null);
    ctx.reply("Welcome back: triagers can find you for new enquiries again.");
  },
});
