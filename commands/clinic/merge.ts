// Linked accounts (`link confirm`): one person's enquiries, claims, notes,
// conversation messages, handoffs and adviser entry become one record.
import { sql } from "drizzle-orm";
import type { BaseContext } from "../../bot/context.ts";

export function mergeClinicMembers(ctx: BaseContext, from: number, into: number): void {
  const { db } = ctx;
  for (const column of ["asker_id", "claimed_by", "adviser_id", "resolved_by"]) {
    db.run(sql`update clinic_enquiries set ${sql.identifier(column)} = ${into} where ${sql.identifier(column)} = ${from}`);
  }
  db.run(sql`update clinic_notes set author_id = ${into} where author_id = ${from}`);
  db.run(sql`update clinic_messages set author_id = ${into} where author_id = ${from}`);
  db.run(sql`update clinic_handoffs set adviser_id = ${into} where adviser_id = ${from}`);
  db.run(sql`update clinic_handoffs set offered_by = ${into} where offered_by = ${from}`);
  for (const column of ["enquirer_id", "adviser_id", "triager_id"]) {
    db.run(sql`update clinic_transactions set ${sql.identifier(column)} = ${into} where ${sql.identifier(column)} = ${from}`);
  }
  // One directory entry per adviser: the account already in it keeps its entry.
  db.run(sql`update or ignore clinic_advisers set member_id = ${into} where member_id = ${from}`);
  db.run(sql`delete from clinic_advisers where member_id = ${from}`);
}
