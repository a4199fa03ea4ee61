// Runs scheduled jobs when they fall due. Each job runs in one transaction
// that also marks it done, so it happens exactly once even with two
// processes on one database; a failing job is retried with back-off.
import { inSavepoint, inTransaction } from "../db/connection.ts";
import { dueJobs, finishJob, nextDueAt, retryJob, type JobRow } from "../db/jobs.ts";
import type { JobSpec } from "./capability.ts";
import { CommandError } from "./command.ts";
import { JobContext, type Services } from "./context.ts";
import { errorReference } from "./log.ts";

const MAX_ATTEMPTS = 5;
const backoffMs = (attempt: number) => Math.min(60_000 * 2 ** attempt, 3600_000);

export class Scheduler {
  private readonly specs = new Map<string, JobSpec>();

  constructor(private readonly services: Services) {}

  register(spec: JobSpec): void {
    if (this.specs.has(spec.kind)) throw new Error(`job kind "${spec.kind}" is declared twice`);
    this.specs.set(spec.kind, spec);
  }

  kinds(): string[] {
    return [...this.specs.keys()];
  }

  nextDueAt(): number | undefined {
    return nextDueAt(this.services.db);
  }

  /** Runs every job due at the clock's current time, in due order. Returns how many ran. */
  runDue(limit = 500): number {
    let ran = 0;
    while (ran < limit) {
      const batch = dueJobs(this.services.db, this.services.clock.now(), Math.min(100, limit - ran));
      if (batch.length === 0) break;
      for (const job of batch) if (this.runOne(job)) ran++;
    }
    return ran;
  }

  /** One job, in its own transaction. False if another process already took it. */
  runOne(job: JobRow): boolean {
    const { db, log } = this.services;
    const spec = this.specs.get(job.kind);
    try {
      return inTransaction(db, () => {
        const ctx = new JobContext(this.services, job);
        if (!spec) {
          log.error({ jobId: job.id, kind: job.kind }, "no handler for this job kind; marked skipped");
          return finishJob(db, job.id, "skipped", ctx.now, "no handler for this kind");
        }
        if (!finishJob(db, job.id, "done", ctx.now)) return false;
        inSavepoint(db, () => spec.run(ctx, JSON.parse(job.payload)));
        return true;
      });
    } catch (err) {
      this.recordFailure(job, err);
      return true;
    }
  }

  private recordFailure(job: JobRow, err: unknown): void {
    const { db, log, clock } = this.services;
    const now = clock.now();
    const giveUp = job.attempts + 1 >= MAX_ATTEMPTS || err instanceof CommandError;
    const errorRef = errorReference();
    log.error({ err, errorRef, jobId: job.id, kind: job.kind, key: job.key, attempt: job.attempts + 1, giveUp }, "scheduled job failed");
    inTransaction(db, () => retryJob(db, job.id, now + backoffMs(job.attempts), `${errorRef}: ${String(err)}`, giveUp, now));
  }
}
