// The rest of a member's latest long answer, waiting for `more` (one row
// per member; a new long answer replaces it). See bot/paging.ts.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { replyPages } from "./schema/core.ts";

export interface StoredPages {
  pages: string[];
  createdAt: number;
}

/** Keeps `pages` for `memberId`, replacing whatever was kept before. */
export function keepPages(db: Db, memberId: number, target: unknown, pages: readonly string[], now: number): void {
  const row = { memberId, target: JSON.stringify(target), pages: JSON.stringify(pages), createdAt: now };
  db.insert(replyPages)
    .values(row)
    .onConflictDoUpdate({ target: replyPages.memberId, set: { target: row.target, pages: row.pages, createdAt: row.createdAt } })
    .run();
}

export function keptPages(db: Db, memberId: number): StoredPages | undefined {
  const row = db.select({ pages: replyPages.pages, createdAt: replyPages.createdAt }).from(replyPages).where(eq(replyPages.memberId, memberId)).get();
  return row && { pages: JSON.parse(row.pages) as string[], createdAt: row.createdAt };
}

/** What is left after a page was shown; the row goes when nothing is. */
export function setRemainingPages(db: Db, memberId: number, pages: readonly string[]): void {
  if (pages.length === 0) {
    forgetPages(db, memberId);
    return;
  }
  db.update(replyPages).set({ pages: JSON.stringify(pages) }).where(eq(replyPages.memberId, memberId)).run();
}

export function forgetPages(db: Db, memberId: number): void {
  db.delete(replyPages).where(eq(replyPages.memberId, memberId)).run();
}

/**
 * Every member's kept pages. A page may quote text that has to leave the
 * database (an erased clinic enquiry), and pages only save retyping.
 */
export function forgetAllPages(db: Db): number {
  return db.run(sql`delete from reply_pages`).changes;
}
