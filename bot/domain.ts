// Facts one capability announces and others act on, inside the same
// transaction: meetings and the clinic emit, actions records recognition.
// Adding an event is adding its payload type here.
import type { BaseContext } from "./context.ts";

export interface DomainEvents {
  /** A member lost a role (`role revoke`, or an admin dropped from the config): whatever needed it must let go now. */
  "role.revoked": { memberId: number; role: string; scope: string; by: number | null };
  /** A member stopped being in a group: they left, or a driver or admin removed them. */
  "group.left": { memberId: number; groupId: number; by: number };
  /** A driver recorded that a member attended a meeting occurrence. */
  "meeting.attended": { memberId: number; groupId: number; meetingId: number; occurrence: string; recordedBy: number };
  /** A clinic handoff was resolved: the adviser and the triager did federation work. */
  "clinic.handoff-resolved": { adviserId: number; triagerId: number | null; enquiryRef: string; category: string | null; hours?: number };
  /**
   * Someone greeted the bot ("hello"), in a command's context. A capability
   * that answers the greeting itself (the welcome tour, for someone the bot
   * hasn't met) sets `answered`; whoever emitted it then says nothing more.
   * Ask with `greetingAnswered` below.
   */
  "member.greeted": { memberId: number; answered: boolean };
}

export type DomainEventName = keyof DomainEvents;

/**
 * Whatever answers a greeting (a `hello` command, or the welcome tour's
 * listener while there is none) asks this first: true when a capability
 * answered it already, and the plain hello should not be said as well.
 * Answering may write (the tour starts), so ask it only from a command that
 * may write: a `hello` command can't be `readOnly`.
 */
export function greetingAnswered(ctx: BaseContext, memberId: number): boolean {
  const greeted = { memberId, answered: false };
  ctx.emit("member.greeted", greeted);
  return greeted.answered;
}

export type DomainHandler<E extends DomainEventName> = (ctx: BaseContext, payload: DomainEvents[E]) => void;

export type DomainHandlers = { [E in DomainEventName]?: DomainHandler<E> };

/** Routes emitted events to every capability that handles them, in registration order. */
export class DomainBus {
  private readonly handlers: { [E in DomainEventName]?: DomainHandler<E>[] } = {};

  subscribe(handlers: DomainHandlers): void {
    for (const name of Object.keys(handlers) as DomainEventName[]) {
      const list = (this.handlers[name] ??= []) as DomainHandler<typeof name>[];
      list.push(handlers[name] as DomainHandler<typeof name>);
    }
  }

  emit<E extends DomainEventName>(ctx: BaseContext, name: E, payload: DomainEvents[E]): number {
    const list = (this.handlers[name] ?? []) as DomainHandler<E>[];
    for (const handler of list) handler(ctx, payload);
    return list.length;
  }
}

/**
 * A figure the federation tracks against its strategy's targets
 * (`progress`). Each capability contributes the figures it knows about.
 */
export interface MetricSpec {
  key: string;
  label: string;
  /**
   * The figure for a period (`from` undefined = since the start). A metric
   * shown in `recognition` is also asked for one group (`groupId`).
   */
  compute(ctx: BaseContext, range: { from?: number; to: number; groupId?: number }): number;
  /** How the figure reads, when not as a plain count (a median of days; NaN when there is nothing to take one of). */
  format?(value: number): string;
  /** Also shown in `recognition`, which is for drivers as well as admins: a figure about people, never naming or ranking them. */
  inRecognition?: boolean;
  /** Shown right after this figure (another capability's), when the two read together. */
  after?: string;
}
