// The daily pruning: deletes what the bot only needed for a while (see
// db/retention.ts for what goes and why; `storage` in the config for how
// long). A run is a chain of jobs, one batch (one short transaction) each,
// a second apart, so it never holds the write lock long and commands get in
// between. Keys carry the run's local date (`core.prune:2026-08-18`, its
// batches `...:b1`, `...:b2`), so a restart neither loses nor doubles a run:
// an interrupted one resumes from its pending batch.
import { DateTime } from "luxon";
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext, JobContext } from "../../bot/context.ts";
import { PRUNED_TABLES, pruneBatch, type Cutoffs } from "../../db/retention.ts";

const KIND = "core.prune";
const DAY = 24 * 3600_000;
/** A quiet hour in the federation's zone. */
const RUN_AT = { hour: 3, minute: 30 };
/** Between two batches of a run: the scheduler's tick lets commands in. */
export const PRUNE_PAUSE_MS = 1000;

interface PrunePayload {
  /** The run's local date, for its batches' keys. */
  run: string;
  batch: number;
  table: number;
  after: number;
  deleted: Record<string, number>;
}

/** The first RUN_AT strictly after `after`, in the federation's zone. */
function nextRunAt(ctx: BaseContext, after: number): number {
  const local = DateTime.fromMillis(after, { zone: ctx.config.timezone });
  const today = local.set({ ...RUN_AT, second: 0, millisecond: 0 });
  return (today.toMillis() > after ? today : today.plus({ days: 1 }).set(RUN_AT)).toMillis();
}

function scheduleRun(ctx: BaseContext, after: number): void {
  const at = nextRunAt(ctx, after);
  const run = DateTime.fromMillis(at, { zone: ctx.config.timezone }).toISODate()!;
  const payload: PrunePayload = { run, batch: 0, table: 0, after: 0, deleted: {} };
  ctx.schedule({ kind: KIND, key: `${KIND}:${run}`, dueAt: at, payload });
}

/** At every start: the next run is scheduled (a no-op when it already is). */
export function seedPruning(ctx: BaseContext): void {
  scheduleRun(ctx, ctx.now);
}

function cutoffsFor(ctx: BaseContext): Cutoffs {
  const { retentionDays, editableMessageDays } = ctx.config.storage;
  return {
    before: ctx.now - retentionDays * DAY,
    editableBefore: ctx.now - editableMessageDays * DAY,
    keepMessage: (key) => ctx.services.messageKeepers.some((keeps) => keeps(ctx, key)),
  };
}

/** One batch; then the next batch, or (when every table is done) the log line and tomorrow's run. */
export const pruneJob = defineJob<PrunePayload>({
  kind: KIND,
  run(ctx, p) {
    const table = PRUNED_TABLES[p.table]!.name;
    const { deleted, next } = pruneBatch(ctx.db, p.table, p.after, cutoffsFor(ctx));
    const counts = { ...p.deleted, [table]: (p.deleted[table] ?? 0) + deleted };
    const more = next !== undefined ? { table: p.table, after: next } : { table: p.table + 1, after: 0 };
    if (more.table < PRUNED_TABLES.length) return continueRun(ctx, { ...p, ...more, batch: p.batch + 1, deleted: counts });
    ctx.log.info({ run: p.run, batches: p.batch + 1, deleted: counts }, "pruned old rows");
    scheduleRun(ctx, Math.max(ctx.now, ctx.job.dueAt));
  },
});

function continueRun(ctx: JobContext, p: PrunePayload): void {
  ctx.schedule({ kind: KIND, key: `${KIND}:${p.run}:b${p.batch}`, dueAt: ctx.now + PRUNE_PAUSE_MS, payload: p });
}
