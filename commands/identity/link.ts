// Linked identities: one person on Slack and on Matrix is one member.
// `link matrix` (typed on Slack) gives a one-time code; `link confirm <code>`
// typed on Matrix shows both accounts what linking would do, and once both
// `link accept` it, they are one member (link-confirm.ts). Codes are
// single-use, expire after 15 minutes, are stored hashed, and guesses are
// rate-limited.
import { randomBytes } from "node:crypto";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { PLATFORMS, type Platform } from "../../bot/events.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { cmdOn, isRunning, platformName, runningPlatforms } from "../../bot/platforms.ts";
import { codesIssuedSince, insertLinkCode, splitIdentity } from "../../db/identity.ts";
import { identitiesOf } from "../../db/members.ts";
import { hashCode } from "./link-confirm.ts";

const MINUTE = 60_000;
export const CODE_TTL = 15 * MINUTE;
const CODES_PER_HOUR = 3;
const ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

function newCode(): string {
  const chars = [...randomBytes(8)].map((b) => ALPHABET[b % ALPHABET.length]).join("");
  return `${chars.slice(0, 4)}-${chars.slice(4)}`;
}

/** How to type a command on another platform, in that platform's own way. */
function whereToType(ctx: CommandContext, platform: Platform, command: string): string {
  const typed = cmdOn(ctx.services, platform, command);
  if (platform === "matrix") return `on Matrix, send me \`${esc(command)}\` in a direct message (in a room: ${typed})`;
  return `on ${platformName(platform)}, type ${typed}`;
}

const platformArg = z.enum(PLATFORMS as [Platform, ...Platform[]]).describe("the other platform: slack, matrix or console");

export const link = defineCommand({
  name: "link",
  summary: "Link your account on another platform to this one (you get a one-time code)",
  description: "Type this where you already use me; then, on the other platform, type link confirm and the code (the message with the code says exactly what to type there). Your groups, roles, actions and thanks become one record.",
  examples: ["link matrix", "link slack"],
  args: z.object({ platform: platformArg }),
  positional: ["platform"],
  allow: "everyone",
  run(ctx, { platform }) {
    if (platform === ctx.actor.platform) return ctx.fail(`You're on ${platformName(platform)} now: type this here, and the code on the other platform.`);
    if (!isRunning(ctx.services, platform)) {
      const running = runningPlatforms(ctx.services).map((p) => platformName(p.platform));
      return ctx.fail(`I'm not running on ${platformName(platform)} here (only on ${running.join(" and ")}), so there's no account there to link.`);
    }
    if (identitiesOf(ctx.db, ctx.actor.memberId).some((i) => i.platform === platform)) return ctx.fail(`Your ${platform} account is already linked. ${cmd(`unlink ${platform}`)} first to link a different one.`);
    if (codesIssuedSince(ctx.db, ctx.actor.memberId, ctx.now - 60 * MINUTE) >= CODES_PER_HOUR) return ctx.fail("You've asked for several codes in the last hour; wait a while, or use the last one I gave you.");
    const code = newCode();
    insertLinkCode(ctx.db, { memberId: ctx.actor.memberId, toPlatform: platform, codeHash: hashCode(code), now: ctx.now, expiresAt: ctx.now + CODE_TTL });
    // Always private: anyone holding the code could claim this account.
    ctx.toMember(ctx.actor.memberId, `Your code is *${code}*. Within 15 minutes, ${whereToType(ctx, platform, `link confirm ${code}`)}; you'll both be shown what linking does and asked to accept. It works once. Didn't ask for this? Ignore it.`);
    if (ctx.event.room.kind !== "dm") ctx.reply("I've sent you a code privately.");
  },
});

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
