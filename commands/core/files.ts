// Messages that carry a file (a chart, a CSV export, a calendar): the one
// place any capability makes them. The bytes travel in the outbox row, so a
// resend after a crash has them; once the message is out they are dropped
// from the row a few minutes later: an export holds members' names and
// profiles, and the outbox keeps sent messages for weeks (retention), where
// `forget me` could not find them in base64. Each adapter sends the file in
// its own idiom (Slack files.uploadV2, Matrix media + m.image/m.file, the
// console saves it): see OutboundMessage.file in bot/events.ts.
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { type FileAttachment, MAX_FILE_BYTES, type OutboundMessage } from "../../bot/events.ts";
import { dropFileBytes, isPending } from "../../db/outbox-files.ts";

export class FileTooLarge extends Error {
  constructor(readonly bytes: number) {
    super(`a file of ${bytes} bytes is over the ${MAX_FILE_BYTES}-byte limit for chat`);
  }
}

/** A file for a message; throws FileTooLarge past MAX_FILE_BYTES (the caller says what to do instead). */
export function attachment(name: string, mimeType: string, bytes: Buffer, alt: string, size?: { width: number; height: number }): FileAttachment {
  if (bytes.length > MAX_FILE_BYTES) throw new FileTooLarge(bytes.length);
  return { name, mimeType, data: bytes.toString("base64"), alt, ...(size ? { width: size.width, height: size.height } : {}) };
}

export const withFile = (text: string, file: FileAttachment): OutboundMessage => ({ text, file });

const DROP_JOB = "core.drop-file-bytes";
const MINUTE = 60_000;

/**
 * Call with the outbox id of a message carrying a file: its bytes leave the
 * outbox once it is sent. A negative id is an answer a read-only command
 * sent without storing it (bot/read-only.ts): no row, nothing to drop.
 */
export function dropBytesOnceSent(ctx: BaseContext, outboxId: number | undefined, attempt = 0): void {
  if (outboxId === undefined || outboxId < 0) return;
  ctx.schedule({ kind: DROP_JOB, key: `file-bytes:${outboxId}:${attempt}`, dueAt: ctx.now + (attempt === 0 ? 5 * MINUTE : 60 * MINUTE), payload: { outboxId, attempt } });
}

/** Still waiting to go out (a platform is down): look again in an hour; the resend needs the bytes. */
export const dropFileBytesJob = defineJob<{ outboxId: number; attempt: number }>({
  kind: DROP_JOB,
  run(ctx, { outboxId, attempt }) {
    if (isPending(ctx.db, outboxId)) return dropBytesOnceSent(ctx, outboxId, attempt + 1);
    if (dropFileBytes(ctx.db, outboxId)) return ctx.services.scrubWal?.();
    ctx.skip("no file bytes left in that outbox row");
  },
});
