// Retention: deleting rows the bot no longer needs, a small batch at a time.
// Every pruned table's rowid grows with time (but reply_pages', one row per
// member), so a batch reads the oldest rows after a cursor through the
// primary key (never a scan of the table) and a pass over a table ends at
// its first row younger than the cutoff.
// Only these tables are ever pruned; audit trails (actions and their trail,
// thanks, attendance, notes, join requests, role grants, the clinic's
// enquiries, notes, handoffs and transactions) and the inbox are not.
import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";

/** Rows read per batch (one transaction). A literal in each query: SQLite re-plans a bound LIMIT. */
export const PRUNE_BATCH = 500;

export interface Cutoffs {
  /** Rows older than this go (retentionDays). */
  before: number;
  /** Posts something may still refer to (a message key, buttons) go when older than this (editableMessageDays). */
  editableBefore: number;
  /** Asked about a referable post past `editableBefore`: true keeps it (a capability still needs it). */
  keepMessage(key: string): boolean;
}

/** One row as a batch reads it: `at` is its age's timestamp; the rest say whether it may go. */
interface ScannedRow {
  rowid: number;
  at: number;
  state?: string;
  finishedAt?: number | null;
  dueAt?: number;
  expiresAt?: number;
  referable?: number;
  key?: string | null;
}

type Verdict = "delete" | "keep" | "stop";

interface PrunedTable {
  name: string;
  scan: string;
  remove: string;
  decide(row: ScannedRow, cut: Cutoffs, pinned: ReadonlySet<number>): Verdict;
}

const young = (row: ScannedRow, cut: Cutoffs) => row.at >= cut.before;
const DELIVERED = new Set(["sent", "failed", "skipped"]);

/**
 * Each pruned table: how a batch reads it, and which rows go.
 * - outbox: delivered rows (sent, failed, skipped). A post that something
 *   may look up later keeps longer: one with a message key (a later
 *   decision edits it: `postsWithKey`) or with buttons (a Matrix reaction
 *   on it is mapped to them: `findByPlatformRef`), until editableMessageDays
 *   and then only if no capability still needs it; and never while an edit
 *   of it waits to be sent.
 * - inbound_events: the dedupe ledger, far past any platform's retries.
 * - jobs: finished ones, once both their finish and their due time are past
 *   the cutoff, so no key of a job that could still be planned is freed.
 * - link_codes (15-minute codes), link_failures (a 15-minute rate limit),
 *   clinic_intake_deliveries (signatures older than 5 minutes are refused).
 * - reply_pages: the rest of a long answer, which `more` shows for an hour.
 */
export const PRUNED_TABLES: readonly PrunedTable[] = [
  {
    name: "outbox",
    scan: `select id as rowid, created_at as at, state, msg_key as key,
             kind = 'post' and (msg_key is not null or json_type(message, '$.buttons') = 'array') as referable
           from outbox where id > @after order by id limit ${PRUNE_BATCH}`,
    remove: "delete from outbox where id = ?",
    decide(row, cut, pinned) {
      if (young(row, cut)) return "stop";
      if (!DELIVERED.has(row.state!) || pinned.has(row.rowid)) return "keep";
      if (!row.referable) return "delete";
      if (row.at >= cut.editableBefore) return "keep";
      return row.key && cut.keepMessage(row.key) ? "keep" : "delete";
    },
  },
  {
    name: "inbound_events",
    scan: `select rowid, received_at as at from inbound_events where rowid > @after order by rowid limit ${PRUNE_BATCH}`,
    remove: "delete from inbound_events where rowid = ?",
    decide: (row, cut) => (young(row, cut) ? "stop" : "delete"),
  },
  {
    name: "jobs",
    scan: `select id as rowid, created_at as at, state, finished_at as finishedAt, due_at as dueAt
           from jobs where id > @after order by id limit ${PRUNE_BATCH}`,
    remove: "delete from jobs where id = ?",
    decide(row, cut) {
      if (young(row, cut)) return "stop";
      if (row.state === "pending") return "keep";
      return (row.finishedAt ?? row.at) < cut.before && row.dueAt! < cut.before ? "delete" : "keep";
    },
  },
  {
    name: "link_codes",
    scan: `select id as rowid, created_at as at, expires_at as expiresAt from link_codes where id > @after order by id limit ${PRUNE_BATCH}`,
    remove: "delete from link_codes where id = ?",
    decide: (row, cut) => (young(row, cut) ? "stop" : row.expiresAt! < cut.before ? "delete" : "keep"),
  },
  {
    name: "link_failures",
    scan: `select id as rowid, at from link_failures where id > @after order by id limit ${PRUNE_BATCH}`,
    remove: "delete from link_failures where id = ?",
    decide: (row, cut) => (young(row, cut) ? "stop" : "delete"),
  },
  {
    // One row per member, keyed by member id, so not in time order: a batch keeps young rows and goes on.
    name: "reply_pages",
    scan: `select member_id as rowid, created_at as at from reply_pages where member_id > @after order by member_id limit ${PRUNE_BATCH}`,
    remove: "delete from reply_pages where member_id = ?",
    decide: (row, cut) => (young(row, cut) ? "keep" : "delete"),
  },
  {
    name: "clinic_intake_deliveries",
    scan: `select rowid, received_at as at from clinic_intake_deliveries where rowid > @after order by rowid limit ${PRUNE_BATCH}`,
    remove: "delete from clinic_intake_deliveries where rowid = ?",
    decide: (row, cut) => (young(row, cut) ? "stop" : "delete"),
  },
];

/**
 * Posts an unsent edit still points at (its `updates_id`): the dispatcher
 * reads the post to know what to edit. Through the pending-rows index, a handful.
 */
export const PINNED_POSTS_SQL = `select updates_id as id from outbox indexed by outbox_channel_pending
  where state = 'pending' and updates_id is not null`;

const statements = perDb((db) => ({
  pinned: db.$client.prepare(PINNED_POSTS_SQL),
  tables: PRUNED_TABLES.map((t) => ({ scan: db.$client.prepare(t.scan) as Statement<[{ after: number }], ScannedRow>, remove: db.$client.prepare(t.remove) })),
}));

export interface BatchResult {
  deleted: number;
  /** Where the next batch of this table starts; undefined when the table is done. */
  next: number | undefined;
}

/** One batch of table `index`: reads up to PRUNE_BATCH rows after `after` and deletes those that may go. Call it in a transaction. */
export function pruneBatch(db: Db, index: number, after: number, cut: Cutoffs): BatchResult {
  const table = PRUNED_TABLES[index]!;
  const { scan, remove } = statements(db).tables[index]!;
  const pinned = table.name === "outbox" ? new Set((statements(db).pinned.all() as { id: number }[]).map((r) => r.id)) : new Set<number>();
  const rows = scan.all({ after });
  let deleted = 0;
  for (const row of rows) {
    const verdict = table.decide(row, cut, pinned);
    if (verdict === "stop") return { deleted, next: undefined };
    if (verdict === "delete") deleted += remove.run(row.rowid).changes;
  }
  return { deleted, next: rows.length < PRUNE_BATCH ? undefined : rows[rows.length - 1]!.rowid };
}
