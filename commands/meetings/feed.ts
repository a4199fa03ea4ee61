// Personal calendar feeds: `meeting feed <group>` gives each member their own
// link, `GET /calendar/<group>.ics?token=`, and `--reset` replaces it. Each
// request is checked against who the member is now: the feed answers only
// while they may see the group's meeting details (a member, one of its
// drivers, or an admin, as `meeting ics` decides), so leaving the group ends
// it without anything having to happen at leave time. An archived group
// answers 410 Gone, so calendar apps stop asking. Anything else (no token, a
// wrong one, another group's path) gets the same 404 as a path that doesn't
// exist: nothing is revealed.
import { z } from "zod";
import { defineJob } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import { BaseContext, type CommandContext, type Services } from "../../bot/context.ts";
import type { HttpResponse, HttpRoute } from "../../bot/http.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { getGroup, type Group } from "../../db/groups.ts";
import { dropFeed, feedByTokenHash, feedOf, putFeed } from "../../db/meetings.ts";
import { getMember } from "../../db/members.ts";
import { getOutboxRow, redactDelivered } from "../../db/outbox.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { groupCalendar, sendCalendarFile } from "./calendar.ts";
import { hashToken, newNonce, TOKEN_PATTERN, tokenFor } from "./feed-token.ts";
import { canSeeDetails, seesDetails } from "./lookup.ts";

type Issued = { kind: "new" | "same" | "reset"; token: string } | { kind: "unshowable" };

/**
 * The member's link: the one they have (made again from its nonce), or a
 * new one when they have none or ask for a reset. "unshowable" when the
 * stored hash isn't what the key makes any more (the key file was lost).
 */
function issueFeed(ctx: CommandContext, group: Group, reset: boolean): Issued {
  const me = ctx.actor.memberId;
  const held = feedOf(ctx.db, me, group.id);
  if (held && !reset) {
    const token = tokenFor(ctx.db, held.nonce);
    return hashToken(token) === held.tokenHash ? { kind: "same", token } : { kind: "unshowable" };
  }
  const nonce = newNonce();
  const token = tokenFor(ctx.db, nonce);
  putFeed(ctx.db, { memberId: me, groupId: group.id, tokenHash: hashToken(token), nonce, createdAt: ctx.now });
  return { kind: held ? "reset" : "new", token };
}

function linkMessage(group: Group, kind: "new" | "same" | "reset", url: string): string {
  const lead = {
    new: `📆 Your calendar link for *${esc(group.name)}*: subscribe to it in your calendar app.`,
    same: `📆 Your calendar link for *${esc(group.name)}* (the same one as before):`,
    reset: `📆 Your new calendar link for *${esc(group.name)}*; the old one has stopped working.`,
  }[kind];
  const reset = cmd(`meeting feed ${group.slug} --reset`);
  return `${lead}\n${url}\nIt's yours alone (each member gets their own), so keep it to yourself. It stops working if you leave the group; if it gets out, ${reset} gives you a new one and this one stops working.`;
}

export const meetingFeed = defineCommand({
  name: "meeting feed",
  summary: "Get your own private link to a group's meetings for your calendar app (--reset replaces it)",
  description:
    "The link is yours alone: each member asks for their own, and asking again shows the same one. It works while you're in the group and stops when you leave. If it gets out, `meeting feed <group> --reset` gives you a new one and the old one stops working.",
  examples: ["meeting feed business-planning", "meeting feed business-planning --reset"],
  args: z.object({ group: z.string().describe("the group's slug"), reset: z.boolean().optional().describe("replace your link (the old one stops working)") }),
  positional: ["group..."],
  allow: "everyone",
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    if (!canSeeDetails(ctx, group)) return ctx.fail(`The calendar link is for members of ${esc(group.name)}; ${cmd(`join ${group.slug}`)} first.`);
    const base = ctx.config.http?.publicUrl;
    if (!base) {
      // No web address to subscribe to: the file does the same once, and says how to get the link.
      return sendCalendarFile(ctx, group, `📆 Calendar links that stay up to date need the bot's web address, which an admin sets (\`http.publicUrl\` in the config). Meanwhile, here are *${esc(group.name)}*'s meetings as a calendar file`);
    }
    const issued = issueFeed(ctx, group, args.reset ?? false);
    if (issued.kind === "unshowable") {
      return ctx.reply(`I can't show your calendar link for *${esc(group.name)}* again: it was made with a key this bot no longer has (it still works wherever you subscribed). ${cmd(`meeting feed ${group.slug} --reset`)} gives you a new one; the old one then stops working.`);
    }
    const url = `${base.replace(/\/+$/, "")}/calendar/${group.slug}.ics?token=${issued.token}`;
    const text = linkMessage(group, issued.kind, url);
    const inDm = ctx.event.room.kind === "dm";
    forgetOnceSent(ctx, inDm ? ctx.reply(text) : ctx.toMember(ctx.actor.memberId, text));
    if (!inDm) ctx.reply("I've sent you the calendar link in a private message.");
  },
});

const FORGET_LINK_JOB = "meetings.forget-sent-link";
const MINUTE = 60_000;
const SENT_LINK = "📆 A calendar link (its text was taken out of the bot's records once sent).";

/**
 * The outbox keeps what it sent for a while (retention), which would keep
 * the token in the database after all: once the message is out, its
 * stored text goes.
 */
function forgetOnceSent(ctx: BaseContext, outboxId: number | undefined, attempt = 0): void {
  if (outboxId === undefined) return;
  ctx.schedule({ kind: FORGET_LINK_JOB, key: `calendar-link:${outboxId}:${attempt}`, dueAt: ctx.now + (attempt === 0 ? 5 * MINUTE : 60 * MINUTE), payload: { outboxId, attempt } });
}

/** Still waiting to go out (a platform is down): look again in an hour; the resend needs the text. */
export const forgetSentLink = defineJob<{ outboxId: number; attempt: number }>({
  kind: FORGET_LINK_JOB,
  run(ctx, { outboxId, attempt }) {
    if (redactDelivered(ctx.db, outboxId, SENT_LINK)) return ctx.services.scrubWal?.();
    if (getOutboxRow(ctx.db, outboxId)?.state === "pending") return forgetOnceSent(ctx, outboxId, attempt + 1);
    ctx.skip("the message is no longer in the outbox");
  },
});

/** The member left the group or was removed: their feed ends now (the request-time check would refuse it anyway). */
export function dropFeedOnLeaving(ctx: BaseContext, left: { memberId: number; groupId: number }): void {
  dropFeed(ctx.db, left.memberId, left.groupId);
}

const NOT_FOUND: HttpResponse = { status: 404, body: JSON.stringify({ error: "not found" }) };
const GONE: HttpResponse = { status: 410, body: JSON.stringify({ error: "this group has been archived, so its calendar feed has ended" }) };

/**
 * The group a token opens at `slug`, checked as things stand now: the
 * feed's member still exists as themselves (not merged away or forgotten)
 * and may still see the group's meeting details. Undefined for anything
 * that must look like a path that doesn't exist.
 */
function feedGroup(ctx: BaseContext, slug: string, token: string): Group | undefined {
  if (!TOKEN_PATTERN.test(token)) return undefined;
  const feed = feedByTokenHash(ctx.db, hashToken(token));
  const group = feed && getGroup(ctx.db, feed.groupId);
  if (!feed || !group || group.slug !== slug.toLowerCase()) return undefined;
  const member = getMember(ctx.db, feed.memberId);
  if (!member || member.mergedInto !== null || member.forgottenAt !== null) return undefined;
  return seesDetails(ctx, group, member.id) ? group : undefined;
}

/** `GET /calendar/<group>.ics?token=...`: read-only, so it needs no transaction of its own. */
export function calendarFeedRoute(services: Services): HttpRoute {
  return {
    method: "GET",
    path: "/calendar/:group.ics",
    handle(req) {
      const slug = req.params.group ?? "";
      const ctx = new BaseContext(services, `http:calendar:${slug}`);
      const group = feedGroup(ctx, slug, req.query.get("token") ?? "");
      if (!group) return NOT_FOUND;
      if (group.status === "archived") return GONE;
      return {
        status: 200,
        headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=300" },
        body: groupCalendar(ctx, group, { details: true }),
      };
    },
  };
}
