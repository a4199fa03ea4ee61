// Runs scheduled jobs when they fall due. A job runs in the same transaction
// that marks it done, so it happens exactly once even with two processes on
// one database; jobs due together share a transaction, a savepoint each; a
// failing job is retried with back-off.
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
      ran += this.runBatch(batch);
    }
    return ran;
  }

  /**
   * Due jobs in one transaction, a savepoint each: one commit for the lot
   * (a busy hour's reminders), while a failing job rolls back only itself.
   * If the transaction itself fails, each job is tried on its own.
   */
  private runBatch(jobs: readonly JobRow[]): number {
    if (jobs.length === 1) return this.runOne(jobs[0]!) ? 1 : 0;
    try {
      return inTransaction(this.services.db, () => jobs.filter((job) => this.runInBatch(job)).length);
    } catch (err) {
      this.services.log.warn({ err, jobs: jobs.length }, "a batch of jobs could not be committed together; running each on its own");
      return jobs.filter((job) => this.runOne(job)).length;
    }
  }

  /** One job, in its own transaction. False if another process already took it. */
  runOne(job: JobRow): boolean {
    try {
      return inTransaction(this.services.db, () => this.apply(job));
    } catch (err) {
      inTransaction(this.services.db, () => this.recordFailure(job, err));
      return true;
    }
  }

  private runInBatch(job: JobRow): boolean {
    try {
      return inSavepoint(this.services.db, () => this.apply(job));
    } catch (err) {
      this.recordFailure(job, err);
      return true;
    }
  }

  /** Inside a transaction: marks the job done and runs it (false if another process already took it). */
  private apply(job: JobRow): boolean {
    const { db, log } = this.services;
    const spec = this.specs.get(job.kind);
    const ctx = new JobContext(this.services, job);
    if (!spec) {
      log.error({ jobId: job.id, kind: job.kind }, "no handler for this job kind; marked skipped");
      return finishJob(db, job.id, "skipped", ctx.now, "no handler for this kind");
    }
    if (!finishJob(db, job.id, "done", ctx.now)) return false;
    inSavepoint(db, () => spec.run(ctx, JSON.parse(job.payload)));
    return true;
  }

  /** Inside a transaction: the failure, and when to try again (or that it gave up). */
  private recordFailure(job: JobRow, err: unknown): void {
    const { db, log, clock } = this.services;
    const now = clock.now();
    const giveUp = job.attempts + 1 >= MAX_ATTEMPTS || err instanceof CommandError;
    const errorRef = errorReference();
    log.error({ err, errorRef, jobId: job.id, kind: job.kind, key: job.key, attempt: job.attempts + 1, giveUp }, "scheduled job failed");
    retryJob(db, job.id, now + backoffMs(job.attempts), `${errorRef}: ${String(err)}`, giveUp, now);
  }
}
