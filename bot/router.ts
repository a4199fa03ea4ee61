// The inbound pipeline: dedupe, identify, parse, check permission, run the
// handler in one transaction with the messages it sends. No input crashes
// the process: refusals become replies, bugs become an apology with a
// reference that is also in the log.
import { inSavepoint, inTransaction } from "../db/connection.ts";
import { recordInbound, wasSeen } from "../db/inbound.ts";
import { deleteInbox } from "../db/inbox.ts";
import { ensureMember } from "../db/members.ts";
import { bindArgs } from "./binder.ts";
import type { ListenerSpec, RoomGuardSpec } from "./capability.ts";
import { type AnyCommand, CommandError, usageOf } from "./command.ts";
import { type Actor, CommandContext, type Services } from "./context.ts";
import type { InboundEvent } from "./events.ts";
import { tokenize } from "./grammar.ts";
import { errorReference } from "./log.ts";
import { cmd } from "./markup.ts";
import { RateLimiter } from "./rate-limit.ts";

export type Outcome = "ok" | "duplicate" | "ignored" | "unknown" | "denied" | "invalid" | "refused" | "limited" | "error";

export interface HandleResult {
  outcome: Outcome;
  command?: string;
  /** Set when a bug was caught: the reference given to the user and logged. */
  errorRef?: string;
}

/** Longest accepted command text; anything longer is refused before parsing. */
export const MAX_COMMAND_LENGTH = 8000;

export class Router {
  /** Per-member command rate (bot/rate-limit.ts); clicks are commands too. */
  private readonly limiter: RateLimiter;

  constructor(
    private readonly services: Services,
    private readonly listeners: readonly ListenerSpec[] = [],
    private readonly guards: readonly RoomGuardSpec[] = [],
  ) {
    this.limiter = new RateLimiter(services.config.limits.commands);
  }

  /**
   * `inboxId`: the event was stored in the durable inbox before the platform
   * was told it arrived; its row is deleted in the transaction that records
   * the event, so a crash leaves it either waiting (and run at the next
   * start) or handled, never both.
   */
  handle(event: InboundEvent, inboxId?: number): HandleResult {
    const { db, log } = this.services;
    const consume = () => {
      if (inboxId !== undefined) deleteInbox(db, inboxId);
    };
    try {
      if (wasSeen(db, event.platform, event.eventId)) {
        consume();
        return { outcome: "duplicate" };
      }
      const guard = this.guardFor(event);
      if (event.edits || (!event.addressed && guard)) return this.guardOnly(event, guard, consume);
      if (!event.addressed) return this.listen(event, consume);
      return inTransaction(db, () => {
        consume();
        if (guard) this.runGuard(guard, event);
        return this.runCommand(event);
      });
    } catch (err) {
      // The transaction itself failed (disk full, database locked for too long).
      const errorRef = errorReference();
      log.error({ err, errorRef, eventId: event.eventId, platform: event.platform }, "inbound event failed outside a handler");
      this.apologise(event, errorRef, consume);
      return { outcome: "error", errorRef };
    }
  }

  /**
   * Best effort: if even this fails, the log line above is what remains, and
   * a stored event stays in the inbox for the next start.
   */
  private apologise(event: InboundEvent, errorRef: string, consume: () => void): void {
    try {
      inTransaction(this.services.db, () => {
        consume();
        this.contextFor(event).reply(`Sorry, something went wrong on my side and nothing was changed. Reference: ${errorRef}`);
      });
    } catch (err) {
      this.services.log.error({ err, errorRef }, "could not queue the apology either");
    }
  }

  private runCommand(event: InboundEvent): HandleResult {
    const ctx0 = this.contextFor(event);
    const record = (outcome: Outcome, command: string | null): boolean =>
      recordInbound(this.services.db, { platform: event.platform, eventId: event.eventId, receivedAt: ctx0.now, memberId: ctx0.actor.memberId, command, outcome });

    // Too fast: recorded (a redelivery is still a duplicate), and nothing else but one notice per burst.
    const rate = this.limiter.take(ctx0.actor.memberId, ctx0.now);
    if (rate !== "allow") {
      if (!record("limited", null)) return { outcome: "duplicate" };
      if (rate === "warn") ctx0.reply(this.limiter.notice());
      return { outcome: "limited" };
    }
    if (event.text.length > MAX_COMMAND_LENGTH) {
      if (!record("invalid", null)) return { outcome: "duplicate" };
      ctx0.reply(`That message is too long for a command (${event.text.length} characters; the limit is ${MAX_COMMAND_LENGTH}).`);
      return { outcome: "invalid" };
    }
    const tokens = tokenize(event.text);
    const found = this.services.registry.lookup(tokens);
    if (!found) {
      // `/coop #action @bea send the minutes`: a line a listener understands,
      // typed to the bot (on Slack the bot hears nothing else in a channel).
      const listener = this.listeners.find((l) => l.matches(event));
      if (listener) {
        if (!record("ok", `listener:${listener.name}`)) return { outcome: "duplicate" };
        return this.runHandler(ctx0, `listener:${listener.name}`, () => listener.run(ctx0));
      }
      if (!record(tokens.length ? "unknown" : "ok", null)) return { outcome: "duplicate" };
      ctx0.reply(this.unknownCommandReply(ctx0, event.text));
      return { outcome: tokens.length ? "unknown" : "ok" };
    }
    const { command, rest } = found;
    const bound = bindArgs(command, rest, event.text);
    const scope = bound.ok && command.scope ? safeScope(ctx0, command, bound.args) : undefined;
    if (!ctx0.can(command.allow, scope)) {
      if (!record("denied", command.name)) return { outcome: "duplicate" };
      ctx0.reply(`Sorry, \`${command.name}\` is for ${describeAllow(command)}.`);
      return { outcome: "denied", command: command.name };
    }
    if (!bound.ok) {
      if (!record("invalid", command.name)) return { outcome: "duplicate" };
      ctx0.reply(`${capitalise(bound.error)}.\nUsage: ${cmd(usageOf(command))}`);
      return { outcome: "invalid", command: command.name };
    }
    if (!record("ok", command.name)) return { outcome: "duplicate" };
    const ctx = new CommandContext(this.services, event, ctx0.actor, command);
    return this.runHandler(ctx, command.name, () => command.run(ctx, bound.args), command);
  }

  /** The guard a message others in the room can read trips, if any. */
  private guardFor(event: InboundEvent): RoomGuardSpec | undefined {
    if (event.room.kind === "dm" || !event.visibleInRoom || event.button) return undefined;
    return this.guards.find((g) => g.matches(event, this.services.config));
  }

  /** Before anything else in the transaction, outside any handler's savepoint: a refusal can't undo it. */
  private runGuard(guard: RoomGuardSpec, event: InboundEvent): void {
    const ctx = this.contextFor(event);
    guard.run(ctx, event.messageRef !== undefined);
  }

  /** An edit, or a message not typed to the bot: only a guard acts on it (an edit never runs a command again). */
  private guardOnly(event: InboundEvent, guard: RoomGuardSpec | undefined, consume: () => void): HandleResult {
    if (!guard) {
      consume();
      return { outcome: "ignored" };
    }
    return inTransaction(this.services.db, () => {
      consume();
      const ctx = this.contextFor(event);
      if (!recordInbound(this.services.db, { platform: event.platform, eventId: event.eventId, receivedAt: ctx.now, memberId: ctx.actor.memberId, command: `guard:${guard.name}`, outcome: "ok" })) {
        return { outcome: "duplicate" };
      }
      guard.run(ctx, event.messageRef !== undefined);
      return { outcome: "ok", command: `guard:${guard.name}` };
    });
  }

  private listen(event: InboundEvent, consume: () => void): HandleResult {
    const listener = this.listeners.find((l) => l.matches(event));
    if (!listener) {
      consume();
      return { outcome: "ignored" };
    }
    return inTransaction(this.services.db, () => {
      consume();
      const ctx = this.contextFor(event);
      const fresh = recordInbound(this.services.db, { platform: event.platform, eventId: event.eventId, receivedAt: ctx.now, memberId: ctx.actor.memberId, command: `listener:${listener.name}`, outcome: "ok" });
      if (!fresh) return { outcome: "duplicate" };
      return this.runHandler(ctx, `listener:${listener.name}`, () => listener.run(ctx));
    });
  }

  /**
   * Runs the handler inside a savepoint: a refusal or a bug rolls back
   * everything it wrote (and every message it queued), then the reply
   * explaining why is queued in the outer transaction.
   */
  private runHandler(ctx: CommandContext, name: string, run: () => void, command?: AnyCommand): HandleResult {
    const { db, log } = this.services;
    try {
      inSavepoint(db, run);
      return { outcome: "ok", command: name };
    } catch (err) {
      if (err instanceof CommandError) {
        ctx.reply(err.showUsage && command ? `${err.message}\nUsage: ${cmd(usageOf(command))}` : err.message);
        return { outcome: "refused", command: name };
      }
      const errorRef = errorReference();
      log.error({ err, errorRef, command: name, eventId: ctx.event.eventId, platform: ctx.event.platform, memberId: ctx.actor.memberId }, "command handler failed");
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

  private unknownCommandReply(ctx: CommandContext, text: string): string {
    const tokens = tokenize(text);
    if (tokens.length === 0) return `Hello! Type ${cmd("help")} to see what I can do.`;
    const registry = this.services.registry;
    const first = tokens[0]!.value.toLowerCase();
    const family = registry.under(first).filter((c) => ctx.can(c.allow));
    if (family.length > 0) {
      return `\`${first}\` needs one more word: ${family.map((c) => cmd(c.name)).join(", ")}.`;
    }
    const suggestion = registry.suggest(tokens, (c) => ctx.can(c.allow));
    const typed = tokens[0]!.value;
    return suggestion
      ? `I don't know \`${typed}\`. Did you mean ${cmd(suggestion)}? (${cmd("help")} lists everything.)`
      : `I don't know \`${typed}\`. Type ${cmd("help")} to see what I can do.`;
  }
}

function safeScope(ctx: CommandContext, command: AnyCommand, args: Record<string, unknown>): string | undefined {
  try {
    return command.scope!(ctx, args);
  } catch {
    return undefined;
  }
}

export function describeAllow(command: AnyCommand): string {
  if (command.allow === "everyone") return "everyone";
  const names = command.allow.map((r) => (r === "admin" ? "admins" : `${r}s`));
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

const capitalise = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
