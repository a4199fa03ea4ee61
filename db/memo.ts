// Cached reads of rows that change rarely (who someone is, their roles, the
// groups, the job catalogue), dropped whenever a table they come from may
// have changed (watch.ts). A cached value is shared: callers never mutate it.
import type { Db } from "./connection.ts";
import { watchOf } from "./transaction.ts";
import type { WatchedTable } from "./watch.ts";

/** More entries than this and the cache starts again (a directory, not a copy of the database). */
const MAX_ENTRIES = 20_000;

interface Cache<V> {
  filledSince: number;
  values: Map<string | number, V>;
}

/**
 * Wraps a read keyed by `key(...args)`. `tables`: every table the read
 * looks at; a write to any of them (here or in another process) empties it.
 */
export function memo<A extends unknown[], V>(tables: readonly WatchedTable[], key: (...args: A) => string | number, load: (db: Db, ...args: A) => V): (db: Db, ...args: A) => V {
  const caches = new WeakMap<Db, Cache<V>>();
  return (db, ...args) => {
    const watch = watchOf(db);
    watch.sync();
    let cache = caches.get(db);
    if (!cache) caches.set(db, (cache = { filledSince: watch.now(), values: new Map() }));
    else if (cache.values.size >= MAX_ENTRIES || watch.changedSince(tables, cache.filledSince)) {
      cache.values.clear();
      cache.filledSince = watch.now();
    }
    const k = key(...args);
    if (cache.values.has(k)) return cache.values.get(k) as V;
    const value = frozen(load(db, ...args));
    cache.values.set(k, value);
    return value;
  };
}

/** Shared values are frozen, so a caller that sorts or edits one fails loudly instead of corrupting the cache. */
function frozen<V>(value: V): V {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) value.forEach((v) => v !== null && typeof v === "object" && Object.freeze(v));
  return Object.freeze(value);
}
