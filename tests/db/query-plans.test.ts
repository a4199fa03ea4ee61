// The hot queries must find their rows through an index, never by reading a
// table that only grows (the outbox, the jobs). A plan check, not a timing.
import { describe, expect, it } from "vitest";
import { openDatabase } from "../../db/connection.ts";
import { dueSql } from "../../db/outbox.ts";
import { PINNED_POSTS_SQL, PRUNED_TABLES } from "../../db/retention.ts";

const db = openDatabase(":memory:");
const plan = (sql: string, params: Record<string, unknown> = {}) =>
  (db.$client.prepare(`explain query plan ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(" | ");
const DUE_PARAMS = { now: 0, owner: "me", limit: 10 };

describe("query plans", () => {
  it("scans only pending messages for due ones", () => {
    expect(plan(dueSql(["slack", "matrix"]), DUE_PARAMS)).toMatch(/USING INDEX outbox_channel_pending/);
  });

  it("finds a channel's oldest pending message through the index", () => {
    expect(plan(`select id from outbox where state = 'pending' and channel = 'slack:room:C1' order by id limit 1`)).toMatch(/USING COVERING INDEX outbox_channel_pending/);
  });

  it("finds due jobs through the pending-jobs index", () => {
    expect(plan(`select * from jobs where state = 'pending' and due_at <= 5 order by due_at, id limit 100`)).toMatch(/USING INDEX jobs_due/);
  });

  it("finds a member by platform identity and a group by slug through their keys", () => {
    expect(plan(`select * from identities where platform = 'slack' and platform_id = 'U1'`)).toMatch(/USING INDEX sqlite_autoindex_identities_1/);
    expect(plan(`select * from groups where slug = 'comms'`)).toMatch(/USING INDEX groups_slug/);
  });

  it.each(PRUNED_TABLES.map((t) => [t.name, t] as const))("prunes %s a batch at a time through its primary key, never a scan", (_name, table) => {
    expect(plan(table.scan, { after: 0 })).toMatch(/^SEARCH \w+ USING INTEGER PRIMARY KEY \(rowid>\?\)$/);
    expect(plan(table.remove.replace("?", "1"))).toMatch(/^SEARCH \w+ USING INTEGER PRIMARY KEY \(rowid=\?\)$/);
  });

  it("finds the posts an unsent edit points at through the pending-rows index", () => {
    expect(plan(PINNED_POSTS_SQL)).toMatch(/USING INDEX outbox_channel_pending/);
  });
});
