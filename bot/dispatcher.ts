// Sends outbox messages through the adapters. At-least-once: a row is marked
// sent only after the platform accepted it, so a crash in between resends
// rather than drops. Order is kept per channel; channels (and so platforms)
// never wait for each other.
import { inTransaction } from "../db/connection.ts";
import { identitiesOf, getMember } from "../db/members.ts";
import {
  duePending,
  firstPendingInChannel,
  getOutboxRow,
  lease,
  markFinal,
  markRetry,
  markSent,
  nextRetryAt,
  type OutboxRow,
} from "../db/outbox.ts";
import { type Adapter, DeliveryError } from "./adapter.ts";
import type { Services } from "./context.ts";
import type { Delivery, OutboundMessage, Platform, Target } from "./events.ts";
import { mentionedMembers } from "./markup.ts";

export interface DispatcherOptions {
  /** How long a dispatcher holds a row while sending it; another process may take it after. */
  leaseMs?: number;
  /** Real-time pause for per-channel pacing (tests and replays pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Real elapsed time for pacing; not the bot's clock, which replays move by hand. */
  monotonic?: () => number;
  onPermanentFailure?: (row: OutboxRow, error: string) => void;
}

const MAX_BACKOFF_MS = 5 * 60_000;
export const retryBackoffMs = (attempts: number) => Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);

export class Dispatcher {
  private readonly adapters = new Map<Platform, Adapter>();
  private readonly lastSent = new Map<string, number>();
  private running: Promise<number> | undefined;
  private rerun = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly leaseMs: number;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly monotonic: () => number;

  constructor(
    private readonly services: Services,
    private readonly opts: DispatcherOptions = {},
  ) {
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.monotonic = opts.monotonic ?? (() => performance.now());
  }

  attach(adapter: Adapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  detach(platform: Platform): void {
    this.adapters.delete(platform);
  }

  /** Wake up soon; cheap to call after every commit. */
  kick(): void {
    void this.drain().catch((err) => this.services.log.error({ err }, "outbox drain failed"));
  }

  /** Sends everything due now. Concurrent calls share one pass (and ask for one more). */
  drain(): Promise<number> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      let total = 0;
      try {
        do {
          this.rerun = false;
          const sent = await this.pass();
          total += sent;
          if (sent > 0) this.rerun = true;
        } while (this.rerun);
      } finally {
        this.running = undefined;
      }
      return total;
    })();
    return this.running;
  }

  /** Polls for retries that fall due later (rate limits, outages). */
  start(intervalMs = 1000): void {
    this.stop();
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The next time a waiting message may be retried (for replays that move the clock). */
  nextRetryAt(): number | undefined {
    return nextRetryAt(this.services.db, [...this.adapters.keys()]);
  }

  private async pass(): Promise<number> {
    const platforms = [...this.adapters.keys()];
    if (platforms.length === 0) return 0;
    const rows = duePending(this.services.db, platforms, this.services.clock.now(), 500);
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
    const counts = await Promise.all([...byChannel.values()].map((queue) => this.sendChannel(queue)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** One channel's messages, in order; stops at the first that can't go now. */
  private async sendChannel(queue: OutboxRow[]): Promise<number> {
    const { db, clock } = this.services;
    let sent = 0;
    for (const row of queue) {
      if (firstPendingInChannel(db, row.channel) !== row.id) break;
      const now = clock.now();
      if (!lease(db, row.id, now, now + this.leaseMs)) break;
      const adapter = this.adapters.get(row.platform as Platform)!;
      await this.pace(row.channel, adapter.minIntervalMs ?? 0);
      const delivery = this.toDelivery(row);
      if (!delivery) continue;
      try {
        const result = await adapter.deliver(delivery);
        this.lastSent.set(row.channel, this.monotonic());
        inTransaction(db, () => markSent(db, row.id, clock.now(), result.ref));
        sent++;
      } catch (err) {
        // A message given up for good no longer holds its channel back.
        if (this.recordFailure(row, err) === "gave-up") continue;
        break;
      }
    }
    return sent;
  }

  private async pace(channel: string, intervalMs: number): Promise<void> {
    const last = this.lastSent.get(channel);
    if (last === undefined || intervalMs <= 0) return;
    const wait = last + intervalMs - this.monotonic();
    if (wait > 0) await this.sleep(wait);
  }

  private toDelivery(row: OutboxRow): Delivery | undefined {
    const { db } = this.services;
    const target = JSON.parse(row.target) as Target;
    const message = JSON.parse(row.message) as OutboundMessage;
    let editsRef: string | undefined = message.removes;
    if (row.kind === "update") {
      const original = row.updatesId === null ? undefined : getOutboxRow(db, row.updatesId);
      if (!original?.platformRef) {
        markFinal(db, row.id, "skipped", "the message to edit was never sent");
        return undefined;
      }
      editsRef = original.platformRef;
    }
    return { id: row.id, kind: row.kind as Delivery["kind"], target, message, editsRef, mentions: this.resolveMentions(message.text, target.platform) };
  }

  private resolveMentions(text: string, platform: Platform): Delivery["mentions"] {
    const out: Delivery["mentions"] = {};
    for (const id of mentionedMembers(text)) {
      const member = getMember(this.services.db, id);
      const identity = identitiesOf(this.services.db, id).find((i) => i.platform === platform);
      out[id] = { displayName: identity?.displayName ?? member?.displayName ?? `member ${id}`, platformId: identity?.platformId };
    }
    return out;
  }

  private recordFailure(row: OutboxRow, err: unknown): "gave-up" | "will-retry" {
    const { db, clock, log } = this.services;
    const now = clock.now();
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DeliveryError && err.opts.permanent) {
      log.warn({ outboxId: row.id, channel: row.channel, error: message }, "message could not be delivered; giving up");
      inTransaction(db, () => markFinal(db, row.id, "failed", message));
      this.opts.onPermanentFailure?.(row, message);
      return "gave-up";
    }
    const rateLimited = err instanceof DeliveryError && err.opts.retryAfterMs !== undefined;
    const wait = rateLimited ? (err as DeliveryError).opts.retryAfterMs! : retryBackoffMs(row.attempts);
    log.warn({ outboxId: row.id, channel: row.channel, error: message, retryInMs: wait, rateLimited }, "message delivery will be retried");
    inTransaction(db, () => markRetry(db, row.id, now + wait, message, !rateLimited));
    return "will-retry";
  }
}
