// What the clinic looks up among the messages the bot sent: the card an
// enquiry's thread hangs from in the triage room, and the emails to a
// website enquirer (which carry their address and a private link, so they
// are taken out of the records once sent, and when the enquiry is erased).
import type { Db } from "./connection.ts";
import { type OutboxRow, getOutboxRow, redactDelivered } from "./outbox.ts";

/** Message keys, shared with the clinic's commands. */
export const cardKeyPrefix = (enquiryId: number) => `clinic:card:${enquiryId}:`;
export const mailKey = (enquiryId: number) => `clinic:mail:${enquiryId}`;

/**
 * The platform ref of the first card of this enquiry the triage room got:
 * the root of its thread there. Undefined until that card has been sent.
 * A key range rather than LIKE, so the message-key index is used.
 */
export function threadRootRef(db: Db, enquiryId: number, room: { platform: string; id: string }): string | undefined {
  const prefix = cardKeyPrefix(enquiryId);
  const row = db.$client
    .prepare(
      `select platform_ref as ref from outbox
        where msg_key is not null and msg_key >= ? and msg_key < ? and kind = 'post' and platform = ?
          and platform_ref is not null and json_extract(target, '$.kind') = 'room' and json_extract(target, '$.roomId') = ?
        order by id limit 1`,
    )
    .get(prefix, `${prefix.slice(0, -1)};`, room.platform, room.id) as { ref: string } | undefined;
  return row?.ref;
}

/** The enquiry whose card is the post the platform knows as `ref`, if it is one. */
export function enquiryOfCard(db: Db, platform: string, ref: string): number | undefined {
  const row = db.$client
    .prepare("select msg_key as msgKey from outbox where platform = ? and platform_ref = ? and platform_ref is not null and kind = 'post' limit 1")
    .get(platform, ref) as { msgKey: string | null } | undefined;
  const m = /^clinic:card:(\d+):\d+$/.exec(row?.msgKey ?? "");
  return m ? Number(m[1]) : undefined;
}

/** When the newest email about this enquiry was queued (a new link is sent at most once an hour). */
export function lastEmailQueuedAt(db: Db, enquiryId: number): number | undefined {
  const row = db.$client.prepare("select max(created_at) as at from outbox where msg_key = ? and platform = 'email'").get(mailKey(enquiryId)) as { at: number | null };
  return row.at ?? undefined;
}

/**
 * An enquiry was erased: every email about it keeps neither its words nor
 * the address (what went out is the enquirer's now), and one not sent yet
 * is never sent.
 */
export function forgetEmails(db: Db, enquiryId: number, note: string): number {
  return db.$client
    .prepare(
      `update outbox set message = ?, target = json_set(target, '$.roomId', '(erased)'), channel = 'email:room:(erased)',
              state = case when state = 'pending' then 'skipped' else state end,
              lease_until = null, lease_owner = null
        where msg_key = ? and platform = 'email'`,
    )
    .run(JSON.stringify({ text: note }), mailKey(enquiryId)).changes;
}

/** Once an email has gone, what the outbox keeps of it loses the link (a copy of the database opens no conversation). */
export function redactSentEmail(db: Db, outboxId: number, note: string): "done" | "pending" | "gone" {
  const row: OutboxRow | undefined = getOutboxRow(db, outboxId);
  if (!row || row.platform !== "email") return "gone";
  return redactDelivered(db, outboxId, note) ? "done" : "pending";
}
