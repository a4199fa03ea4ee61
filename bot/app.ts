// Wires the core together: database, registry, permissions, router,
// scheduler, dispatcher, and the adapters that talk to people.
import type { Server } from "node:http";
import { dirname, join } from "node:path";
import { Checkpointer } from "../db/checkpointer.ts";
import { openDatabase, inTransaction, type Db } from "../db/connection.ts";
import { ensureMember, renameIdentity } from "../db/members.ts";
import { findByPlatformRef } from "../db/outbox.ts";
import { grantRole, grantsFromConfig, revokeRole } from "../db/roles.ts";
import type { Adapter, CorePort } from "./adapter.ts";
import { BackupSchedule } from "./backup-schedule.ts";
import type { Capability, ListenerSpec, RoomGuardSpec } from "./capability.ts";
import type { Clock } from "./clock.ts";
import type { Config } from "./config.ts";
import { BaseContext, type Services } from "./context.ts";
import { Dispatcher, type DispatcherOptions } from "./dispatcher.ts";
import { DomainBus } from "./domain.ts";
import { reportUndeliverable } from "./failures.ts";
import { Inbox } from "./inbox.ts";
import type { InboundEvent, OutboundMessage, Platform } from "./events.ts";
import { monitoringRoutes } from "./health.ts";
import { startHttpServer, type HttpRoute } from "./http.ts";
import type { Logger } from "./log.ts";
import { createMetrics } from "./metrics.ts";
import { commandHandled, countInto, countingDeliveries, observedJob } from "./observe.ts";
import { Permissions } from "./permissions.ts";
import { RecentUse } from "./recent-use.ts";
import { Registry } from "./registry.ts";
import { type Arrival, type HandleResult, Router } from "./router.ts";
import { Scheduler } from "./scheduler.ts";

/** Jobs run per scheduler turn before yielding to the event loop. */
export const TICK_BATCH = 200;

export interface BotOptions {
  config: Config;
  capabilities: readonly Capability[];
  clock: Clock;
  log: Logger;
  /** A path (`./data/coopbot.sqlite`, `:memory:`) or an open database. */
  db: string | Db;
  dispatcher?: DispatcherOptions;
}

export class Bot implements CorePort {
  readonly services: Services;
  readonly registry = new Registry();
  readonly permissions = new Permissions();
  readonly scheduler: Scheduler;
  readonly dispatcher: Dispatcher;
  readonly router: Router;
  readonly inbox: Inbox;
  readonly httpRoutes: HttpRoute[] = [];
  private readonly adapters: Adapter[] = [];
  private schedulerTimer: NodeJS.Timeout | undefined;
  private httpServer: Server | undefined;
  private backups: BackupSchedule | undefined;
  /** WAL checkpoints off the main thread while the bot runs (their fsync would stall commands). */
  readonly checkpointer: Checkpointer;

  constructor(opts: BotOptions) {
    const db = typeof opts.db === "string" ? openDatabase(opts.db, { synchronous: opts.config.storage.synchronous === "full" ? "FULL" : "NORMAL" }) : opts.db;
    this.services = { db, clock: opts.clock, config: opts.config, log: opts.log, registry: this.registry, permissions: this.permissions, bus: new DomainBus(), metrics: [], memberMergers: [], memberForgetters: [], memberExporters: [], messageKeepers: [], undeliverableReporters: [] };
    this.scheduler = new Scheduler(this.services);
    this.dispatcher = new Dispatcher(this.services, {
      ...opts.dispatcher,
      onPermanentFailure: (row, error) => {
        opts.dispatcher?.onPermanentFailure?.(row, error);
        reportUndeliverable(this.services, row, error);
        this.dispatcher.kick();
      },
    });
    this.services.outboxLease = (platform, now) => this.dispatcher.leaseFor(platform, now);
    this.services.wake = () => this.dispatcher.kick();
    // Where people type: email is a delivery channel only (nobody types a command by email).
    this.services.platforms = () => this.adapters.filter((a) => a.platform !== "email").map((a) => ({ platform: a.platform, commandPrefix: a.commandPrefix, capabilities: a.capabilities }));
    this.services.recentUse = new RecentUse();
    this.services.transient = {
      canSend: (platform) => this.dispatcher.canSendTransient(platform),
      send: (target, message, channel) => this.dispatcher.sendTransient(target, message, channel),
    };
    const listeners: ListenerSpec[] = [];
    const guards: RoomGuardSpec[] = [];
    for (const capability of opts.capabilities) {
      capability.roles?.forEach((r) => this.permissions.register(r));
      capability.commands?.filter((c) => c.enabled?.(opts.config) ?? true).forEach((c) => this.registry.register(c, capability.name));
      capability.jobs?.forEach((j) => this.scheduler.register(observedJob(j, this.services)));
      listeners.push(...(capability.listeners ?? []));
      guards.push(...(capability.roomGuards ?? []));
      if (capability.on) this.services.bus.subscribe(capability.on);
      this.services.metrics.push(...(capability.metrics ?? []));
      if (capability.mergeMembers) this.services.memberMergers.push(capability.mergeMembers.bind(capability));
      if (capability.forgetMember) this.services.memberForgetters.push(capability.forgetMember.bind(capability));
      if (capability.exportMember) this.services.memberExporters.push(capability.exportMember.bind(capability));
      if (capability.keepsMessage) this.services.messageKeepers.push(capability.keepsMessage.bind(capability));
      if (capability.undeliverable) this.services.undeliverableReporters.push(capability.undeliverable.bind(capability));
      const routes = typeof capability.http === "function" ? capability.http(this.services) : capability.http;
      this.httpRoutes.push(...(routes ?? []));
    }
    this.router = new Router(this.services, listeners, guards);
    this.inbox = new Inbox(this.services);
    this.checkpointer = new Checkpointer(db, (message) => this.services.log.warn({ message }, "WAL checkpoint failed"));
    this.services.scrubWal = () => this.checkpointer.requestTruncate();
    this.seed(opts.capabilities);
  }

  get db(): Db {
    return this.services.db;
  }

  /** Bootstrap admins and capability seeds, applied at every start (idempotent). */
  private seed(capabilities: readonly Capability[]): void {
    inTransaction(this.db, () => {
      const ctx = new BaseContext(this.services, "seed");
      this.seedAdmins(ctx.now);
      for (const capability of capabilities) capability.seed?.(ctx);
    });
  }

  /** Config admins get the role; admins removed from the config lose it (chat grants are kept). */
  private seedAdmins(now: number): void {
    const wanted = new Set<number>();
    for (const admin of this.services.config.admins) {
      const member = ensureMember(this.db, admin.platform, admin.platformId, admin.platformId, now);
      wanted.add(member.id);
      grantRole(this.db, { memberId: member.id, role: "admin", source: "config", now });
    }
    for (const grant of grantsFromConfig(this.db, "admin")) {
      if (!wanted.has(grant.memberId)) revokeRole(this.db, grant.memberId, "admin");
    }
  }

  receive(event: InboundEvent, opts: { inboxId?: number } = {}): HandleResult {
    const started = performance.now();
    const result = this.router.handle(event, opts.inboxId);
    commandHandled(this.services, event, result, performance.now() - started);
    if (result.outcome !== "duplicate" && result.outcome !== "ignored") this.dispatcher.kick();
    return result;
  }

  /** Events that arrived together, applied in one transaction (group commit; see Router.handleMany). */
  receiveMany(arrivals: readonly Arrival[]): HandleResult[] {
    const started = performance.now();
    const results = this.router.handleMany(arrivals);
    // They commit together: each is counted with its share of the batch's time.
    const share = (performance.now() - started) / Math.max(1, arrivals.length);
    results.forEach((result, i) => commandHandled(this.services, arrivals[i]!.event, result, share));
    if (results.some((r) => r.outcome !== "duplicate" && r.outcome !== "ignored")) this.dispatcher.kick();
    return results;
  }

  renamed(platform: Platform, platformId: string, displayName: string): void {
    try {
      inTransaction(this.db, () => renameIdentity(this.db, platform, platformId, displayName));
    } catch (err) {
      this.services.log.warn({ err, platform }, "could not record a new display name");
    }
  }

  messageByRef(platform: Platform, ref: string): ReturnType<CorePort["messageByRef"]> {
    // A reaction can come before the "sent" mark that carries this ref is written.
    this.dispatcher.recordSent();
    const row = findByPlatformRef(this.db, platform, ref);
    if (!row) return undefined;
    const message = JSON.parse(row.message) as OutboundMessage;
    return { id: row.id, buttons: message.buttons ?? [], key: message.key };
  }

  attach(adapter: Adapter): void {
    this.adapters.push(adapter);
    this.dispatcher.attach(countingDeliveries(adapter, this.services));
  }

  /** Every attached adapter, started or not. */
  attached(): readonly Adapter[] {
    return this.adapters;
  }

  adapter(platform: Platform): Adapter | undefined {
    return this.adapters.find((a) => a.platform === platform);
  }

  /**
   * Starts adapters, the scheduler loop and the dispatcher loop. Adapters
   * ride out outages themselves (reconnecting in the background while their
   * messages wait in the outbox); one that cannot start at all (a refused
   * token) is detached and logged, and the others keep running. Only when
   * every adapter fails does start fail, naming why.
   */
  async start(opts: { schedulerIntervalMs?: number } = {}): Promise<void> {
    const { log, config } = this.services;
    const failures: string[] = [];
    for (const adapter of this.adapters) {
      try {
        await adapter.start(this);
      } catch (err) {
        log.error({ err, platform: adapter.platform }, "adapter failed to start; its messages will wait in the outbox");
        this.dispatcher.detach(adapter.platform);
        failures.push(`${adapter.platform}: ${(err as Error).message}`);
      }
    }
    if (this.adapters.length > 0 && failures.length === this.adapters.length) {
      throw new Error(`no adapter could start:\n  ${failures.join("\n  ")}`);
    }
    if (config.http?.monitoring) {
      const metrics = await createMetrics();
      countInto(this.services, metrics);
      this.httpRoutes.push(...monitoringRoutes({ services: this.services, adapters: () => this.adapters }, metrics));
    }
    if (config.http && this.httpRoutes.length > 0) {
      this.httpServer = await startHttpServer(this.httpRoutes, { port: config.http.port, host: config.http.host, log });
    }
    this.schedulerTimer = setInterval(() => this.tick(), opts.schedulerIntervalMs ?? 1000);
    this.dispatcher.start();
    this.checkpointer.start();
    this.startBackups();
    this.tick();
  }

  /** Scheduled backups (the config's `backups`), for a database in a file. */
  private startBackups(): void {
    const { config } = this.services;
    const client = this.db.$client;
    if (!config.backups || client.memory) return;
    const dir = config.backups.dir ?? join(dirname(client.name), "backups");
    this.backups = new BackupSchedule(this.services, { source: client.name, dir, everyMs: config.backups.every, keep: config.backups.keep });
    this.backups.start();
  }

  /** Runs due jobs and sends what they queued. */
  /**
   * Runs due jobs and sends what they queued. A busy minute (hundreds of
   * reminders due at 09:00) is worked through in batches, yielding between
   * them so commands still get in, rather than waiting a tick per batch.
   */
  tick(): void {
    try {
      const ran = this.scheduler.runDue(TICK_BATCH);
      if (ran > 0) this.dispatcher.kick();
      if (ran >= TICK_BATCH && this.schedulerTimer) setImmediate(() => this.tick());
    } catch (err) {
      this.services.log.error({ err }, "scheduler tick failed");
    }
  }

  httpAddress(): { port: number } | undefined {
    const address = this.httpServer?.address();
    return address && typeof address === "object" ? { port: address.port } : undefined;
  }

  /**
   * Stops in the order that loses nothing: first nothing new comes in (the
   * scheduler's timer, the HTTP server, each platform's intake), then what
   * the outbox holds is sent while the adapters can still deliver, for at
   * most `graceMs` (unbounded when not given), then the checkpointer, this
   * process's holds on messages, and the adapters. What could not be sent
   * waits in the outbox for the next start.
   */
  async stop(opts: { graceMs?: number } = {}): Promise<{ sent: number; timedOut: boolean }> {
    const { log } = this.services;
    if (this.schedulerTimer) clearInterval(this.schedulerTimer);
    this.schedulerTimer = undefined;
    await this.backups?.stop();
    await new Promise<void>((resolve) => (this.httpServer ? this.httpServer.close(() => resolve()) : resolve()));
    for (const adapter of this.adapters) {
      await adapter.stopIntake?.().catch((err: unknown) => log.warn({ err, platform: adapter.platform }, "adapter did not stop taking events cleanly"));
    }
    this.dispatcher.stop();
    const drained = this.dispatcher.drain().catch(() => 0);
    const sent = await withinGrace(drained, opts.graceMs);
    if (sent === undefined) {
      // Out of time: the passes under way end after their current message, and nothing new starts.
      for (const adapter of this.adapters) this.dispatcher.detach(adapter.platform);
    }
    await this.checkpointer.stop();
    // Out of time, a message may be on its way to the platform right now: keep this process's
    // holds and its record, so the next start takes them over as "may have gone out" and checks
    // (Slack's history) before sending again, rather than sending them as new.
    if (this.db.$client.open && sent !== undefined) this.dispatcher.releaseHeld();
    for (const adapter of this.adapters) await adapter.stop().catch(() => undefined);
    return { sent: sent ?? 0, timedOut: sent === undefined };
  }

  /**
   * Closes the database after emptying the WAL into it, so the file on disk
   * is complete by itself (a copy, a backup by hand, the next start's
   * recovery all find nothing pending in the WAL).
   */
  close(): void {
    const client = this.db.$client;
    if (!client.open) return;
    try {
      client.pragma("wal_checkpoint(TRUNCATE)");
    } catch (err) {
      this.services.log.warn({ err }, "could not empty the WAL before closing the database");
    }
    client.close();
  }
}

/** What `work` resolved to, or undefined if it took longer than `ms` (no limit when `ms` is undefined). */
async function withinGrace<T>(work: Promise<T>, ms: number | undefined): Promise<T | undefined> {
  if (ms === undefined) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
