// When a message can never be delivered (the bot was removed from a room,
// or lacks permission to post), the people who can fix it are told, instead
// of the failure staying in a log nobody reads.
import { inTransaction } from "../db/connection.ts";
import { inboundActor } from "../db/inbound.ts";
import type { OutboxRow } from "../db/outbox.ts";
import { holdersOf } from "../db/roles.ts";
import { BaseContext, type Services } from "./context.ts";
import type { Target } from "./events.ts";
import { esc } from "./markup.ts";
import { reportMembershipFailure } from "./membership.ts";

export function reportUndeliverable(services: Services, row: OutboxRow, error: string): void {
  if (row.kind === "invite" || row.kind === "uninvite") return reportMembershipFailure(services, row, error);
  const target = JSON.parse(row.target) as Target;
  if (row.msgKey && reportedByOwner(services, row, row.msgKey, error)) return;
  // A private message that can't be delivered can't be reported privately either: log only.
  if (target.kind === "member") return;
  const source = row.source ?? "";
  try {
    inTransaction(services.db, () => {
      const ctx = new BaseContext(services, `undeliverable:${row.id}`, target.platform);
      const told = new Set<number>();
      const actor = source.startsWith("event:") ? inboundActor(services.db, source.slice("event:".length)) : undefined;
      if (actor !== undefined) told.add(actor);
      for (const admin of holdersOf(services.db, "admin")) told.add(admin.memberId);
      const where = `${target.platform} room ${esc(target.roomId)}`;
      for (const memberId of told) ctx.toMember(memberId, `⚠️ I couldn't post in the ${where}: ${esc(error)}`);
    });
  } catch (err) {
    services.log.error({ err, outboxId: row.id }, "could not report an undeliverable message");
  }
}

/** The capability that posted it under its key tells the people who can act (the clinic: an email that bounced goes to its claimer). */
function reportedByOwner(services: Services, row: OutboxRow, key: string, error: string): boolean {
  if (services.undeliverableReporters.length === 0) return false;
  try {
    return inTransaction(services.db, () => {
      const ctx = new BaseContext(services, `undeliverable:${row.id}`);
      return services.undeliverableReporters.some((report) => report(ctx, key, error));
    });
  } catch (err) {
    services.log.error({ err, outboxId: row.id }, "could not report an undeliverable message");
    return true;
  }
}
