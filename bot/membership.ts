// Letting a member into a room, or taking them out: an outbox delivery like
// any message (durable, ordered, retried), carried out by the adapter of the
// room's platform (a Slack conversations.invite, a Matrix invite). Its own
// ordering channel, so an invite that waits never holds back the room's posts.
import { inboundActor } from "../db/inbound.ts";
import { enqueue, type OutboxRow } from "../db/outbox.ts";
import { inTransaction } from "../db/connection.ts";
import { BaseContext, channelOf, type Services } from "./context.ts";
import type { OutboundMessage, Platform, RoomMembership, Target } from "./events.ts";
import { esc, mention } from "./markup.ts";
import { platformName } from "./platforms.ts";

export function queueMembership(ctx: BaseContext, kind: "invite" | "uninvite", room: { platform: Platform; roomId: string }, who: RoomMembership): number {
  const target: Target = { kind: "room", platform: room.platform, roomId: room.roomId };
  return enqueue(ctx.db, {
    lease: ctx.services.outboxLease?.(room.platform, ctx.now),
    kind,
    platform: room.platform,
    channel: `${channelOf(target)}:members`,
    target,
    message: { text: "", membership: who } satisfies OutboundMessage,
    msgKey: null,
    updatesId: null,
    source: ctx.source,
    now: ctx.now,
  });
}

/**
 * An invite the platform refused for good (no permission, the bot isn't in
 * the room): the member hears why and what to do, and so does whoever let
 * them in (a driver approving), so nobody waits for an invite that won't come.
 */
export function reportMembershipFailure(services: Services, row: OutboxRow, error: string): void {
  const target = JSON.parse(row.target) as Target;
  const who = (JSON.parse(row.message) as OutboundMessage).membership;
  if (!who) return;
  try {
    inTransaction(services.db, () => {
      const ctx = new BaseContext(services, `undeliverable:${row.id}`, target.platform);
      const where = `${esc(who.group)}'s ${platformName(target.platform)} room ${esc(who.room)}`;
      if (row.kind === "invite") {
        ctx.toMember(who.memberId, `⚠️ I couldn't add you to ${where}: ${esc(error)}. Ask one of the group's drivers to add you.`);
      } else {
        ctx.toMember(who.memberId, `I couldn't take you out of ${where} (${esc(error)}); you can leave it yourself.`);
      }
      const source = row.source ?? "";
      const actor = source.startsWith("event:") ? inboundActor(services.db, source.slice("event:".length)) : undefined;
      if (actor !== undefined && actor !== who.memberId) {
        ctx.toMember(actor, `⚠️ I couldn't ${row.kind === "invite" ? "add" : "remove"} ${mention(who.memberId)} ${row.kind === "invite" ? "to" : "from"} ${where}: ${esc(error)}.`);
      }
    });
  } catch (err) {
    services.log.error({ err, outboxId: row.id }, "could not report a failed room invite");
  }
}
