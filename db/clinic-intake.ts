// Website intake deliveries: each signed request the clinic accepted, by its
// Standard Webhooks id and timestamp, with a hash of its body, so that a
// retry (same id, same body, new timestamp) is recognised, a reused id (other
// body) is refused and the same signed request twice is a replay.
import { eq } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { clinicIntakeDeliveries } from "./schema/clinic.ts";

export type IntakeDelivery = typeof clinicIntakeDeliveries.$inferSelect;

/** Every accepted delivery under this webhook id, oldest first. */
export function deliveriesOf(db: Db, webhookId: string): IntakeDelivery[] {
  return db.select().from(clinicIntakeDeliveries).where(eq(clinicIntakeDeliveries.webhookId, webhookId)).orderBy(clinicIntakeDeliveries.receivedAt).all();
}

export function recordDelivery(db: Db, row: IntakeDelivery): void {
  db.insert(clinicIntakeDeliveries).values(row).run();
}

/** On erasure: a body hash would let someone confirm a guessed text. */
export function forgetDeliveries(db: Db, enquiryId: number): void {
  db.delete(clinicIntakeDeliveries).where(eq(clinicIntakeDeliveries.enquiryId, enquiryId)).run();
}
