// Queries for the job catalogue and for actions with their trail. Decisions
// are single conditional UPDATEs on `state`, so of two racing decisions
// exactly one changes the row.
import { and, asc, eq, gt, gte, inArray, lt, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { memo } from "./memo.ts";
import { perDb } from "./prepared.ts";
import { members } from "./schema/core.ts";
import { actionJobs, actions, actionTrail } from "./schema/actions.ts";

export type ActionJob = typeof actionJobs.$inferSelect;
export type NewActionJob = typeof actionJobs.$inferInsert;
export type Action = typeof actions.$inferSelect;
export type NewAction = typeof actions.$inferInsert;
export type TrailEntry = typeof actionTrail.$inferSelect;
export type ActionState = "pending" | "verified" | "rejected" | "undone" | "voided";

// ---- the catalogue -------------------------------------------------------

// Prepared: `log` is the busiest writing command, so its path avoids
// rebuilding and re-preparing SQL on every call.
const hot = perDb((db) => ({
  jobBySlug: db.select().from(actionJobs).where(eq(actionJobs.slug, sql.placeholder("slug"))).prepare(),
  insertAction: db
    .insert(actions)
    .values({
      memberId: sql.placeholder("memberId"),
      loggedBy: sql.placeholder("loggedBy"),
      jobId: sql.placeholder("jobId"),
      note: sql.placeholder("note"),
      groupId: sql.placeholder("groupId"),
      hours: sql.placeholder("hours"),
      evidence: sql.placeholder("evidence"),
      doneAt: sql.placeholder("doneAt"),
      state: sql.placeholder("state"),
      source: sql.placeholder("source"),
      createdAt: sql.placeholder("createdAt"),
      decidedAt: sql.placeholder("decidedAt"),
      decidedBy: sql.placeholder("decidedBy"),
      reason: sql.placeholder("reason"),
    })
    .returning()
    .prepare(),
  pendingLoggedSince: db.$client
    .prepare<{ memberId: number; since: number }, number>(
      `select count(*) from actions indexed by actions_pending_by where state = 'pending' and logged_by = @memberId and created_at > @since`,
    )
    .pluck(),
  addTrail: db
    .insert(actionTrail)
    .values({ actionId: sql.placeholder("actionId"), what: sql.placeholder("what"), by: sql.placeholder("by"), at: sql.placeholder("at"), note: sql.placeholder("note") })
    .prepare(),
}));

// The catalogue changes when an admin edits it; `log` reads it every time.
export const findJobBySlug: (db: Db, slug: string) => ActionJob | undefined = memo(["action_jobs"], (slug) => slug.toLowerCase(), (db, slug: string) =>
  hot(db).jobBySlug.get({ slug: slug.toLowerCase() }),
);

export const getActionJob: (db: Db, id: number) => ActionJob | undefined = memo(["action_jobs"], (id) => id, (db, id: number) =>
  db.select().from(actionJobs).where(eq(actionJobs.id, id)).get(),
);

const allJobs = memo(["action_jobs"], () => 0, (db) => db.select().from(actionJobs).orderBy(asc(actionJobs.journey), asc(actionJobs.title)).all());

export function listJobs(db: Db, opts: { journey?: string; includeRetired?: boolean } = {}): ActionJob[] {
  const rows = allJobs(db);
  return rows.filter((j) => (opts.includeRetired || j.status === "active") && (!opts.journey || j.journey === opts.journey));
}

export function insertActionJob(db: Db, job: NewActionJob): ActionJob {
  return db.insert(actionJobs).values(job).returning().get();
}

export function updateActionJob(db: Db, id: number, values: Partial<NewActionJob>): void {
  db.update(actionJobs).set(values).where(eq(actionJobs.id, id)).run();
}

// ---- actions -------------------------------------------------------------

export function addTrail(db: Db, entry: { actionId: number; what: string; by: number | null; at: number; note?: string | null }): void {
  hot(db).addTrail.run({ ...entry, note: entry.note ?? null });
}

/**
 * A logged action. Its trail's first line ("logged" or "recorded", by whom,
 * when) is not written: it is the action row itself (see trailOf).
 */
export function insertAction(db: Db, row: NewAction): Action {
  const action = hot(db).insertAction.get({
    memberId: row.memberId,
    loggedBy: row.loggedBy,
    jobId: row.jobId ?? null,
    note: row.note ?? "",
    groupId: row.groupId ?? null,
    hours: row.hours ?? null,
    evidence: row.evidence ?? null,
    doneAt: row.doneAt,
    state: row.state ?? "pending",
    source: row.source ?? null,
    createdAt: row.createdAt,
    decidedAt: row.decidedAt ?? null,
    decidedBy: row.decidedBy ?? null,
    reason: row.reason ?? null,
  })!;
  return action;
}

/**
 * An automatic action (a meeting attended, a clinic handoff resolved):
 * verified from the start. The same source for the same member and job is
 * recorded once; undefined when it already was.
 */
export function insertAutomaticAction(db: Db, row: NewAction & { source: string; jobId: number }): Action | undefined {
  return db.insert(actions).values({ ...row, state: "verified" }).onConflictDoNothing().returning().get();
}

export function getAction(db: Db, id: number): Action | undefined {
  return db.select().from(actions).where(eq(actions.id, id)).get();
}

/** Moves an action from one of `from` to `to`; false (nothing changed) if someone got there first. */
function transition(db: Db, id: number, from: ActionState[], set: Partial<NewAction> & { state: ActionState }): boolean {
  return db.update(actions).set(set).where(and(eq(actions.id, id), inArray(actions.state, from))).run().changes > 0;
}

/** Verify or reject a pending action. Exactly one of two racing decisions wins. */
export function decideAction(db: Db, id: number, d: { state: "verified" | "rejected"; by: number; reason: string | null; now: number; jobId?: number }): boolean {
  const set = { state: d.state, decidedBy: d.by, decidedAt: d.now, reason: d.reason, ...(d.jobId ? { jobId: d.jobId } : {}) };
  if (!transition(db, id, ["pending"], set)) return false;
  addTrail(db, { actionId: id, what: d.state, by: d.by, at: d.now, note: d.reason });
  return true;
}

/** The author takes it back (pending or verified). */
export function undoAction(db: Db, id: number, by: number, now: number): boolean {
  if (!transition(db, id, ["pending", "verified"], { state: "undone", decidedBy: by, decidedAt: now })) return false;
  addTrail(db, { actionId: id, what: "undone", by, at: now });
  return true;
}

/** An admin voids it, whatever it was, with a reason. */
export function voidAction(db: Db, id: number, by: number, reason: string, now: number): boolean {
  if (!transition(db, id, ["pending", "verified", "rejected"], { state: "voided", decidedBy: by, decidedAt: now, reason })) return false;
  addTrail(db, { actionId: id, what: "voided", by, at: now, note: reason });
  return true;
}

/**
 * How the action got where it is. The first line comes from the action
 * itself (actions logged before that was so have it stored: it is used).
 */
export function trailOf(db: Db, actionId: number): TrailEntry[] {
  const stored = db.select().from(actionTrail).where(eq(actionTrail.actionId, actionId)).orderBy(asc(actionTrail.id)).all();
  if (stored[0] && (stored[0].what === "logged" || stored[0].what === "recorded")) return stored;
  const action = getAction(db, actionId);
  if (!action) return stored;
  // An automatic action (it has a source: a meeting attended, a clinic handoff) was recorded, not logged.
  const what = action.source !== null ? "recorded" : "logged";
  return [{ id: 0, actionId, what, by: action.loggedBy, at: action.createdAt, note: action.source }, ...stored];
}

export function pendingActions(db: Db): Action[] {
  return db.select().from(actions).where(eq(actions.state, "pending")).orderBy(asc(actions.createdAt), asc(actions.id)).all();
}

/**
 * Actions `memberId` logged after `since` that still wait for a decision.
 * Through the state index: the pending set is the drivers' queue, small
 * while they keep up (and bounded per member by this very count).
 */
/** How many pending actions a member logged since then (the `actions.pendingPerDay` limit): a range of actions_pending_by. */
export function pendingLoggedSince(db: Db, memberId: number, since: number): number {
  return hot(db).pendingLoggedSince.get({ memberId, since })!;
}

/** Pending actions logged before `before` whose deciders haven't been reminded yet, oldest first. */
export function actionsToNudge(db: Db, before: number, limit: number): Action[] {
  return db
    .select()
    .from(actions)
    .where(sql`${actions.state} = 'pending' and ${actions.nudgedAt} is null and ${actions.createdAt} <= ${before}`)
    .orderBy(asc(actions.id))
    .limit(limit)
    .all();
}

export function markNudged(db: Db, id: number, now: number): void {
  db.update(actions).set({ nudgedAt: now }).where(eq(actions.id, id)).run();
}

/** An action with what reports need to know about it. */
export interface CountedAction {
  id: number;
  memberId: number;
  displayName: string;
  jobId: number | null;
  jobSlug: string | null;
  jobTitle: string | null;
  journey: string | null;
  weight: number | null;
  groupId: number | null;
  hours: number | null;
  note: string;
  doneAt: number;
  state: string;
  source: string | null;
  /** Set when the member asked to be forgotten: counted, never named. */
  forgottenAt: number | null;
}

const countedColumns = {
  id: actions.id,
  memberId: actions.memberId,
  displayName: members.displayName,
  jobId: actions.jobId,
  jobSlug: actionJobs.slug,
  jobTitle: actionJobs.title,
  journey: actionJobs.journey,
  weight: actionJobs.weight,
  groupId: actions.groupId,
  hours: actions.hours,
  note: actions.note,
  doneAt: actions.doneAt,
  state: actions.state,
  source: actions.source,
  forgottenAt: members.forgottenAt,
};

/** Actions done in [from, to), verified only unless `states` says otherwise. */
export function actionsDoneBetween(db: Db, range: { from?: number; to: number }, opts: { memberId?: number; states?: ActionState[] } = {}): CountedAction[] {
  const where = and(
    inArray(actions.state, opts.states ?? ["verified"]),
    range.from === undefined ? undefined : gte(actions.doneAt, range.from),
    lt(actions.doneAt, range.to),
    opts.memberId === undefined ? undefined : eq(actions.memberId, opts.memberId),
  );
  return db
    .select(countedColumns)
    .from(actions)
    .innerJoin(members, eq(members.id, actions.memberId))
    .leftJoin(actionJobs, eq(actionJobs.id, actions.jobId))
    .where(where)
    .orderBy(asc(actions.doneAt), asc(actions.id))
    .all();
}

/** When each member's first verified action was done: who is new in a period. */
export function firstVerifiedDoneAt(db: Db): Map<number, number> {
  const rows = db
    .select({ memberId: actions.memberId, first: sql<number>`min(${actions.doneAt})` })
    .from(actions)
    .where(eq(actions.state, "verified"))
    .groupBy(actions.memberId)
    .all();
  return new Map(rows.map((r) => [r.memberId, r.first]));
}

// ---- a member's own record (`export me`, `forget me`) ---------------------

/** Every action done by a member (`memberId`), or logged by them for someone else (`loggedBy`), oldest first. */
export function actionsBy(db: Db, column: "memberId" | "loggedBy", memberId: number): Action[] {
  return db.select().from(actions).where(eq(actions[column], memberId)).orderBy(asc(actions.id)).all();
}

/**
 * Erases the words on a member's own actions (the note, the evidence link, a
 * driver's reason, the notes on their trail). The actions, their jobs,
 * hours, dates and states stay: totals and progress don't change.
 */
export function eraseActionWords(db: Db, memberId: number): void {
  db.update(actions).set({ note: "", evidence: null, reason: null }).where(eq(actions.memberId, memberId)).run();
  db.update(actionTrail)
    .set({ note: null })
    .where(inArray(actionTrail.actionId, db.select({ id: actions.id }).from(actions).where(eq(actions.memberId, memberId))))
    .run();
}
