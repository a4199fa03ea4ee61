// What the running bot tells its operator about its work: one info line per
// command, per job and per delivery failure, and the same events counted
// for `/metrics` when monitoring is on. Lines carry names, outcomes, ids and
// durations, never what anyone wrote. An error's stack is logged the first
// time that error is seen, not on every retry: an outage retried every few
// seconds otherwise buries the log in identical stacks.
import { findIdentity } from "../db/members.ts";
import { type Adapter, DeliveryError } from "./adapter.ts";
import type { JobSpec } from "./capability.ts";
import type { JobContext, Services } from "./context.ts";
import type { InboundEvent } from "./events.ts";
import { safeText } from "./log-safety.ts";
import type { HandleResult } from "./router.ts";

/** Where the counters go; set once monitoring is on (bot/metrics.ts). */
export interface MetricSink {
  command(name: string, outcome: string, seconds: number): void;
  job(kind: string, outcome: "ok" | "skipped" | "failed"): void;
  delivered(platform: string): void;
  deliveryFailed(platform: string, reason: FailureReason): void;
}

/** Why a delivery failed, as the dispatcher treats it. */
export type FailureReason = "rate_limited" | "transient" | "permanent";

const sinks = new WeakMap<Services, MetricSink>();

/** Counts this bot's events in `sink` from now on. */
export function countInto(services: Services, sink: MetricSink): void {
  sinks.set(services, sink);
}

const round = (ms: number) => Math.round(ms * 10) / 10;

/** After the router handled an inbound event (`ms`: how long it took, in this process's own time). */
export function commandHandled(services: Services, event: InboundEvent, result: HandleResult, ms: number): void {
  // Messages not meant for the bot: nothing happened worth a line.
  if (result.outcome === "ignored") return;
  const name = result.command ?? (result.outcome === "unknown" ? "(unknown)" : "(none)");
  sinks.get(services)?.command(name, result.outcome, ms / 1000);
  const { log, db } = services;
  const level = result.outcome === "duplicate" ? "debug" : result.outcome === "error" ? "warn" : "info";
  if (!log.isLevelEnabled(level)) return;
  // Read-only commands store no row for the event; the sender's identity (cached) names the member.
  const memberId = findIdentity(db, event.platform, event.sender.platformId)?.memberId ?? null;
  log[level]({ command: name, outcome: result.outcome, ms: round(ms), memberId, platform: event.platform, eventId: event.eventId, errorRef: result.errorRef }, "command");
}

/**
 * `spec` with a line and a count for each run. A job that skips itself
 * (ctx.skip) already says so in its own line; a failing one is logged with
 * its error by the scheduler.
 */
export function observedJob<P>(spec: JobSpec<P>, services: Services): JobSpec<P> {
  return {
    ...spec,
    run(ctx: JobContext, payload: P): void {
      const started = performance.now();
      let skipped = false;
      const skip = ctx.skip.bind(ctx);
      ctx.skip = (note: string) => {
        skipped = true;
        skip(note);
      };
      try {
        spec.run(ctx, payload);
      } catch (err) {
        sinks.get(services)?.job(spec.kind, "failed");
        throw err;
      }
      sinks.get(services)?.job(spec.kind, skipped ? "skipped" : "ok");
      if (!skipped) services.log.info({ job: spec.kind, jobId: ctx.job.id, ms: round(performance.now() - started), lateMs: ctx.lateMs }, "job ran");
    },
  };
}

/** `adapter` as the dispatcher should see it: every delivery it makes is counted. */
export function countingDeliveries(adapter: Adapter, services: Services): Adapter {
  const counted: Adapter = Object.create(adapter) as Adapter;
  counted.deliver = async (delivery) => {
    const result = await adapter.deliver(delivery);
    sinks.get(services)?.delivered(adapter.platform);
    return result;
  };
  return counted;
}

/** What a failure line says about the message: an outbox row, or a read-only answer not stored (no id). */
export interface FailedMessage {
  id?: number;
  platform: string;
  channel: string;
  attempts: number;
}

/**
 * One line per failed delivery: why, and when it will be tried again (or
 * that it won't be). Called where the failure is recorded
 * (bot/delivery-failures.ts); `msg` is the line's message.
 */
export function reportDeliveryFailure(services: Services, failed: FailedMessage, err: unknown, next: { retryAt?: number; permanent?: boolean }, msg: string): void {
  const reason: FailureReason = next.permanent ? "permanent" : err instanceof DeliveryError && err.opts.retryAfterMs !== undefined ? "rate_limited" : "transient";
  sinks.get(services)?.deliveryFailed(failed.platform, reason);
  const now = services.clock.now();
  const fields = {
    ...(failed.id === undefined ? {} : { outboxId: failed.id }),
    platform: failed.platform,
    channel: failed.channel,
    reason,
    rateLimited: reason === "rate_limited",
    attempt: failed.attempts + 1,
    error: safeText(err instanceof Error ? err.message : String(err)),
    ...(next.retryAt === undefined ? {} : { retryAt: new Date(next.retryAt).toISOString(), retryInMs: next.retryAt - now }),
    ...(firstSighting(err) ? { err } : {}),
  };
  services.log.warn(fields, msg);
}

// ---- The stack once per distinct error.

/** Distinct errors remembered; past this the memory starts again (a stack may then be logged once more). */
const MAX_REMEMBERED = 500;
const seen = new Set<string>();

/** What makes two errors "the same" for the log: type, message without numbers, and where it was thrown. */
function signature(err: unknown): string {
  if (!(err instanceof Error)) return `value:${String(err).replace(/\d+/g, "#")}`;
  const frame = err.stack?.split("\n").find((line) => line.trimStart().startsWith("at ")) ?? "";
  return `${err.name}:${err.message.replace(/\d+/g, "#")}:${frame.trim()}`;
}

/** Forgets every error seen (tests that each expect a first sighting). */
export function forgetSightings(): void {
  seen.clear();
}

/** True the first time an error like this one is seen by this process. */
export function firstSighting(err: unknown): boolean {
  const key = signature(err);
  if (seen.has(key)) return false;
  if (seen.size >= MAX_REMEMBERED) seen.clear();
  seen.add(key);
  return true;
}

/**
 * Fields for a log line about `err`: the whole error (stack and codes, see
 * safeError) the first time, its message alone after that.
 */
export function errorOnce(err: unknown): { err: unknown } | { error: string; stack: "logged earlier" } {
  if (firstSighting(err)) return { err };
  return { error: safeText(err instanceof Error ? err.message : String(err)), stack: "logged earlier" };
}
