// Linked identities: one person on Slack and on Matrix is one member.
// `link matrix` (typed on Slack) gives a one-time code; `link confirm <code>`
// typed on Matrix joins the two accounts. Codes are single-use, expire after
// 15 minutes, are stored hashed, and guesses are rate-limited.
import { createHash, randomBytes } from "node:crypto";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { PLATFORMS, type Platform } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { codesIssuedSince, insertLinkCode, linkFailuresSince, mergeCoreMember, recordLinkFailure, splitIdentity, useLinkCode } from "../../db/identity.ts";
import { identitiesOf } from "../../db/members.ts";

const MINUTE = 60_000;
export const CODE_TTL = 15 * MINUTE;
const CODES_PER_HOUR = 3;
const WRONG_CODES_PER_15_MIN = 5;
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

const hash = (code: string) => createHash("sha256").update(code.toUpperCase().replace(/[^0-9A-Z]/g, "")).digest("hex");

function newCode(): string {
  const chars = [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

const platformArg = z.enum(PLATFORMS as [Platform, ...Platform[]]).describe("the other platform: slack, matrix or console");

export const link = defineCommand({
  name: "link",
  summary: "Link your account on another platform to this one (you get a one-time code)",
  description: "Type this where you already use me, then type the code on the other platform with `link confirm <code>`. Your groups, roles, actions and thanks become one record.",
  examples: ["link matrix", "link slack"],
  args: z.object({ platform: platformArg }),
  positional: ["platform"],
  allow: "everyone",
  run(ctx, { platform }) {
    if (platform === ctx.actor.platform) return ctx.fail(`You're on ${platform} now: type this here, and the code on the other platform.`);
    if (identitiesOf(ctx.db, ctx.actor.memberId).some((i) => i.platform === platform)) return ctx.fail(`Your ${platform} account is already linked. ${cmd(`unlink ${platform}`)} first to link a different one.`);
    if (codesIssuedSince(ctx.db, ctx.actor.memberId, ctx.now - 60 * MINUTE) >= CODES_PER_HOUR) return ctx.fail("You've asked for several codes in the last hour; wait a while, or use the last one I gave you.");
    const code = newCode();
    insertLinkCode(ctx.db, { memberId: ctx.actor.memberId, toPlatform: platform, codeHash: hash(code), now: ctx.now, expiresAt: ctx.now + CODE_TTL });
    // Always private: anyone holding the code could claim this account.
    ctx.toMember(ctx.actor.memberId, `Your code is *${code}*. Within 15 minutes, on ${platform}, type ${cmd(`link confirm ${code}`)} to me. It works once. Didn't ask for this? Ignore it.`);
    if (ctx.event.room.kind !== "dm") ctx.reply("I've sent you a code privately.");
  },
});

export const linkConfirm = defineCommand({
  name: "link confirm",
  summary: "Finish linking: type the code you were given on the other platform",
  examples: ["link confirm 7KQ2-MXPA"],
  args: z.object({ code: z.string().min(4).max(20).describe("the code from `link`") }),
  positional: ["code"],
  allow: "everyone",
  run(ctx, { code }) {
    const { platform, platformId } = ctx.actor;
    if (linkFailuresSince(ctx.db, platform, platformId, ctx.now - 15 * MINUTE) >= WRONG_CODES_PER_15_MIN) {
      return ctx.fail("Too many wrong codes; wait 15 minutes before trying again.");
    }
    const found = useLinkCode(ctx.db, hash(code), ctx.now);
    if (!found) return refuseCode(ctx);
    if (found.toPlatform !== platform) return ctx.fail(`That code is for linking a ${found.toPlatform} account; type it on ${found.toPlatform}.`);
    if (found.memberId === ctx.actor.memberId) return ctx.reply("These accounts are already linked.");
    const mine = identitiesOf(ctx.db, ctx.actor.memberId).map((i) => i.platform);
    const theirs = identitiesOf(ctx.db, found.memberId).map((i) => i.platform);
    const clash = mine.find((p) => theirs.includes(p));
    if (clash) return ctx.fail(`Both accounts already have a ${clash} account; unlink one first.`);
    mergeMembers(ctx, ctx.actor.memberId, found.memberId);
    ctx.reply(`Linked: your ${mine.join(" and ")} and ${theirs.join(" and ")} accounts are now one member. ${cmd("whoami")} shows both.`);
    // Tell the other account too, in case the code was not typed by its owner.
    for (const other of identitiesOf(ctx.db, found.memberId).filter((i) => i.platform !== platform)) {
      ctx.post({ kind: "member", platform: other.platform as Platform, platformId: other.platformId, memberId: found.memberId }, `Your ${platform} account (${esc(platformId)}) is now linked to this one. If that wasn't you, ${cmd(`unlink ${platform}`)}.`);
    }
  },
});

/** A wrong code is remembered (to slow down guessing), so this refusal must commit. */
function refuseCode(ctx: CommandContext): void {
  recordLinkFailure(ctx.db, ctx.actor.platform, ctx.actor.platformId, ctx.now);
  ctx.reply("That code isn't valid: it may be mistyped, already used, or older than 15 minutes. Ask for a new one with `link <platform>`.");
}

/** Moves everything `from` had onto `into`: the core's tables, then each capability's. */
export function mergeMembers(ctx: CommandContext, from: number, into: number): void {
  mergeCoreMember(ctx.db, from, into);
  for (const merge of ctx.services.memberMergers) merge(ctx, from, into);
}

export const unlink = defineCommand({
  name: "unlink",
  summary: "Separate your account on a platform from this member again",
  examples: ["unlink matrix"],
  args: z.object({ platform: platformArg }),
  positional: ["platform"],
  allow: "everyone",
  run(ctx, { platform }) {
    const ids = identitiesOf(ctx.db, ctx.actor.memberId);
    const identity = ids.find((i) => i.platform === platform);
    if (!identity) return ctx.fail(`You have no linked ${platform} account.`);
    if (ids.length === 1) return ctx.fail("That's your only account; there is nothing to unlink it from.");
    splitIdentity(ctx.db, identity.platform, identity.platformId, identity.displayName, ctx.now);
    ctx.reply(`Your ${platform} account is separate again. Your history stays with this member; the ${platform} account starts fresh.`);
  },
});
