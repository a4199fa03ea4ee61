// Transactions, and what rides on them.
//
// - `inTransaction`: one IMMEDIATE transaction (the write lock is taken at
//   BEGIN, so two processes never deadlock upgrading a read lock);
//   better-sqlite3 transactions are synchronous, and so are all handlers.
// - `inSavepoint`: undo only what `fn` wrote if it throws.
// - `afterCommit`: work that must wait until what the transaction wrote is
//   durable (handing committed messages to the dispatcher); dropped with a
//   savepoint or transaction that rolls back.
// - `deferWrite`: bookkeeping that need not cost a transaction of its own
//   (a message recorded as sent): it is written at the start of the next
//   write transaction, or after a short idle pause if none comes.
import type Database from "better-sqlite3";
import type { Db } from "./connection.ts";
import { Watch } from "./watch.ts";

/** How long deferred bookkeeping may wait for a transaction to ride on before it gets its own. */
export const DEFERRED_WRITE_MS = 50;

export interface DeferredWrite {
  /** Runs inside a transaction. */
  write: () => void;
  /** The write threw: it was left out (the transaction it rode on went ahead without it). */
  failed?: (err: unknown) => void;
}

interface TxState {
  watch: Watch;
  run: Database.Transaction<(fn: () => unknown) => unknown>;
  afterCommit: (() => void)[];
  deferred: DeferredWrite[];
  idle: NodeJS.Timeout | undefined;
}

// One transaction function per connection: better-sqlite3 builds a wrapper
// per `transaction()` call, which costs more than a small command's writes.
const states = new WeakMap<Db, TxState>();
function stateOf(db: Db): TxState {
  let st = states.get(db);
  if (!st) {
    st = { watch: new Watch(db.$client), run: db.$client.transaction((fn: () => unknown) => fn()), afterCommit: [], deferred: [], idle: undefined };
    states.set(db, st);
  }
  return st;
}

/** The connection's cache watch (db/watch.ts). */
export function watchOf(db: Db): Watch {
  return stateOf(db).watch;
}

export function inTransaction<T>(db: Db, fn: () => T): T {
  if (db.$client.inTransaction) return inSavepoint(db, fn);
  const st = stateOf(db);
  const carried = st.deferred.splice(0);
  st.watch.enter();
  let result: T;
  try {
    result = st.run.immediate(() => {
      if (carried.length > 0) writeDeferred(st, carried);
      return fn();
    }) as T;
  } catch (err) {
    st.afterCommit.length = 0;
    st.deferred.unshift(...carried);
    if (st.deferred.length > 0) armIdle(db, st);
    st.watch.changedEverything();
    throw err;
  } finally {
    st.watch.leave();
  }
  // Committed: a hook that throws is a bug in the hook, not a failed transaction.
  runAfterCommit(st);
  return result;
}

export function inSavepoint<T>(db: Db, fn: () => T): T {
  if (!db.$client.inTransaction) return inTransaction(db, fn);
  const st = stateOf(db);
  const mark = st.afterCommit.length;
  try {
    return st.run(fn) as T;
  } catch (err) {
    st.afterCommit.length = mark;
    // A cache may have been filled from rows the rollback took away.
    st.watch.changedEverything();
    throw err;
  }
}

/** Runs `fn` once what the current transaction wrote is committed (now, outside one). */
export function afterCommit(db: Db, fn: () => void): void {
  if (db.$client.inTransaction) stateOf(db).afterCommit.push(fn);
  else fn();
}

/** Queues bookkeeping for the next write transaction (or an idle flush). */
export function deferWrite(db: Db, item: DeferredWrite): void {
  const st = stateOf(db);
  st.deferred.push(item);
  armIdle(db, st);
}

/** Writes deferred bookkeeping now (before a shutdown, or when a test wants the database settled). */
export function flushDeferredWrites(db: Db): void {
  const st = stateOf(db);
  if (st.deferred.length === 0 || !db.$client.open) return;
  if (db.$client.inTransaction) {
    writeDeferred(st, st.deferred.splice(0));
    return;
  }
  inTransaction(db, () => undefined);
}

/**
 * Reads inside `fn` see one consistent view of the caches: another
 * connection's commits are checked for once (a read-only command).
 */
export function readScope<T>(db: Db, fn: () => T): T {
  const { watch } = stateOf(db);
  watch.enter();
  try {
    return fn();
  } finally {
    watch.leave();
  }
}

/**
 * Many reads that must agree with one another (a dashboard page, an export
 * file): one read transaction, so a command that commits half-way through
 * can't be counted by one figure and missed by the next. Reads only (a write
 * would need the write lock, which a snapshot can't always be upgraded to).
 */
export function inSnapshot<T>(db: Db, fn: () => T): T {
  if (db.$client.inTransaction) return readScope(db, fn);
  const run = stateOf(db).run;
  return readScope(db, () => run.deferred(fn) as T);
}

/**
 * No savepoint per item (two statements fewer per command): SQLite undoes a
 * failing statement by itself, and deferred bookkeeping is written so that
 * a half-applied item is harmless (a mark not recorded is offered again).
 */
function writeDeferred(_st: TxState, items: DeferredWrite[]): void {
  for (const item of items) {
    try {
      item.write();
    } catch (err) {
      item.failed?.(err);
    }
  }
}

function runAfterCommit(st: TxState): void {
  const hooks = st.afterCommit.splice(0);
  for (const hook of hooks) hook();
}

function armIdle(db: Db, st: TxState): void {
  if (st.idle) return;
  st.idle = setTimeout(() => {
    st.idle = undefined;
    try {
      flushDeferredWrites(db);
    } catch {
      // Busy or closing: the next transaction carries them.
      if (st.deferred.length > 0 && db.$client.open) armIdle(db, st);
    }
  }, DEFERRED_WRITE_MS);
  st.idle.unref();
}
