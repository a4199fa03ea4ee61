// Read-only commands (`help`, `groups`, `whoami`...) write nothing: no
// transaction, no ledger row. Their answer goes to the dispatcher in memory
// and is never stored; a repeated event is recognised in memory.
//
// Whenever that can't hold, the command runs the ordinary way instead (one
// transaction, ledger row, outbox row), with the same result for the user:
// the asker is new to the bot, the answer needs storing (a long answer's
// later pages, buttons, a message key), the channel has messages only the
// outbox knows of, or anything refused or failed (those are recorded).
// What this costs: an answer lost to a crash in the moment between the
// question and the answer is not sent after the restart (nothing had
// changed; the asker asks again), and one that arrived through a durable
// inbox may be answered twice.
import { findIdentity, getMember, type Member } from "../db/members.ts";
import { deleteInbox } from "../db/inbox.ts";
import { recordInbound } from "../db/inbound.ts";
import { deferWrite, readScope } from "../db/transaction.ts";
import { decide, type Parsed, type StageDeps } from "./command-stages.ts";
import { type Actor, CommandContext, type Services, type TransientReply } from "./context.ts";
import type { InboundEvent } from "./events.ts";
import type { HandleResult } from "./router.ts";

/** Event ids answered here lately, so a redelivery isn't answered twice. */
class RecentEvents {
  private readonly seen = new Set<string>();
  constructor(private readonly max: number) {}

  has(key: string): boolean {
    return this.seen.has(key);
  }

  add(key: string): void {
    this.seen.add(key);
    // A Set iterates in insertion order: the oldest goes first.
    if (this.seen.size > this.max) this.seen.delete(this.seen.values().next().value!);
  }
}

export class ReadOnlyCommands {
  private readonly recent = new RecentEvents(20_000);

  constructor(
    private readonly services: Services,
    private readonly deps: StageDeps,
  ) {}

  /** Remembers an event handled the ordinary way, so a redelivery taking this path is still a duplicate. */
  remember(event: InboundEvent): void {
    this.recent.add(keyOf(event));
  }

  /** The command's result, or undefined when it must run the ordinary way. */
  run(event: InboundEvent, parsed: Parsed, inboxId: number | undefined): HandleResult | undefined {
    const { transient } = this.services;
    if (!transient?.canSend(event.platform)) return undefined;
    if (this.recent.has(keyOf(event))) return { outcome: "duplicate" };
    return readScope(this.services.db, () => {
      const actor = knownActor(this.services, event);
      if (!actor) return undefined;
      const ctx0 = new CommandContext(this.services, event, actor, undefined, { readOnly: true });
      const verdict = decide({ ctx: ctx0, event, parsed }, this.deps);
      if (verdict.outcome !== "ok" || !verdict.run?.command?.readOnly) return undefined;
      const ctx = new CommandContext(this.services, event, actor, verdict.run.command, { readOnly: true });
      const replies = answer(ctx, verdict.run.handler);
      if (!replies || !replies.every((r) => transient.canSend(r.target.platform))) return undefined;
      for (const reply of replies) transient.send(reply.target, reply.message, reply.channel);
      this.recent.add(keyOf(event));
      this.services.recentUse?.note(actor.memberId, verdict.run.name, ctx.now);
      if (inboxId !== undefined) this.settleInbox(event, ctx.now, actor.memberId, verdict.run.name, inboxId);
      return { outcome: "ok", command: verdict.run.name };
    });
  }

  /**
   * The event came through a durable inbox: its row goes (with a ledger row,
   * as the platform may deliver it again) with the next transaction.
   */
  private settleInbox(event: InboundEvent, now: number, memberId: number, command: string, inboxId: number): void {
    const { db } = this.services;
    deferWrite(db, {
      write: () => {
        deleteInbox(db, inboxId);
        recordInbound(db, { platform: event.platform, eventId: event.eventId, receivedAt: now, memberId, command, outcome: "ok" });
      },
      failed: (err) => this.services.log.warn({ err }, "could not settle a read-only command's inbox row; it may be answered again after a restart"),
    });
  }
}

/** Runs the handler for its answer: undefined if it needed to write (or refused, or failed: the ordinary path records those). */
function answer(ctx: CommandContext, handler: (ctx: CommandContext) => void): readonly TransientReply[] | undefined {
  try {
    handler(ctx);
    return ctx.transientReplies;
  } catch {
    // NeedsWrite, a refusal or a bug: the ordinary path runs it again and records what happens.
    return undefined;
  }
}

/** The sender, if the bot knows them under the name they have now (else meeting them is a write). */
function knownActor(services: Services, event: InboundEvent): Actor | undefined {
  const identity = findIdentity(services.db, event.platform, event.sender.platformId);
  if (!identity || (event.sender.displayName && identity.displayName !== event.sender.displayName)) return undefined;
  const member: Member | undefined = getMember(services.db, identity.memberId);
  if (!member) return undefined;
  return { memberId: member.id, displayName: member.displayName, platform: event.platform, platformId: event.sender.platformId };
}

const keyOf = (event: InboundEvent) => `${event.platform}\u0000${event.eventId}`;
