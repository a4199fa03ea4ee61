// The seam between the core and a platform. An adapter turns platform events
// into InboundEvents (calling `core.receive`) and delivers outbox messages.
import type { Delivery, InboundEvent, Platform } from "./events.ts";
import type { Inbox } from "./inbox.ts";
import type { Arrival, HandleResult } from "./router.ts";

export interface AdapterCapabilities {
  buttons: boolean;
  ephemeral: boolean;
  edit: boolean;
  /** The bot can let a member into a room (`invite` deliveries) and take them out (`uninvite`). */
  invite?: boolean;
  /** Messages can carry a file (`OutboundMessage.file`) as a file, not as text. */
  files?: boolean;
}

/** What the core offers an adapter. */
export interface CorePort {
  /**
   * Handles one inbound event (deduped, transactional) and wakes the
   * dispatcher. `inboxId`: the event came from the durable inbox, and its
   * row is deleted in the same transaction as the event's effects.
   */
  receive(event: InboundEvent, opts?: { inboxId?: number }): HandleResult;
  /** Events that arrived together, in order, applied in one transaction with a savepoint each (group commit). */
  receiveMany(arrivals: readonly Arrival[]): HandleResult[];
  /**
   * Where an adapter stores a payload before it tells the platform it
   * arrived (see bot/inbox.ts): nothing acknowledged is lost to a crash.
   */
  readonly inbox: Pick<Inbox, "accept" | "done" | "leftovers">;
  /** Someone renamed themselves on the platform (Slack's user_change, a Matrix member event): later messages use the new name. */
  renamed(platform: Platform, platformId: string, displayName: string): void;
  /** The outbox row behind a platform message (to map a reaction on it to its buttons). */
  messageByRef(platform: Platform, ref: string): { id: number; buttons: { label: string; command: string }[]; key?: string } | undefined;
}

export interface Adapter {
  readonly platform: Platform;
  readonly capabilities: AdapterCapabilities;
  /** How a typed command is shown to users of this platform: `/coop `, `!coop `, `/`. */
  readonly commandPrefix: string;
  /** Minimum gap between two messages to one channel (Slack asks for ~1 s). */
  readonly minIntervalMs?: number;
  start(core: CorePort): Promise<void>;
  /**
   * Whether the platform can reach the bot and the bot the platform right
   * now (`/readyz`). An adapter without it (the console) is always connected.
   */
  connected?(): boolean;
  /**
   * The first step of a graceful stop: take nothing new from the platform
   * (close the socket or the listener, stop syncing) and let what was
   * already taken in reach the core, while `deliver` keeps working so the
   * outbox can still be flushed. `stop` follows. Without it, intake stops
   * only at `stop`.
   */
  stopIntake?(): Promise<void>;
  stop(): Promise<void>;
  /** Sends (or edits) one message; resolves with the platform's reference for it. */
  deliver(delivery: Delivery): Promise<{ ref?: string }>;
}

/**
 * Thrown by `deliver` so the dispatcher knows what to do: wait exactly
 * `retryAfterMs` (rate limit), give up (`permanent`: the channel is gone),
 * or back off and retry (anything else: an outage).
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly opts: { retryAfterMs?: number; permanent?: boolean } = {},
  ) {
    super(message);
    this.name = "DeliveryError";
  }
}
