// Sends outbox messages through the adapters. At-least-once: a row is marked
// sent only after the platform accepted it, so a crash in between resends
// rather than drops. Order is kept per channel; a platform's channels are
// sent concurrently, and platforms never wait for each other.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { inTransaction } from "../db/connection.ts";
import { identitiesOf, getMember } from "../db/members.ts";
import { forgetDispatcher, instanceId, otherDispatchers, registerDispatcher } from "../db/meta.ts";
import {
  duePending,
  firstPendingInChannel,
  getOutboxRow,
  lease,
  markFinal,
  markRetry,
  markSent,
  nextRetryAt,
  releaseLeases,
  expireLeasesOf,
  heldElsewhere,
  type OutboxRow,
} from "../db/outbox.ts";
import { type Adapter, DeliveryError } from "./adapter.ts";
import type { Services } from "./context.ts";
import type { Delivery, OutboundMessage, Platform, Target } from "./events.ts";
import { mentionedMembers } from "./markup.ts";
import { reportDeliveryFailure } from "./observe.ts";

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
  private readonly perPlatform = new Map<Platform, { running?: Promise<number>; rerun: boolean }>();
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: { at: number; handle: NodeJS.Timeout } | undefined;
  private readonly leaseMs: number;
  /** Identifies this dispatcher's leases among processes sharing the database. */
  readonly owner = randomUUID();
  /**
   * Deliveries made; rows another dispatcher took first (a lost lease);
   * channels whose earlier message (held by another process, or waiting for
   * a retry) kept this pass from sending; and passes that found nothing
   * because another live process holds what is waiting.
   */
  readonly stats = { delivered: 0, leasesLost: 0, waitedBehind: 0, heldByAnother: 0 };
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly monotonic: () => number;

  constructor(
    private readonly services: Services,
    private readonly opts: DispatcherOptions = {},
  ) {
    // Long enough to cover a slow platform call; after a crash, what the dead
    // process held is resent once this runs out.
    this.leaseMs = opts.leaseMs ?? 30_000;
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.monotonic = opts.monotonic ?? (() => performance.now());
  }

  attach(adapter: Adapter): void {
    this.adapters.set(adapter.platform, adapter);
  }

  detach(platform: Platform): void {
    this.adapters.delete(platform);
  }

  /**
   * The lease a new outbox row is born with when this dispatcher will send
   * it: claiming it later would cost a second write per message.
   */
  leaseFor(platform: Platform, now: number): { owner: string; until: number } | undefined {
    return this.adapters.has(platform) ? { owner: this.owner, until: now + this.leaseMs } : undefined;
  }

  /** Wake up soon; cheap to call after every commit. */
  kick(): void {
    void this.drain().catch((err) => this.services.log.error({ err }, "outbox drain failed"));
  }

  /**
   * Sends everything due now. Each platform drains on its own, so a platform
   * that hangs or is down never delays another's messages. Concurrent calls
   * share a platform's running pass (and ask it for one more).
   */
  async drain(): Promise<number> {
    const counts = await Promise.all([...this.adapters.keys()].map((platform) => this.drainPlatform(platform)));
    return counts.reduce((a, b) => a + b, 0);
  }

  private drainPlatform(platform: Platform): Promise<number> {
    const state = this.platformState(platform);
    if (state.running) {
      state.rerun = true;
      return state.running;
    }
    state.running = (async () => {
      let total = 0;
      try {
        do {
          state.rerun = false;
          const sent = await this.pass(platform);
          total += sent;
          if (sent > 0) state.rerun = true;
        } while (state.rerun && this.adapters.has(platform));
      } finally {
        state.running = undefined;
      }
      return total;
    })();
    return state.running;
  }

  private platformState(platform: Platform): { running?: Promise<number>; rerun: boolean } {
    let state = this.perPlatform.get(platform);
    if (!state) this.perPlatform.set(platform, (state = { rerun: false }));
    return state;
  }

  /**
   * Polls for retries that fall due later (rate limits, outages). First it
   * says who it is (so another process can tell whether it is alive) and
   * takes over at once what a dead process on this machine held, rather than
   * waiting for those leases to run out.
   */
  start(intervalMs = 1000): void {
    this.stop();
    this.registerSelf();
    this.timer = setInterval(() => this.kick(), intervalMs);
    this.timer.unref();
    // What waited for this start goes now, not at the first poll.
    this.kick();
  }

  private registerSelf(): void {
    const { db, clock, log } = this.services;
    const host = hostname();
    inTransaction(db, () => {
      registerDispatcher(db, this.owner, { pid: process.pid, host, startedAt: clock.now() });
      for (const other of otherDispatchers(db, this.owner)) {
        if (other.host !== host || isAlive(other.pid)) continue;
        const taken = expireLeasesOf(db, other.owner);
        forgetDispatcher(db, other.owner);
        if (taken > 0) log.info({ messages: taken, deadPid: other.pid }, "taking over messages a stopped process had not confirmed as sent");
      }
    });
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer.handle);
    this.timer = undefined;
    this.retryTimer = undefined;
  }

  /**
   * When running live, wake exactly when a retry falls due (a rate limit's
   * Retry-After), instead of up to a poll interval later.
   */
  private wakeAt(at: number): void {
    if (!this.timer || (this.retryTimer && this.retryTimer.at <= at)) return;
    if (this.retryTimer) clearTimeout(this.retryTimer.handle);
    const handle = setTimeout(() => {
      this.retryTimer = undefined;
      // Node's timers and the bot's clock round differently: woken a little
      // early, the retry isn't due yet, and nothing would wake us again until
      // the next poll. Sleep the rest instead.
      if (this.services.clock.now() < at) this.wakeAt(at);
      else this.kick();
    }, Math.max(1, at - this.services.clock.now()));
    handle.unref();
    this.retryTimer = { at, handle };
  }

  /** Lets another process send at once what this one holds but won't send (it is shutting down). */
  releaseHeld(): void {
    const { db } = this.services;
    inTransaction(db, () => {
      releaseLeases(db, this.owner);
      forgetDispatcher(db, this.owner);
    });
  }

  /** The next time a waiting message may be retried (for replays that move the clock). */
  nextRetryAt(): number | undefined {
    return nextRetryAt(this.services.db, [...this.adapters.keys()]);
  }

  private async pass(platform: Platform): Promise<number> {
    if (!this.adapters.has(platform)) return 0;
    const now = this.services.clock.now();
    const rows = duePending(this.services.db, [platform], this.owner, now, 500);
    if (rows.length === 0 && heldElsewhere(this.services.db, platform, this.owner, now)) this.stats.heldByAnother++;
    const byChannel = new Map<string, OutboxRow[]>();
    for (const row of rows) byChannel.set(row.channel, [...(byChannel.get(row.channel) ?? []), row]);
    // Everything the pass delivered is recorded as sent in one transaction at
    // the end (a crash before that resends it: at least once, never lost).
    const sent = new Map<number, string | undefined>();
    try {
      await Promise.all([...byChannel.values()].map((queue) => this.sendChannel(queue, sent)));
    } finally {
      if (sent.size > 0) {
        const { db, clock } = this.services;
        inTransaction(db, () => sent.forEach((ref, id) => markSent(db, id, clock.now(), ref)));
      }
    }
    return sent.size;
  }

  /** One channel's messages, in order; stops at the first that can't go now. Adds what it delivered to `sent`. */
  private async sendChannel(queue: OutboxRow[], sent: Map<number, string | undefined>): Promise<void> {
    const { db, clock } = this.services;
    let sentHere = 0;
    for (const row of queue) {
      if (firstPendingInChannel(db, row.channel, sentHere) !== row.id) {
        this.stats.waitedBehind++;
        break;
      }
      const now = clock.now();
      const held = row.leaseOwner === this.owner && (row.leaseUntil ?? 0) >= now;
      if (!held && !lease(db, row.id, this.owner, now, now + this.leaseMs)) {
        this.stats.leasesLost++;
        break;
      }
      const adapter = this.adapters.get(row.platform as Platform)!;
      await this.pace(row.channel, adapter.minIntervalMs ?? 0);
      const delivery = this.toDelivery(row, sent);
      if (!delivery) continue;
      try {
        const result = await adapter.deliver(delivery);
        this.lastSent.set(row.channel, this.monotonic());
        sent.set(row.id, result.ref);
        this.stats.delivered++;
        sentHere++;
      } catch (err) {
        // A message given up for good no longer holds its channel back.
        if (this.recordFailure(row, err, delivery.maybeDelivered) === "gave-up") continue;
        break;
      }
    }
  }

  private async pace(channel: string, intervalMs: number): Promise<void> {
    const last = this.lastSent.get(channel);
    if (last === undefined || intervalMs <= 0) return;
    const wait = last + intervalMs - this.monotonic();
    if (wait > 0) await this.sleep(wait);
  }

  private toDelivery(row: OutboxRow, sentNow: Map<number, string | undefined>): Delivery | undefined {
    const { db } = this.services;
    const target = JSON.parse(row.target) as Target;
    const message = JSON.parse(row.message) as OutboundMessage;
    let editsRef: string | undefined = message.removes;
    if (row.kind === "update") {
      const original = row.updatesId === null ? undefined : getOutboxRow(db, row.updatesId);
      const ref = original?.platformRef ?? (row.updatesId === null ? undefined : sentNow.get(row.updatesId));
      if (!ref) {
        markFinal(db, row.id, "skipped", "the message to edit was never sent");
        return undefined;
      }
      editsRef = ref;
    }
    return {
      id: row.id,
      uid: `${instanceId(db)}.${row.id}`,
      // Held by another process that died, or tried before: it may have gone out.
      maybeDelivered: row.attempts > 0 || (row.leaseOwner !== null && row.leaseOwner !== this.owner),
      queuedAt: row.createdAt,
      kind: row.kind as Delivery["kind"],
      target,
      message,
      editsRef,
      mentions: this.resolveMentions(message.text, target.platform),
    };
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

  /** `uncertain`: the delivery may have gone out before; counting the attempt keeps that known for the retry. */
  private recordFailure(row: OutboxRow, err: unknown, uncertain: boolean): "gave-up" | "will-retry" {
    const { db, clock } = this.services;
    const now = clock.now();
    const message = err instanceof Error ? err.message : String(err);
    if (err instanceof DeliveryError && err.opts.permanent) {
      reportDeliveryFailure(this.services, row, err, { permanent: true });
      inTransaction(db, () => markFinal(db, row.id, "failed", message));
      this.opts.onPermanentFailure?.(row, message);
      return "gave-up";
    }
    const rateLimited = err instanceof DeliveryError && err.opts.retryAfterMs !== undefined;
    const wait = rateLimited ? (err as DeliveryError).opts.retryAfterMs! : retryBackoffMs(row.attempts);
    reportDeliveryFailure(this.services, row, err, { retryAt: now + wait });
    inTransaction(db, () => markRetry(db, row.id, now + wait, message, !rateLimited || uncertain));
    this.wakeAt(now + wait);
    return "will-retry";
  }
}

/** Whether a process with this id runs on this machine (a reused pid errs on the side of waiting). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}
