// What a member uses the bot for: their commands in the inbound ledger
// (kept for the retention age), for `help` to put first. Read-only; a scan
// of a bounded table, only when someone asks for help.
import { sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { inboundEvents } from "./schema/core.ts";

/** Command names this member ran since `since`, most used first (ties: most recent first). */
export function mostUsedCommands(db: Db, memberId: number, since: number, limit: number): string[] {
  return db
    .select({ command: inboundEvents.command })
    .from(inboundEvents)
    .where(sql`${inboundEvents.memberId} = ${memberId} and ${inboundEvents.receivedAt} >= ${since} and ${inboundEvents.command} is not null and ${inboundEvents.outcome} in ('ok', 'refused', 'invalid')`)
    .groupBy(inboundEvents.command)
    .orderBy(sql`count(*) desc, max(${inboundEvents.receivedAt}) desc`)
    .limit(limit)
    .all()
    .map((r) => r.command!)
    .filter((c) => !c.includes(":"));
}
