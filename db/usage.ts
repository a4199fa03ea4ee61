// What a member uses the bot for: their commands in the inbound ledger
// (kept for the retention age), for `help` to put first. Read-only; a scan
// of a bounded table, only when someone asks for help.
import { sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { inboundEvents } from "./schema/core.ts";

/** Commands this member ran since `since` (not the read-only ones: see bot/recent-use.ts), most used first (ties: most recent first). */
export function mostUsedCommands(db: Db, memberId: number, since: number, limit: number): { command: string; uses: number; last: number }[] {
  return db
    .select({ command: inboundEvents.command, uses: sql<number>`count(*)`, last: sql<number>`max(${inboundEvents.receivedAt})` })
    .from(inboundEvents)
    .where(sql`${inboundEvents.memberId} = ${memberId} and ${inboundEvents.receivedAt} >= ${since} and ${inboundEvents.command} is not null and ${inboundEvents.outcome} in ('ok', 'refused', 'invalid')`)
    .groupBy(inboundEvents.command)
    .orderBy(sql`count(*) desc, max(${inboundEvents.receivedAt}) desc`)
    .limit(limit)
    .all()
    .filter((r) => !r.command!.includes(":"))
    .map((r) => ({ command: r.command!, uses: r.uses, last: r.last }));
}
