// The second half of linking, made so it can't be used to take over an
// account: typing a code (`link confirm`) changes nothing yet. Both accounts
// are shown what would become one member (names, platforms, roles each side
// would get) and each must `link accept`; either can `link cancel`. When
// either side holds a role, the admins are told as well. Wrong codes are
// rate-limited per account, across everyone, and per code.
import { createHash } from "node:crypto";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import type { Platform } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import {
  acceptLink,
  allLinkFailuresSince,
  confirmLinkCode,
  countStrangerTry,
  endLink,
  liveLinkCode,
  linkFailuresSince,
  mergeCoreMember,
  pendingLink,
  recordLinkFailure,
  type LinkCode,
} from "../../db/identity.ts";
import { identitiesOf } from "../../db/members.ts";
import { holdersOf, rolesOf } from "../../db/roles.ts";
import { describeGrant } from "../core/role.ts";

const MINUTE = 60_000;
/** How long the two sides have to accept once the code was typed. */
export const ACCEPT_TTL = 15 * MINUTE;
const WRONG_CODES_PER_ACCOUNT = 5;
/** Across everyone: guessing spread over many accounts is slowed down too. */
const WRONG_CODES_EVERYWHERE = 30;
/** Accept/cancel tries on a code by someone who isn't one of its two accounts before it is called off. */
const STRANGER_TRIES_PER_CODE = 3;

export const hashCode = (code: string) => createHash("sha256").update(code.toUpperCase().replace(/[^0-9A-Z]/g, "")).digest("hex");
const codeArg = z.string().min(4).max(20).describe("the code from `link`");

/** What one member brings to the link: their accounts and roles. */
function sideOf(ctx: BaseContext, memberId: number): { accounts: string; roles: string[] } {
  const accounts = identitiesOf(ctx.db, memberId)
    .map((i) => `${i.platform} account *${esc(i.displayName)}* (${esc(i.platformId)})`)
    .join(" and ");
  return { accounts, roles: rolesOf(ctx.db, memberId).map((g) => describeGrant(ctx, g.role, g.scope)) };
}

const rolesText = (roles: string[]) => (roles.length ? roles.join(", ") : "no roles");

/** Tells the admins about a link where power is at stake (never the code itself). */
function tellAdmins(ctx: BaseContext, text: string, except: number[]): void {
  const admins = new Set(holdersOf(ctx.db, "admin").map((h) => h.memberId));
  for (const admin of admins) if (!except.includes(admin)) ctx.toMember(admin, text);
}

function tooManyGuesses(ctx: CommandContext): string | undefined {
  const since = ctx.now - 15 * MINUTE;
  if (linkFailuresSince(ctx.db, ctx.actor.platform, ctx.actor.platformId, since) >= WRONG_CODES_PER_ACCOUNT) return "Too many wrong codes; wait 15 minutes before trying again.";
  if (allLinkFailuresSince(ctx.db, since) >= WRONG_CODES_EVERYWHERE) return "Linking is paused for a few minutes: many wrong codes were typed recently. Try again in 15 minutes.";
  return undefined;
}

/** A wrong code is remembered (to slow down guessing), so this refusal must commit: a reply, not a failure. */
function refuseCode(ctx: CommandContext): void {
  recordLinkFailure(ctx.db, ctx.actor.platform, ctx.actor.platformId, ctx.now);
  ctx.reply(`That code isn't valid: it may be mistyped, already used, or older than 15 minutes. Ask for a new one with ${cmd("link <platform>")} where you got it.`);
}

export const linkConfirm = defineCommand({
  name: "link confirm",
  summary: "Type the code from `link` on your other platform: you'll both be shown what linking would do",
  examples: ["link confirm 7KQ2-MXPA"],
  args: z.object({ code: codeArg }),
  positional: ["code"],
  allow: "everyone",
  run(ctx, { code }) {
    const limited = tooManyGuesses(ctx);
    if (limited) return ctx.fail(limited);
    const found = liveLinkCode(ctx.db, hashCode(code), ctx.now);
    if (!found) return refuseCode(ctx);
    if (found.toPlatform !== ctx.actor.platform) return ctx.fail(`That code is for linking a ${found.toPlatform} account; type it on ${found.toPlatform}.`);
    if (found.memberId === ctx.actor.memberId) return ctx.reply("These accounts are already linked.");
    const mine = identitiesOf(ctx.db, ctx.actor.memberId).map((i) => i.platform);
    const clash = mine.find((p) => identitiesOf(ctx.db, found.memberId).some((i) => i.platform === p));
    if (clash) return ctx.fail(`Both accounts already have a ${clash} account; unlink one first.`);
    const { platform, platformId, memberId } = ctx.actor;
    if (!confirmLinkCode(ctx.db, found.id, { memberId, platform, platformId }, ctx.now, ctx.now + ACCEPT_TTL)) return refuseCode(ctx);
    const here = sideOf(ctx, memberId);
    const there = sideOf(ctx, found.memberId);
    const accept = (who: string) => `If ${who}, type ${cmd(`link accept ${code.toUpperCase()}`)} within 15 minutes; if not, ${cmd(`link cancel ${code.toUpperCase()}`)}. Nothing changes until both accounts accept.`;
    ctx.reply(
      `Linking would make your ${here.accounts} (${rolesText(here.roles)}) and the ${there.accounts} (${rolesText(there.roles)}) one member: each account gets the other's groups, records and roles.\n${accept("both accounts are yours")}`,
    );
    toIssuer(ctx, found, `Your link code was typed by the ${here.accounts} (${rolesText(here.roles)}). Linking would make it and your account one member, with each other's groups, records and roles.\n${accept("that account is yours")}`);
    if (here.roles.length + there.roles.length > 0) {
      tellAdmins(ctx, `🔐 A link is waiting for both sides to accept: the ${here.accounts} (${rolesText(here.roles)}) with the ${there.accounts} (${rolesText(there.roles)}). If this looks wrong, ask them.`, []);
    }
  },
});

/** A message to the account that asked for the code, on the platform it asked from. */
function toIssuer(ctx: BaseContext, code: LinkCode, text: string): void {
  for (const identity of identitiesOf(ctx.db, code.memberId).filter((i) => i.platform !== code.toPlatform)) {
    ctx.post({ kind: "member", platform: identity.platform as Platform, platformId: identity.platformId, memberId: code.memberId }, text);
  }
}

/** Which side of a pending link the asker is, if either. */
function sideIn(ctx: CommandContext, code: LinkCode): "issuer" | "confirmer" | undefined {
  const { platform, platformId, memberId } = ctx.actor;
  if (code.confirmerPlatform === platform && code.confirmerPlatformId === platformId) return "confirmer";
  if (code.memberId === memberId && platform !== code.toPlatform) return "issuer";
  return undefined;
}

/**
 * The pending link behind a code, for one of its two accounts. Anyone else
 * is told there is none (committed: the try counts against them and the
 * code), and gets undefined.
 */
function pendingFor(ctx: CommandContext, code: string): { link: LinkCode; side: "issuer" | "confirmer" } | undefined {
  const limited = tooManyGuesses(ctx);
  if (limited) return ctx.fail(limited);
  const link = pendingLink(ctx.db, hashCode(code), ctx.now);
  const side = link && sideIn(ctx, link);
  if (link && side) return { link, side };
  recordLinkFailure(ctx.db, ctx.actor.platform, ctx.actor.platformId, ctx.now);
  if (link && countStrangerTry(ctx.db, link.id) >= STRANGER_TRIES_PER_CODE) endLink(ctx.db, link.id, "cancelled");
  // Committed (the failure counts), so a reply rather than a refusal.
  ctx.reply("There's no link waiting for you under that code (it may have expired, or be someone else's).");
  return undefined;
}

export const linkAccept = defineCommand({
  name: "link accept",
  summary: "Agree to a link you were shown; once both accounts agree they become one member",
  examples: ["link accept 7KQ2-MXPA"],
  args: z.object({ code: codeArg }),
  positional: ["code"],
  allow: "everyone",
  run(ctx, { code }) {
    const pending = pendingFor(ctx, code);
    if (!pending) return;
    const link = acceptLink(ctx.db, pending.link.id, pending.side, ctx.now);
    if (!link.issuerAcceptedAt || !link.confirmerAcceptedAt) {
      ctx.reply(`Noted. The link happens when the other account accepts too (within 15 minutes).`);
      return;
    }
    const issuer = sideOf(ctx, link.memberId);
    const confirmer = sideOf(ctx, link.confirmerMemberId!);
    const involvesRoles = issuer.roles.length + confirmer.roles.length > 0;
    mergeMembers(ctx, link.confirmerMemberId!, link.memberId);
    endLink(ctx.db, link.id, "linked");
    const done = `Linked: the ${issuer.accounts} and the ${confirmer.accounts} are now one member. ${cmd("whoami")} shows both.`;
    ctx.reply(done);
    const other = pending.side === "issuer" ? "confirmer" : "issuer";
    if (other === "issuer") toIssuer(ctx, link, `${done} If that wasn't you, ${cmd(`unlink ${link.toPlatform}`)}.`);
    else ctx.post({ kind: "member", platform: link.confirmerPlatform as Platform, platformId: link.confirmerPlatformId!, memberId: link.memberId }, done);
    if (involvesRoles) tellAdmins(ctx, `🔐 Linked, both accounts having accepted: ${mention(link.memberId)} is now the ${issuer.accounts} and the ${confirmer.accounts}.`, []);
  },
});

export const linkCancel = defineCommand({
  name: "link cancel",
  summary: "Call off a link you were shown",
  examples: ["link cancel 7KQ2-MXPA"],
  args: z.object({ code: codeArg }),
  positional: ["code"],
  allow: "everyone",
  run(ctx, { code }) {
    const pending = pendingFor(ctx, code);
    if (!pending) return;
    endLink(ctx.db, pending.link.id, "cancelled");
    ctx.reply("Cancelled: the two accounts stay separate.");
    const note = "The link you were asked to accept was cancelled by the other account: the accounts stay separate.";
    if (pending.side === "confirmer") toIssuer(ctx, pending.link, note);
    else ctx.post({ kind: "member", platform: pending.link.confirmerPlatform as Platform, platformId: pending.link.confirmerPlatformId!, memberId: pending.link.confirmerMemberId! }, note);
  },
});

/** Moves everything `from` had onto `into`: the core's tables, then each capability's. */
export function mergeMembers(ctx: CommandContext, from: number, into: number): void {
  mergeCoreMember(ctx.db, from, into);
  for (const merge of ctx.services.memberMergers) merge(ctx, from, into);
}
