// Outbox rows: written in the handler's transaction, sent by the dispatcher.
// Hot paths are prepared, and their conditions are written as literals
// (`state = 'pending'`) so SQLite can use the partial indexes.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";
import { afterCommit, watchOf } from "./transaction.ts";
import { outbox } from "./schema/core.ts";

export type OutboxRow = typeof outbox.$inferSelect;

export interface NewOutboxRow {
  kind: "post" | "update" | "remove" | "invite" | "uninvite";
  platform: string;
  channel: string;
  target: unknown;
  message: unknown;
  msgKey: string | null;
  updatesId: number | null;
  source: string | null;
  now: number;
  /** The dispatcher that will send it: the row is born held by it, so no second write is needed to claim it. */
  lease?: { owner: string; until: number };
  /** Resolved when the message was queued; handed to the dispatcher with the row, never stored. */
  mentions?: Record<number, { displayName: string; platformId?: string }>;
}

/** A row as it was written, handed over in memory once its transaction commits (the dispatcher needn't read it back). */
export interface CommittedRow extends Omit<NewOutboxRow, "now" | "lease"> {
  id: number;
  createdAt: number;
  leaseOwner: string | null;
  leaseUntil: number | null;
}

const committedListeners = new WeakMap<Db, (row: CommittedRow) => void>();

/** The dispatcher of this process, told of every row this connection commits. */
export function onCommittedRow(db: Db, listener: ((row: CommittedRow) => void) | undefined): void {
  if (listener) committedListeners.set(db, listener);
  else committedListeners.delete(db);
}

const PENDING = sql.raw(`"state" = 'pending'`);

const queries = perDb((db) => ({
  insert: db
    .insert(outbox)
    .values({
      kind: sql.placeholder("kind"),
      platform: sql.placeholder("platform"),
      channel: sql.placeholder("channel"),
      target: sql.placeholder("target"),
      message: sql.placeholder("message"),
      msgKey: sql.placeholder("msgKey"),
      updatesId: sql.placeholder("updatesId"),
      source: sql.placeholder("source"),
      nextAttemptAt: sql.placeholder("now"),
      createdAt: sql.placeholder("now"),
      leaseOwner: sql.placeholder("leaseOwner"),
      leaseUntil: sql.placeholder("leaseUntil"),
    })
    .returning({ id: outbox.id })
    .prepare(),
  /** One prepared query per set of platforms this dispatcher serves. */
  due: new Map<string, ReturnType<typeof dueQuery>>(),
  // Literal LIMITs: a bound one makes SQLite plan the statement again on every run.
  pendingInChannel: db.$client
    .prepare<{ channel: string; after: number }, { id: number }>(
      `select id from outbox indexed by outbox_channel_pending where state = 'pending' and channel = @channel and id > @after order by id limit 1`,
    ),
  pendingOf: db.$client
    .prepare<{ platform: string }, number>(`select id from outbox indexed by outbox_channel_pending where state = 'pending' and platform = @platform limit ${PENDING_CHECK_LIMIT}`)
    .pluck(),
  markSentMany: db.$client.prepare<{ marks: string }>(
    `update outbox set state = 'sent', sent_at = m.at, platform_ref = m.ref, lease_until = null, lease_owner = null, last_error = null
       from (select value ->> 0 as id, value ->> 1 as ref, value ->> 2 as at from json_each(@marks)) as m
      where outbox.id = m.id and outbox.state = 'pending'`,
  ),
  lease: db
    .update(outbox)
    .set({ leaseUntil: sql`${sql.placeholder("until")}`, leaseOwner: sql`${sql.placeholder("owner")}` })
    .where(sql`${outbox.id} = ${sql.placeholder("id")} and ${PENDING} and (${outbox.leaseUntil} is null or ${outbox.leaseUntil} < ${sql.placeholder("now")} or ${outbox.leaseOwner} = ${sql.placeholder("owner")})`)
    .prepare(),
  markSent: db
    .update(outbox)
    .set({ state: "sent", sentAt: sql`${sql.placeholder("now")}`, platformRef: sql`${sql.placeholder("ref")}`, leaseUntil: null, leaseOwner: null, lastError: null })
    .where(sql`${outbox.id} = ${sql.placeholder("id")} and ${PENDING}`)
    .prepare(),
  byId: db.select().from(outbox).where(eq(outbox.id, sql.placeholder("id"))).prepare(),
  heldElsewhere: db.$client.prepare<{ platform: string; owner: string; now: number }>(
    `select 1 from outbox indexed by outbox_channel_pending where state = 'pending' and platform = @platform
       and lease_owner is not null and lease_owner != @owner and lease_until >= @now limit 1`,
  ),
}));

export function enqueue(db: Db, row: NewOutboxRow): number {
  // The dispatcher trusts what it is handed only while no other connection
  // has written since it last looked: this transaction's check counts.
  watchOf(db).sync();
  const leaseOwner = row.lease?.owner ?? null;
  const leaseUntil = row.lease?.until ?? null;
  const id = queries(db).insert.get({ ...row, target: JSON.stringify(row.target), message: JSON.stringify(row.message), leaseOwner, leaseUntil })!.id;
  const listener = committedListeners.get(db);
  if (listener && leaseOwner !== null) {
    const { now, lease: _lease, ...rest } = row;
    afterCommit(db, () => listener({ ...rest, id, createdAt: now, leaseOwner, leaseUntil }));
  }
  return id;
}

/** Posts already made under a message key (to edit them after a decision). */
export function postsWithKey(db: Db, key: string): OutboxRow[] {
  return db
    .select()
    .from(outbox)
    .where(sql`${outbox.msgKey} = ${key} and ${outbox.msgKey} is not null and ${outbox.kind} = 'post'`)
    .orderBy(asc(outbox.id))
    .all();
}

export function getOutboxRow(db: Db, id: number): OutboxRow | undefined {
  return queries(db).byId.get({ id });
}

/** The post the platform knows as `ref` (a Slack ts, a Matrix event id). */
export function findByPlatformRef(db: Db, platform: string, ref: string): OutboxRow | undefined {
  return db
    .select()
    .from(outbox)
    .where(sql`${outbox.platform} = ${platform} and ${outbox.platformRef} = ${ref} and ${outbox.platformRef} is not null`)
    .get();
}

const ROW_COLUMNS = `id, kind, platform, channel, target, message, msg_key as msgKey, updates_id as updatesId, state, attempts,
  next_attempt_at as nextAttemptAt, lease_until as leaseUntil, lease_owner as leaseOwner, created_at as createdAt,
  sent_at as sentAt, platform_ref as platformRef, last_error as lastError, source`;

/**
 * Raw SQL for one reason: `INDEXED BY`. Left to itself SQLite walks the
 * whole outbox in id order (it grows forever); the partial index holds only
 * the pending rows, a handful, which it then sorts.
 */
/** Platform names as SQL literals (they are a fixed set of lowercase words; anything else is stripped). */
const platformList = (platforms: string[]) => platforms.map((p) => `'${p.replace(/[^a-z]/g, "")}'`).join(", ");

export function dueSql(platforms: string[]): string {
  const list = platformList(platforms);
  return `select ${ROW_COLUMNS} from outbox indexed by outbox_channel_pending
     where state = 'pending' and next_attempt_at <= @now and platform in (${list})
       and (lease_until is null or lease_until < @now or lease_owner = @owner)
     order by id limit ${DUE_SCAN_LIMIT}`;
}

/** Rows one scan reads at most; the next pass reads on. */
export const DUE_SCAN_LIMIT = 500;
/** Pending rows the dispatcher compares with what it holds in memory, at most. */
const PENDING_CHECK_LIMIT = 1000;

function dueQuery(db: Db, platforms: string[]) {
  const statement = db.$client.prepare(dueSql(platforms));
  return { all: (params: { now: number; owner: string }) => statement.all(params) as OutboxRow[] };
}

/** Pending rows for these platforms that are due and not held by another dispatcher, oldest first (DUE_SCAN_LIMIT of them). */
export function duePending(db: Db, platforms: string[], owner: string, now: number): OutboxRow[] {
  if (platforms.length === 0) return [];
  const key = [...platforms].sort().join(",");
  const cache = queries(db).due;
  let query = cache.get(key);
  if (!query) cache.set(key, (query = dueQuery(db, platforms)));
  return query.all({ now, owner });
}

/** The oldest pending row of a channel after `after` (the last one this dispatcher sent there), if any. */
export function firstPendingInChannel(db: Db, channel: string, after = 0): number | undefined {
  return queries(db).pendingInChannel.get({ channel, after })?.id;
}

/** Ids of pending rows of a platform (up to a thousand): the dispatcher checks it knows of all of them. */
export function pendingIdsOf(db: Db, platform: string): { ids: number[]; complete: boolean } {
  const ids = queries(db).pendingOf.all({ platform });
  return { ids, complete: ids.length < PENDING_CHECK_LIMIT };
}

/** Records several deliveries in one statement: [id, platform ref, when]. */
export function markSentMany(db: Db, marks: readonly (readonly [number, string | null, number])[]): void {
  if (marks.length > 0) queries(db).markSentMany.run({ marks: JSON.stringify(marks) });
}

export function nextRetryAt(db: Db, platforms: string[]): number | undefined {
  if (platforms.length === 0) return undefined;
  const list = platformList(platforms);
  // INDEXED BY for the same reason as the due scan: only pending rows are worth reading.
  const row = db.$client
    .prepare(`select min(next_attempt_at) as at from outbox indexed by outbox_channel_pending where state = 'pending' and platform in (${list})`)
    .get() as { at: number | null };
  return row.at ?? undefined;
}

/** Takes the row for this dispatcher; false if another one holds it or it is no longer pending. */
export function lease(db: Db, id: number, owner: string, now: number, until: number): boolean {
  return queries(db).lease.run({ id, owner, now, until }).changes > 0;
}

export function markSent(db: Db, id: number, now: number, ref: string | undefined): boolean {
  return queries(db).markSent.run({ id, now, ref: ref ?? null }).changes > 0;
}

export function markRetry(db: Db, id: number, at: number, error: string, countAttempt: boolean): void {
  db.update(outbox)
    .set({
      nextAttemptAt: at,
      leaseUntil: null,
      leaseOwner: null,
      lastError: error,
      attempts: countAttempt ? sql`${outbox.attempts} + 1` : outbox.attempts,
    })
    .where(eq(outbox.id, id))
    .run();
}

export function markFinal(db: Db, id: number, state: "failed" | "skipped", error: string): void {
  db.update(outbox).set({ state, leaseUntil: null, leaseOwner: null, lastError: error }).where(eq(outbox.id, id)).run();
}

/** Whether another dispatcher holds a pending row of this platform right now (only the pending rows are read). */
export function heldElsewhere(db: Db, platform: string, owner: string, now: number): boolean {
  const query = queries(db).heldElsewhere;
  return query.get({ platform, owner, now }) !== undefined;
}

/**
 * Ends the hold of a process known to be dead, keeping its name on the rows:
 * the next dispatcher takes them at once and knows they may have gone out.
 */
export function expireLeasesOf(db: Db, owner: string): number {
  return db.$client.prepare("update outbox set lease_until = 0 where lease_owner = ? and state = 'pending'").run(owner).changes;
}

/** Lets go of rows this dispatcher holds but did not send (it is stopping). */
export function releaseLeases(db: Db, owner: string): void {
  db.update(outbox).set({ leaseUntil: null, leaseOwner: null }).where(and(eq(outbox.leaseOwner, owner), sql`${PENDING}`)).run();
}

export function outboxCounts(db: Db): Record<string, number> {
  const rows = db.select({ state: outbox.state, n: sql<number>`count(*)` }).from(outbox).groupBy(outbox.state).all();
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}

/**
 * Replaces the stored text of every message (posts and their edits) made
 * under `key`: an erasure, so what we keep of messages we sent doesn't keep
 * what was erased. Buttons go too; where each was sent stays.
 */
export function redactMessagesWithKey(db: Db, key: string, text: string): number {
  return db
    .update(outbox)
    .set({ message: JSON.stringify({ text, key }) })
    .where(eq(outbox.msgKey, key))
    .run().changes;
}

/**
 * Replaces the stored text of one message once it has left the outbox's
 * hands (sent, failed or skipped), for text the database must not keep (a
 * secret link). False while it is pending: a resend still needs the text.
 */
export function redactDelivered(db: Db, id: number, text: string): boolean {
  return db
    .update(outbox)
    .set({ message: JSON.stringify({ text }) })
    .where(and(eq(outbox.id, id), sql`not ${PENDING}`))
    .run().changes > 0;
}

/** One page of rows made at or after `since`, in id order after `afterId`: the forget sweep reads the outbox a page at a time. */
export function outboxPageSince(db: Db, since: number, afterId: number, limit: number): OutboxRow[] {
  return db.$client.prepare(`select ${ROW_COLUMNS} from outbox where id > ? and created_at >= ? order by id limit ?`).all(afterId, since, limit) as OutboxRow[];
}

/**
 * Replaces the stored text of one message (buttons go; the key stays, so a
 * later decision still finds the post to edit). `skip`: a post not sent yet
 * is never sent.
 */
export function redactOutboxRow(db: Db, row: Pick<OutboxRow, "id" | "msgKey">, text: string, opts: { skip?: boolean } = {}): void {
  const message = JSON.stringify(row.msgKey ? { text, key: row.msgKey } : { text });
  const skip = opts.skip ? 1 : 0;
  db.$client
    .prepare(`update outbox set message = ?, state = case when ? and state = 'pending' and kind = 'post' then 'skipped' else state end where id = ?`)
    .run(message, skip, row.id);
}

/**
 * Replaces the stored copies of every message under `key` with `message`
 * (a card re-drawn without a forgotten member's words, buttons and all),
 * so what we keep matches what the platform edit will show.
 */
export function replaceMessagesWithKey(db: Db, key: string, message: { text: string; buttons?: unknown[] }): number {
  return db
    .update(outbox)
    .set({ message: JSON.stringify({ ...message, key }) })
    .where(eq(outbox.msgKey, key))
    .run().changes;
}

/** Rows whose text contains `needle` (a reference like CL-0042), for an erasure to look through. */
export function rowsMentioning(db: Db, needle: string): OutboxRow[] {
  return db.$client.prepare(`select ${ROW_COLUMNS} from outbox where instr(message, ?) > 0 order by id`).all(needle) as OutboxRow[];
}
