// What happens when the platform refuses or fails a delivery, and how a
// dispatcher takes over what a dead process on this machine held. Kept apart
// from the sending loop so that loop reads as the happy path.
import { hostname } from "node:os";
import { inTransaction } from "../db/connection.ts";
import { forgetDispatcher, otherDispatchers, registerDispatcher } from "../db/meta.ts";
import { enqueue, expireLeasesOf, getOutboxRow, markFinal, markRetry, type OutboxRow } from "../db/outbox.ts";
import { DeliveryError } from "./adapter.ts";
import type { Services } from "./context.ts";
import { reportDeliveryFailure } from "./observe.ts";
import { isTransient, type QueuedMessage } from "./outbox-queue.ts";

const MAX_BACKOFF_MS = 5 * 60_000;
export const retryBackoffMs = (attempts: number) => Math.min(1000 * 2 ** attempts, MAX_BACKOFF_MS);

export type FailureOutcome = { gaveUp: true; row?: OutboxRow; error: string } | { gaveUp: false; retryAt: number };

/**
 * Records a failed delivery: a permanent refusal ends the message, anything
 * else schedules a retry (exactly the platform's Retry-After when it gave
 * one). `uncertain`: the delivery may have gone out before; counting the
 * attempt keeps that known for the retry.
 */
export function recordDeliveryFailure(services: Services, message: QueuedMessage, err: unknown, uncertain: boolean): FailureOutcome {
  const { db, clock } = services;
  const now = clock.now();
  const text = err instanceof Error ? err.message : String(err);
  const permanent = err instanceof DeliveryError && err.opts.permanent === true;
  if (isTransient(message)) return transientFailed(services, message, err, permanent);
  if (permanent) {
    reportDeliveryFailure(services, message, err, { permanent: true }, "message could not be delivered; giving up");
    inTransaction(db, () => markFinal(db, message.id, "failed", text));
    return { gaveUp: true, row: getOutboxRow(db, message.id), error: text };
  }
  const rateLimited = err instanceof DeliveryError && err.opts.retryAfterMs !== undefined;
  const wait = rateLimited ? (err as DeliveryError).opts.retryAfterMs! : retryBackoffMs(message.attempts);
  reportDeliveryFailure(services, message, err, { retryAt: now + wait }, "message delivery will be retried");
  inTransaction(db, () => markRetry(db, message.id, now + wait, text, !rateLimited || uncertain));
  return { gaveUp: false, retryAt: now + wait };
}

/** A read-only answer that didn't go: written to the outbox now, to be retried like any message. */
function transientFailed(services: Services, message: QueuedMessage, err: unknown, permanent: boolean): FailureOutcome {
  const { db, clock } = services;
  const text = err instanceof Error ? err.message : String(err);
  const unstored = { platform: message.platform, channel: message.channel, attempts: message.attempts };
  if (permanent) {
    reportDeliveryFailure(services, unstored, err, { permanent: true }, "an answer could not be delivered; giving up");
    return { gaveUp: true, error: text };
  }
  const now = clock.now();
  const retryAt = now + retryBackoffMs(0);
  reportDeliveryFailure(services, unstored, err, { retryAt }, "an answer could not be delivered yet; queued to retry");
  inTransaction(db, () => {
    const id = enqueue(db, { kind: "post", platform: message.platform, channel: message.channel, target: message.target, message: message.message, msgKey: null, updatesId: null, source: "transient", now });
    markRetry(db, id, retryAt, text, false);
  });
  return { gaveUp: false, retryAt };
}

/**
 * Says who this dispatcher is (so another process can tell whether it is
 * alive) and takes over at once what a dead process on this machine held,
 * rather than waiting for those leases to run out.
 */
export function registerAndTakeOverTheDead(services: Services, owner: string): void {
  const { db, clock, log } = services;
  const host = hostname();
  inTransaction(db, () => {
    registerDispatcher(db, owner, { pid: process.pid, host, startedAt: clock.now() });
    for (const other of otherDispatchers(db, owner)) {
      if (other.host !== host || isAlive(other.pid)) continue;
      const taken = expireLeasesOf(db, other.owner);
      forgetDispatcher(db, other.owner);
      if (taken > 0) log.info({ messages: taken, deadPid: other.pid }, "taking over messages a stopped process had not confirmed as sent");
    }
  });
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
