// Sends outbox messages through the adapters. At-least-once: a row is
// recorded sent only after the platform accepted it, so a crash in between
// resends rather than drops. Order is kept per channel; a platform's
// channels are sent concurrently, and platforms never wait for each other.
//
// Two ways to find what to send. Usually from memory: every row this
// process commits is handed over when its transaction commits, and while
// nothing else has written to the outbox (another process, an erasure, a
// retry waiting), memory is known to hold every pending message, so they go
// without reading anything back. Otherwise, by scanning the outbox, with
// each channel's head checked in the database; after a scan that shows
// memory holds everything again, back to memory.
import { randomUUID } from "node:crypto";
import { inTransaction } from "../db/connection.ts";
import { forgetDispatcher } from "../db/meta.ts";
import {
  DUE_SCAN_LIMIT,
  duePending,
  firstPendingInChannel,
  heldElsewhere,
  lease,
  markFinal,
  nextRetryAt,
  onCommittedRow,
  pendingIdsOf,
  releaseLeases,
  type OutboxRow,
} from "../db/outbox.ts";
import { watchOf } from "../db/transaction.ts";
import type { Adapter } from "./adapter.ts";
import type { Services } from "./context.ts";
import { resolveMentions, toDelivery } from "./delivery.ts";
import type { OutboundMessage, Platform, Target } from "./events.ts";
import { recordDeliveryFailure, registerAndTakeOverTheDead } from "./delivery-failures.ts";
import { ChannelQueues, fromCommitted, fromScanned, isTransient, type QueuedMessage } from "./outbox-queue.ts";
import { SentMarks } from "./sent-marks.ts";

export interface DispatcherOptions {
  /** How long a dispatcher holds a row while sending it; another process may take it after. */
  leaseMs?: number;
  /** Real-time pause for per-channel pacing (tests and replays pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  /** Real elapsed time for pacing; not the bot's clock, which replays move by hand. */
  monotonic?: () => number;
  onPermanentFailure?: (row: OutboxRow, error: string) => void;
}

export { retryBackoffMs } from "./delivery-failures.ts";

/** What a pass learned about one channel. */
interface ChannelResult {
  sent: number;
  /** Something kept the channel from emptying: an earlier message elsewhere, a lost lease, a failure. */
  stuck: boolean;
}

/** When a platform's pending messages were last all in memory: the watch's counters then. */
interface InMemorySince {
  foreignCommits: number;
  at: number;
}

export class Dispatcher {
  private readonly adapters = new Map<Platform, Adapter>();
  private readonly lastSent = new Map<string, number>();
  private readonly perPlatform = new Map<Platform, { running?: Promise<number>; rerun: boolean }>();
  private readonly queues = new ChannelQueues();
  private readonly marks: SentMarks;
  /** Platforms whose every pending message is held in memory (and since when). */
  private readonly inMemory = new Map<Platform, InMemorySince>();
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: { at: number; handle: NodeJS.Timeout } | undefined;
  private readonly leaseMs: number;
  /** Identifies this dispatcher's leases among processes sharing the database. */
  readonly owner = randomUUID();
  /**
   * Deliveries made; rows another dispatcher took first (a lost lease);
   * channels whose earlier message (held by another process, or waiting for
   * a retry) kept this pass from sending; passes that found nothing because
   * another live process holds what is waiting; and passes that had to read
   * the outbox rather than send from memory.
   */
  readonly stats = { delivered: 0, leasesLost: 0, waitedBehind: 0, heldByAnother: 0, scans: 0 };
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
    this.marks = new SentMarks(services.db, (err) => services.log.error({ err }, "could not record messages as sent; they will be offered again, marked as maybe delivered"));
    onCommittedRow(services.db, (row) => {
      // Only rows born held by this dispatcher: anything else is found by a scan.
      if (row.leaseOwner === this.owner && this.adapters.has(row.platform as Platform)) this.queues.add(fromCommitted(row));
    });
  }

  attach(adapter: Adapter): void {
    this.adapters.set(adapter.platform, adapter);
    this.inMemory.delete(adapter.platform);
  }

  detach(platform: Platform): void {
    this.adapters.delete(platform);
    this.inMemory.delete(platform);
    this.queues.forgetRows(platform);
  }

  /**
   * The lease a new outbox row is born with when this dispatcher will send
   * it: claiming it later would cost a second write per message.
   */
  leaseFor(platform: Platform, now: number): { owner: string; until: number } | undefined {
    return this.adapters.has(platform) ? { owner: this.owner, until: now + this.leaseMs } : undefined;
  }

  /**
   * A read-only command's answer, sent without an outbox row. False when
   * that can't keep the channel's order (messages are waiting that only the
   * outbox knows of): the caller then writes it as a row.
   */
  sendTransient(target: Target, message: OutboundMessage, channel: string): boolean {
    if (!this.adapters.has(target.platform) || !this.fromMemory(target.platform)) return false;
    // Resolved now, inside the command's read scope, rather than at delivery (one data_version read per look-up there).
    const mentions = resolveMentions(this.services.db, message.text, target.platform);
    this.queues.addTransient(target.platform, channel, target, message, this.services.clock.now(), mentions);
    return true;
  }

  /** Whether a transient answer could go now (see sendTransient). */
  canSendTransient(platform: Platform): boolean {
    return this.adapters.has(platform) && this.fromMemory(platform);
  }

  /** Wake up soon; cheap to call after every commit. */
  kick(): void {
    void this.sendDue().catch((err) => this.services.log.error({ err }, "outbox drain failed"));
  }

  /**
   * Sends everything due now and records it as sent (tests, replays and a
   * shutdown want the database settled; the live path leaves recording to
   * the next transaction).
   */
  async drain(): Promise<number> {
    // Everything due includes what other processes wrote: one read of data_version.
    watchOf(this.services.db).sync();
    const sent = await this.sendDue();
    this.marks.flush();
    return sent;
  }

  /**
   * Sends everything due now, as the live bot does after each commit: "sent"
   * is recorded with the next transaction. Each platform drains on its own,
   * so one that hangs or is down never delays another's messages.
   */
  async sendDue(): Promise<number> {
    const counts = await Promise.all([...this.adapters.keys()].map((platform) => this.drainPlatform(platform)));
    return counts.reduce((a, b) => a + b, 0);
  }

  /** Concurrent calls share a platform's running pass (and ask it for one more). */
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
   * Polls for retries that fall due later (rate limits, outages) and for
   * rows other processes wrote, after taking over what a dead process held.
   */
  start(intervalMs = 1000): void {
    this.stop();
    registerAndTakeOverTheDead(this.services, this.owner);
    this.timer = setInterval(() => this.poll(), intervalMs);
    this.timer.unref();
    // What waited for this start goes now, not at the first poll.
    this.kick();
  }

  /** Another process may have written since: looking costs one read of data_version. */
  private poll(): void {
    try {
      watchOf(this.services.db).sync();
    } catch (err) {
      this.services.log.warn({ err }, "could not check the database for other processes' writes");
    }
    this.kick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.retryTimer) clearTimeout(this.retryTimer.handle);
    this.timer = undefined;
    this.retryTimer = undefined;
    if (this.services.db.$client.open) this.marks.flush();
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
    this.marks.flush();
    inTransaction(db, () => {
      releaseLeases(db, this.owner);
      forgetDispatcher(db, this.owner);
    });
  }

  /** The next time a waiting message may be retried (for replays that move the clock). */
  nextRetryAt(): number | undefined {
    return nextRetryAt(this.services.db, [...this.adapters.keys()]);
  }

  /**
   * Memory holds every pending message of the platform: it said so after
   * its last scan, nobody else has committed since, and no queued message
   * was edited (an erasure rewrites text) or removed.
   */
  private fromMemory(platform: Platform): boolean {
    const since = this.inMemory.get(platform);
    if (!since) return false;
    const watch = watchOf(this.services.db);
    return watch.foreignCommits === since.foreignCommits && !watch.changedSince(["outbox"], since.at);
  }

  private async pass(platform: Platform): Promise<number> {
    if (!this.adapters.has(platform)) return 0;
    if (this.fromMemory(platform)) return this.sendChannels(platform, false);
    return this.scanAndSend(platform);
  }

  private async sendChannels(platform: Platform, checked: boolean): Promise<number> {
    const results = await Promise.all(this.queues.channels(platform).map((queue) => this.sendChannel(platform, queue, checked)));
    return results.reduce((n, r) => n + r.sent, 0);
  }

  /**
   * Writes down, now, what was sent but not yet recorded: whatever looks a
   * message up by its platform reference (a reaction on a button) must find
   * it, even in the moment before the next write would have carried the mark.
   */
  recordSent(): void {
    this.marks.flush();
  }

  /**
   * Reads what is due from the outbox (what another process wrote, retries
   * now due, what a dead process held), sends it with each channel's head
   * checked in the database, records it, and sees whether memory holds
   * everything again.
   */
  private async scanAndSend(platform: Platform): Promise<number> {
    const { db, clock } = this.services;
    this.stats.scans++;
    // The outbox must show what was sent already, or it would be found again.
    this.marks.flush();
    const watch = watchOf(db);
    watch.sync();
    const since: InMemorySince = { foreignCommits: watch.foreignCommits, at: watch.now() };
    const now = clock.now();
    const rows = duePending(db, [platform], this.owner, now);
    if (rows.length === 0 && heldElsewhere(db, platform, this.owner, now)) this.stats.heldByAnother++;
    // Held copies may be stale (an erasure rewrote one): the outbox's are used.
    this.queues.forgetRows(platform);
    for (const row of rows) this.queues.add(fromScanned(row));
    const results = await Promise.all(this.queues.channels(platform).map((queue) => this.sendChannel(platform, queue, true)));
    this.marks.flush();
    const stuck = results.some((r) => r.stuck);
    if (!stuck && rows.length < DUE_SCAN_LIMIT) this.noteIfAllInMemory(platform, since);
    return results.reduce((n, r) => n + r.sent, 0);
  }

  private noteIfAllInMemory(platform: Platform, since: InMemorySince): void {
    const { db } = this.services;
    const watch = watchOf(db);
    watch.sync();
    if (watch.foreignCommits !== since.foreignCommits || watch.changedSince(["outbox"], since.at)) return;
    const pending = pendingIdsOf(db, platform);
    if (pending.complete && this.queues.holdsAll(pending.ids)) this.inMemory.set(platform, since);
  }

  /**
   * One channel's messages, in order; stops at the first that can't go now.
   * `checked`: the channel's head and each row's lease are confirmed in the
   * database first (after a scan); from memory, they need not be.
   */
  private async sendChannel(platform: Platform, queue: QueuedMessage[], checked: boolean): Promise<ChannelResult> {
    const { db, clock } = this.services;
    let sent = 0;
    let lastRowId = 0;
    while (queue.length > 0) {
      // Memory stopped being the whole story mid-pass (a failure, another process): the next pass scans.
      if (!checked && !this.fromMemory(platform)) return { sent, stuck: true };
      const message = queue[0]!;
      if (checked && !this.mayGo(message, lastRowId, queue)) return { sent, stuck: true };
      const adapter = this.adapters.get(platform);
      if (!adapter) return { sent, stuck: true };
      await this.pace(message.channel, adapter.minIntervalMs ?? 0);
      const delivery = toDelivery(db, this.owner, message, (id) => this.marks.refOf(id));
      if (delivery === "skip") {
        inTransaction(db, () => markFinal(db, message.id, "skipped", "the message to edit was never sent"));
        this.queues.remove(queue, message);
        continue;
      }
      try {
        const result = await adapter.deliver(delivery);
        this.lastSent.set(message.channel, this.monotonic());
        this.queues.remove(queue, message);
        if (!isTransient(message)) this.marks.add(message.id, result.ref, clock.now());
        this.stats.delivered++;
        sent++;
        lastRowId = Math.max(lastRowId, message.id);
      } catch (err) {
        this.queues.remove(queue, message);
        if (this.recordFailure(message, err, delivery.maybeDelivered) === "gave-up") continue;
        return { sent, stuck: true };
      }
    }
    return { sent, stuck: false };
  }

  /** After a scan: the channel's oldest pending row is this one, and this dispatcher holds it. */
  private mayGo(message: QueuedMessage, lastRowId: number, queue: QueuedMessage[]): boolean {
    const { db, clock } = this.services;
    const head = firstPendingInChannel(db, message.channel, lastRowId);
    if (isTransient(message) ? head !== undefined && head < message.order : head !== message.id) {
      this.stats.waitedBehind++;
      return false;
    }
    if (isTransient(message)) return true;
    const now = clock.now();
    const held = message.leaseOwner === this.owner && (message.leaseUntil ?? 0) >= now;
    if (!held && !lease(db, message.id, this.owner, now, now + this.leaseMs)) {
      this.stats.leasesLost++;
      this.queues.remove(queue, message);
      return false;
    }
    return true;
  }

  private async pace(channel: string, intervalMs: number): Promise<void> {
    const last = this.lastSent.get(channel);
    if (last === undefined || intervalMs <= 0) return;
    const wait = last + intervalMs - this.monotonic();
    if (wait > 0) await this.sleep(wait);
  }

  /**
   * A failure means the outbox must be read again (the message waits there
   * for its retry, holding its channel).
   */
  private recordFailure(message: QueuedMessage, err: unknown, uncertain: boolean): "gave-up" | "will-retry" {
    this.inMemory.delete(message.platform);
    const outcome = recordDeliveryFailure(this.services, message, err, uncertain);
    if (outcome.gaveUp) {
      if (outcome.row) this.opts.onPermanentFailure?.(outcome.row, outcome.error);
      return "gave-up";
    }
    this.wakeAt(outcome.retryAt);
    return "will-retry";
  }
}
