// The inbound ledger: one row per platform event acted on.
import { sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { perDb } from "./prepared.ts";
import { inboundEvents } from "./schema/core.ts";

const queries = perDb((db) => ({
  seen: db
    .select({ outcome: inboundEvents.outcome })
    .from(inboundEvents)
    .where(sql`${inboundEvents.platform} = ${sql.placeholder("platform")} and ${inboundEvents.eventId} = ${sql.placeholder("eventId")}`)
    .prepare(),
  record: db
    .insert(inboundEvents)
    .values({
      platform: sql.placeholder("platform"),
      eventId: sql.placeholder("eventId"),
      receivedAt: sql.placeholder("receivedAt"),
      memberId: sql.placeholder("memberId"),
      command: sql.placeholder("command"),
      outcome: sql.placeholder("outcome"),
    })
    .onConflictDoNothing()
    .prepare(),
}));

export function wasSeen(db: Db, platform: string, eventId: string): boolean {
  return queries(db).seen.get({ platform, eventId }) !== undefined;
}

/** Records the event; false if it was already recorded (a redelivery raced us). */
export function recordInbound(
  db: Db,
  row: { platform: string; eventId: string; receivedAt: number; memberId: number | null; command: string | null; outcome: string },
): boolean {
  return queries(db).record.run(row).changes > 0;
}

/** The member behind a recorded event (`platform:eventId`), to tell them when something they caused failed. */
export function inboundActor(db: Db, platformAndEventId: string): number | undefined {
  const at = platformAndEventId.indexOf(":");
  const row = db
    .select({ memberId: inboundEvents.memberId })
    .from(inboundEvents)
    .where(sql`${inboundEvents.platform} = ${platformAndEventId.slice(0, at)} and ${inboundEvents.eventId} = ${platformAndEventId.slice(at + 1)}`)
    .get();
  return row?.memberId ?? undefined;
}
