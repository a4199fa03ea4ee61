// What the dispatcher holds in memory: each channel's messages in order.
//
// Rows arrive two ways: handed over when the transaction that wrote them
// commits (the usual way, nothing read back), or found by a scan of the
// outbox (at start, for retries, for rows another process wrote). A
// read-only command's answer has no row at all (a "transient" message): it
// is sent from here and never stored.
import type { CommittedRow, OutboxRow } from "../db/outbox.ts";
import type { Delivery, DeliveryKind, OutboundMessage, Platform, Target } from "./events.ts";

export interface QueuedMessage {
  /** The outbox row; negative for a transient message, which has none. */
  id: number;
  /** Position in its channel: the row id, or for a transient message just after the rows queued before it. */
  order: number;
  kind: DeliveryKind;
  platform: Platform;
  channel: string;
  target: Target;
  message: OutboundMessage;
  updatesId: number | null;
  attempts: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
  createdAt: number;
  /** Resolved when it was queued (a scanned row is resolved when sent). */
  mentions?: Delivery["mentions"];
}

export const isTransient = (m: QueuedMessage) => m.id < 0;

export function fromCommitted(row: CommittedRow): QueuedMessage {
  return {
    id: row.id,
    order: row.id,
    kind: row.kind,
    platform: row.platform as Platform,
    channel: row.channel,
    target: row.target as Target,
    message: row.message as OutboundMessage,
    updatesId: row.updatesId,
    attempts: 0,
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil,
    createdAt: row.createdAt,
    mentions: row.mentions,
  };
}

export function fromScanned(row: OutboxRow): QueuedMessage {
  return {
    id: row.id,
    order: row.id,
    kind: row.kind as QueuedMessage["kind"],
    platform: row.platform as Platform,
    channel: row.channel,
    target: JSON.parse(row.target) as Target,
    message: JSON.parse(row.message) as OutboundMessage,
    updatesId: row.updatesId,
    attempts: row.attempts,
    leaseOwner: row.leaseOwner,
    leaseUntil: row.leaseUntil,
    createdAt: row.createdAt,
  };
}

/** Per platform, per channel, in order. */
export class ChannelQueues {
  private readonly byPlatform = new Map<Platform, Map<string, QueuedMessage[]>>();
  private readonly ids = new Set<number>();
  /** The newest row id seen: a transient message goes after it. */
  private lastRowId = 0;
  private transientSeq = 0;

  has(id: number): boolean {
    return this.ids.has(id);
  }

  /** Adds a message unless it is already held; keeps its channel in order. */
  add(message: QueuedMessage): void {
    if (this.ids.has(message.id)) return;
    this.ids.add(message.id);
    if (!isTransient(message)) this.lastRowId = Math.max(this.lastRowId, message.id);
    const queue = this.queue(message.platform, message.channel);
    if (queue.length === 0 || queue[queue.length - 1]!.order < message.order) queue.push(message);
    else queue.splice(queue.findIndex((m) => m.order > message.order), 0, message);
  }

  /** A message with no row, placed after every row this process knows of. */
  addTransient(platform: Platform, channel: string, target: Target, message: OutboundMessage, now: number, mentions: Delivery["mentions"]): void {
    const seq = ++this.transientSeq;
    this.add({ id: -seq, order: this.lastRowId + 1 - 1 / (seq + 1), kind: "post", platform, channel, target, message, mentions, updatesId: null, attempts: 0, leaseOwner: null, leaseUntil: null, createdAt: now });
  }

  /** The channels of a platform with something waiting. */
  channels(platform: Platform): QueuedMessage[][] {
    const channels = this.byPlatform.get(platform);
    if (!channels) return [];
    const out: QueuedMessage[][] = [];
    for (const [channel, queue] of channels) {
      if (queue.length > 0) out.push(queue);
      else channels.delete(channel);
    }
    return out;
  }

  /** Takes a message out (sent, given up, or now another process's). */
  remove(queue: QueuedMessage[], message: QueuedMessage): void {
    const at = queue.indexOf(message);
    if (at >= 0) queue.splice(at, 1);
    this.ids.delete(message.id);
  }

  /** Forgets a platform's rows (they are read again from the outbox); transient messages stay. */
  forgetRows(platform: Platform): void {
    const channels = this.byPlatform.get(platform);
    if (!channels) return;
    for (const queue of channels.values()) {
      for (let i = queue.length - 1; i >= 0; i--) {
        if (!isTransient(queue[i]!)) {
          this.ids.delete(queue[i]!.id);
          queue.splice(i, 1);
        }
      }
    }
  }

  /** Whether every id given is held here. */
  holdsAll(ids: readonly number[]): boolean {
    return ids.every((id) => this.ids.has(id));
  }

  private queue(platform: Platform, channel: string): QueuedMessage[] {
    let channels = this.byPlatform.get(platform);
    if (!channels) this.byPlatform.set(platform, (channels = new Map()));
    let queue = channels.get(channel);
    if (!queue) channels.set(channel, (queue = []));
    return queue;
  }
}
