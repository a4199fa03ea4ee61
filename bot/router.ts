// The inbound pipeline: decide (bot/command-stages.ts), record the event
// (the ledger row is the dedupe), act, all in one transaction with the
// messages it sends. No input crashes the process: refusals become replies,
// bugs become an apology with a reference that is also in the log.
//
// Acting is optimistic: the handler runs without a savepoint of its own; if
// it refuses or fails, everything is rolled back and the event is recorded
// again with only its reply. Events waiting together are applied in one
// transaction (group commit), one savepoint each, so a refusal or a bug
// undoes only its own command.
import { inSavepoint, inTransaction } from "../db/connection.ts";
import { recordInbound } from "../db/inbound.ts";
import { deleteInbox } from "../db/inbox.ts";
import { ensureMember } from "../db/members.ts";
import type { ListenerSpec, RoomGuardSpec } from "./capability.ts";
import { CommandError, usageOf } from "./command.ts";
import { decide, type Outcome, parse, type Parsed, type StageDeps, type Verdict } from "./command-stages.ts";
import { type Actor, CommandContext, type Services } from "./context.ts";
import type { InboundEvent } from "./events.ts";
import { errorReference } from "./log.ts";
import { cmd } from "./markup.ts";
import { RateLimiter } from "./rate-limit.ts";
import { ReadOnlyCommands } from "./read-only.ts";

export { describeAllow, MAX_COMMAND_LENGTH, type Outcome } from "./command-stages.ts";

export interface HandleResult {
  outcome: Outcome;
  command?: string;
  /** Set when a bug was caught: the reference given to the user and logged. */
  errorRef?: string;
}

/** One waiting event; `inboxId`: its row in the durable inbox, deleted with its effects. */
export interface Arrival {
  event: InboundEvent;
  inboxId?: number;
}

/** A handler refused or failed: the first attempt is rolled back, and this is what the second records. */
class Undone extends Error {
  constructor(readonly result: HandleResult & { reply: string }) {
    super(result.outcome);
  }
}

export class Router {
  private readonly deps: StageDeps;
  private readonly readOnly: ReadOnlyCommands;

  constructor(
    private readonly services: Services,
    private readonly listeners: readonly ListenerSpec[] = [],
    private readonly guards: readonly RoomGuardSpec[] = [],
  ) {
    // Per-member command rate (bot/rate-limit.ts); clicks are commands too.
    this.deps = { registry: services.registry, listeners, limiter: new RateLimiter(services.config.limits.commands) };
    this.readOnly = new ReadOnlyCommands(services, this.deps);
  }

  /**
   * `inboxId`: the event was stored in the durable inbox before the platform
   * was told it arrived; its row is deleted in the transaction that records
   * the event, so a crash leaves it either waiting (and run at the next
   * start) or handled, never both.
   */
  handle(event: InboundEvent, inboxId?: number): HandleResult {
    const parsed = event.addressed && !event.edits ? parse(this.services.registry, event) : undefined;
    if (parsed?.found?.command.readOnly && !this.guardFor(event)) {
      const result = this.readOnly.run(event, parsed, inboxId);
      if (result) return result;
    }
    const arrival = { event, inboxId };
    const { db } = this.services;
    try {
      // No savepoint: if the handler refuses, the whole transaction goes and a second one records the refusal.
      return inTransaction(db, () => this.apply(arrival, parsed, "whole"));
    } catch (err) {
      if (!(err instanceof Undone)) return this.failed(event, inboxId, err);
      try {
        return inTransaction(db, () => this.recordUndone(arrival, this.guardFor(event), err.result));
      } catch (again) {
        return this.failed(event, inboxId, again);
      }
    }
  }

  /**
   * Events that arrived together, in one transaction: one BEGIN and one
   * COMMIT (one fsync with synchronous=FULL) for all of them. If the
   * transaction itself fails, each is tried again on its own.
   */
  handleMany(arrivals: readonly Arrival[]): HandleResult[] {
    if (arrivals.length <= 1) return arrivals.map((a) => this.handle(a.event, a.inboxId));
    const { db } = this.services;
    try {
      return inTransaction(db, () =>
        arrivals.map((arrival) => {
          const parsed = arrival.event.addressed && !arrival.event.edits ? parse(this.services.registry, arrival.event) : undefined;
          return inSavepoint(db, () => this.apply(arrival, parsed, "savepoint"));
        }),
      );
    } catch (err) {
      this.services.log.warn({ err, events: arrivals.length }, "a batch of events could not be committed together; trying each on its own");
      return arrivals.map((a) => this.handle(a.event, a.inboxId));
    }
  }

  /**
   * Inside a transaction: the event's whole effect, or its refusal. `undo`:
   * what a refusal rolls back: the "whole" transaction (the caller records
   * the refusal in a new one), or a "savepoint" of its own (in a batch).
   */
  private apply(arrival: Arrival, parsed: Parsed | undefined, undo: "whole" | "savepoint"): HandleResult {
    const { event } = arrival;
    const guard = this.guardFor(event);
    if (event.edits || (!event.addressed && guard)) return this.guardOnly(arrival, guard);
    if (!event.addressed) return this.listen(arrival);
    if (parsed?.found?.command.readOnly) this.readOnly.remember(event);
    if (undo === "whole") return this.runCommand(arrival, parsed!, guard);
    try {
      return inSavepoint(this.services.db, () => this.runCommand(arrival, parsed!, guard));
    } catch (err) {
      if (!(err instanceof Undone)) throw err;
      return this.recordUndone(arrival, guard, err.result);
    }
  }

  private runCommand(arrival: Arrival, parsed: Parsed, guard: RoomGuardSpec | undefined): HandleResult {
    const { event } = arrival;
    this.consume(arrival);
    const ctx0 = this.contextFor(event);
    const verdict = decide({ ctx: ctx0, event, parsed }, this.deps);
    if (!this.record(ctx0, verdict.outcome, verdict.recorded)) {
      if (parsed.rate) this.deps.limiter.giveBack(ctx0.actor.memberId, parsed.rate);
      return { outcome: "duplicate" };
    }
    // Before anything else, and outside the handler: a refusal can't undo it.
    if (guard) guard.run(ctx0, event.messageRef !== undefined);
    if (!verdict.run) {
      if (verdict.reply) ctx0.reply(verdict.reply);
      return { outcome: verdict.outcome, ...(verdict.recorded && !verdict.recorded.startsWith("listener:") ? { command: verdict.recorded } : {}) };
    }
    const ctx = verdict.run.command ? new CommandContext(this.services, event, ctx0.actor, verdict.run.command) : ctx0;
    this.runHandler(ctx, verdict);
    return { outcome: "ok", command: verdict.run.name };
  }

  /** Runs the handler; a refusal or a bug undoes the whole attempt (see Undone). */
  private runHandler(ctx: CommandContext, verdict: Verdict): void {
    const { name, command, handler } = verdict.run!;
    try {
      handler(ctx);
    } catch (err) {
      if (err instanceof CommandError) {
        const reply = err.showUsage && command ? `${err.message}\nUsage: ${cmd(usageOf(command))}` : err.message;
        throw new Undone({ outcome: "refused", command: name, reply });
      }
      const errorRef = errorReference();
      this.services.log.error({ err, errorRef, command: name, eventId: ctx.event.eventId, platform: ctx.event.platform, memberId: ctx.actor.memberId }, "command handler failed");
      throw new Undone({ outcome: "error", command: name, errorRef, reply: `Sorry, something went wrong on my side and nothing was changed. If it keeps happening, give an admin this reference: ${errorRef}` });
    }
  }

  /** The second attempt after a refusal or a bug: the event, the guard's say, and the reply. */
  private recordUndone(arrival: Arrival, guard: RoomGuardSpec | undefined, result: HandleResult & { reply: string }): HandleResult {
    this.consume(arrival);
    const ctx = this.contextFor(arrival.event);
    if (!this.record(ctx, result.outcome, result.command ?? null)) return { outcome: "duplicate" };
    if (guard) guard.run(ctx, arrival.event.messageRef !== undefined);
    ctx.reply(result.reply);
    const { reply: _reply, ...rest } = result;
    return rest;
  }

  /** The transaction itself failed (disk full, database locked for too long). */
  private failed(event: InboundEvent, inboxId: number | undefined, err: unknown): HandleResult {
    const errorRef = errorReference();
    this.services.log.error({ err, errorRef, eventId: event.eventId, platform: event.platform }, "inbound event failed outside a handler");
    this.apologise({ event, inboxId }, errorRef);
    return { outcome: "error", errorRef };
  }

  /**
   * Best effort: if even this fails, the log line above is what remains, and
   * a stored event stays in the inbox for the next start.
   */
  private apologise(arrival: Arrival, errorRef: string): void {
    try {
      inTransaction(this.services.db, () => {
        this.consume(arrival);
        this.contextFor(arrival.event).reply(`Sorry, something went wrong on my side and nothing was changed. Reference: ${errorRef}`);
      });
    } catch (err) {
      this.services.log.error({ err, errorRef }, "could not queue the apology either");
    }
  }

  private consume(arrival: Arrival): void {
    if (arrival.inboxId !== undefined) deleteInbox(this.services.db, arrival.inboxId);
  }

  /** The ledger row: false when the event was recorded before (a redelivery). */
  private record(ctx: CommandContext, outcome: Outcome, command: string | null): boolean {
    const { event } = ctx;
    return recordInbound(this.services.db, { platform: event.platform, eventId: event.eventId, receivedAt: ctx.now, memberId: ctx.actor.memberId, command, outcome });
  }

  /** The guard a message others in the room can read trips, if any. */
  private guardFor(event: InboundEvent): RoomGuardSpec | undefined {
    if (event.room.kind === "dm" || !event.visibleInRoom || event.button) return undefined;
    return this.guards.find((g) => g.matches(event, this.services.config));
  }

  /** An edit, or a message not typed to the bot: only a guard acts on it (an edit never runs a command again). */
  private guardOnly(arrival: Arrival, guard: RoomGuardSpec | undefined): HandleResult {
    this.consume(arrival);
    if (!guard) return { outcome: "ignored" };
    const ctx = this.contextFor(arrival.event);
    if (!this.record(ctx, "ok", `guard:${guard.name}`)) return { outcome: "duplicate" };
    guard.run(ctx, arrival.event.messageRef !== undefined);
    return { outcome: "ok", command: `guard:${guard.name}` };
  }

  private listen(arrival: Arrival): HandleResult {
    this.consume(arrival);
    const matching = this.listeners.filter((l) => l.matches(arrival.event));
    if (matching.length === 0) return { outcome: "ignored" };
    const ctx = this.contextFor(arrival.event);
    const listener = matching.find((l) => l.claims?.(ctx) ?? true);
    if (!listener) return { outcome: "ignored" };
    const name = `listener:${listener.name}`;
    if (!this.record(ctx, "ok", name)) return { outcome: "duplicate" };
    try {
      inSavepoint(this.services.db, () => listener.run(ctx));
      return { outcome: "ok", command: name };
    } catch (err) {
      if (err instanceof CommandError) {
        ctx.reply(err.message);
        return { outcome: "refused", command: name };
      }
      const errorRef = errorReference();
      this.services.log.error({ err, errorRef, command: name, eventId: ctx.event.eventId, platform: ctx.event.platform, memberId: ctx.actor.memberId }, "listener failed");
      ctx.reply(`Sorry, something went wrong on my side and nothing was changed. If it keeps happening, give an admin this reference: ${errorRef}`);
      return { outcome: "error", command: name, errorRef };
    }
  }

  private contextFor(event: InboundEvent): CommandContext {
    const { db, clock } = this.services;
    const member = ensureMember(db, event.platform, event.sender.platformId, event.sender.displayName, clock.now());
    const actor: Actor = { memberId: member.id, displayName: member.displayName, platform: event.platform, platformId: event.sender.platformId };
    return new CommandContext(this.services, event, actor);
  }
}
