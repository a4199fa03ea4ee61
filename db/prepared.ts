import type { Db } from "./connection.ts";

/**
 * Builds a set of prepared queries once per database connection. Hot paths
 * use these: drizzle's unprepared builder costs ~7x more per call (STACK.md).
 */
export function perDb<T>(build: (db: Db) => T): (db: Db) => T {
  const cache = new WeakMap<Db, T>();
  return (db) => {
    let built = cache.get(db);
    if (!built) {
      built = build(db);
      cache.set(db, built);
    }
    return built;
  };
}
