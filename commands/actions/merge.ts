// Linked accounts (`link confirm`): one person's actions and thanks become
// one record, without counting anything twice.
import { sql } from "drizzle-orm";
import type { BaseContext } from "../../bot/context.ts";

export function mergeActionMembers(ctx: BaseContext, from: number, into: number): void {
  const { db } = ctx;
  db.run(sql`update or ignore actions set member_id = ${into} where member_id = ${from}`);
  // What is left under `from` is the same automatic action recorded for both accounts: keep one.
  db.run(sql`update actions set state = 'void', reason = 'duplicate: accounts linked', decided_at = ${ctx.now} where member_id = ${from} and state != 'void'`);
  db.run(sql`update actions set logged_by = ${into} where logged_by = ${from}`);
  db.run(sql`update actions set decided_by = ${into} where decided_by = ${from}`);
  db.run(sql`update action_trail set "by" = ${into} where "by" = ${from}`);
  db.run(sql`update thanks set giver_id = ${into} where giver_id = ${from}`);
  db.run(sql`update or ignore thanks_recipients set recipient_id = ${into} where recipient_id = ${from}`);
  db.run(sql`delete from thanks_recipients where recipient_id = ${from}`);
  // Thanks one account gave the other are thanks to oneself now: they don't count.
  db.run(sql`delete from thanks_recipients where recipient_id = ${into} and thanks_id in (select id from thanks where giver_id = ${into})`);
}
