// Carrying out deliveries on Matrix: posts (replies, in threads), private
// answers (the asker's DM: Matrix has no ephemeral messages), files (to the
// media repository, then an `m.image` or `m.file`), edits (`m.replace`),
// removals (redactions) — and turning failures into what the dispatcher
// understands (see errors.ts).
//
// Private answers: a reply meant only for the asker goes to their DM with
// the bot, and the command they typed in the room gets a 📬 reaction, so the
// room sees that it was answered without seeing the answer.
import { createHash } from "node:crypto";
import { DeliveryError } from "../../bot/adapter.ts";
import type { Clock } from "../../bot/clock.ts";
import type { Delivery, Target } from "../../bot/events.ts";
import { changeMembership } from "./membership.ts";
import type { Logger } from "../../bot/log.ts";
import type { MatrixApi } from "./client.ts";
import { describe, isForbidden, isNotInRoom, isRateLimited, matrixErrorOf, toDeliveryError } from "./errors.ts";
import { editContent, fileContent, messageContent, type Relation, renderMessage, renderText, type RenderOptions } from "./render.ts";
import type { RoomDirectory } from "./rooms.ts";
import type { MatrixStateStore } from "./state-store.ts";

export const ANSWERED_PRIVATELY = "📬";

export interface OutboundDeps {
  api: MatrixApi;
  store: MatrixStateStore;
  rooms: RoomDirectory;
  log: Logger;
  clock: Clock;
  render: RenderOptions;
  /** Makes our transaction ids unique to this state file (see txnId). */
  salt: string;
  /** Who sent a command we answer (to ping them in the reply), if known. */
  senderOf: (eventId: string) => string | undefined;
}

interface Where {
  roomId: string;
  relation?: Relation;
  /** For a private answer: the command in the room, to mark as answered. */
  askedIn?: { roomId: string; eventId: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The transaction id of one outbox delivery's event: its uid (database
 * instance + outbox id) and what the event does. A resend (after a timeout
 * that did reach the server, or after a crash before the send was recorded)
 * uses the same id, and the homeserver gives back the first event instead of
 * posting a second (as long as it remembers the id for this access token;
 * Synapse keeps it for a day or more). The content is not part of it: a
 * member renamed in between must not turn one message into two.
 */
export function deliveryTxn(d: Pick<Delivery, "uid">, step: "post" | "edit" | "redact" | "note" | "file"): string {
  return `coopbot.${d.uid}.${step}`;
}

export class Outbound {
  private readonly marked = new Set<string>();

  constructor(private readonly deps: OutboundDeps) {}

  async deliver(d: Delivery): Promise<{ ref?: string }> {
    switch (d.kind) {
      case "post":
        return this.post(d);
      case "update":
        return this.edit(d);
      case "remove":
        return this.remove(d);
      case "invite":
      case "uninvite":
        return changeMembership(this.deps.api, d, (roomId) => this.deps.rooms.label(roomId));
    }
  }

  private async post(d: Delivery): Promise<{ ref?: string }> {
    const where = await this.where(d.target);
    await this.ensureCanPost(where.roomId);
    const rendered = renderMessage(d.message, d.mentions, this.deps.render);
    const content = d.message.file ? fileContent(rendered, d.message.file, await this.upload(d, where.roomId), where.relation) : messageContent(rendered, where.relation);
    const eventId = await this.send(where.roomId, "m.room.message", content, deliveryTxn(d, "post"), "post");
    this.deps.store.recordSent(eventId, where.roomId, this.deps.clock.now());
    if (where.askedIn) await this.markAnsweredPrivately(where.askedIn.roomId, where.askedIn.eventId);
    return { ref: eventId };
  }

  /**
   * The file's bytes into the media repository. A retry uploads them again
   * (an upload has no transaction id), but the event that shows them is
   * sent under the delivery's transaction id: people see it once.
   */
  private async upload(d: Delivery, roomId: string): Promise<string> {
    const file = d.message.file!;
    if (!file.data) throw new DeliveryError(`the bytes of ${file.name} are no longer in the outbox`, { permanent: true });
    try {
      return await this.deps.api.uploadContent(Buffer.from(file.data, "base64"), file.mimeType, file.name);
    } catch (err) {
      throw await this.failure(err, roomId, `upload ${file.name}`);
    }
  }

  private async edit(d: Delivery): Promise<{ ref?: string }> {
    if (!d.editsRef) throw new DeliveryError("an edit without the message it edits", { permanent: true });
    const roomId = this.deps.store.roomOfSent(d.editsRef) ?? (await this.where(d.target)).roomId;
    const content = editContent(renderMessage(d.message, d.mentions, this.deps.render), d.editsRef);
    const eventId = await this.send(roomId, "m.room.message", content, deliveryTxn(d, "edit"), "edit a message");
    this.deps.store.recordSent(eventId, roomId, this.deps.clock.now());
    return { ref: eventId };
  }

  /** Redacts a message, with the note as the reason; without the power to, posts only the note. */
  private async remove(d: Delivery): Promise<{ ref?: string }> {
    const { api, log, render } = this.deps;
    if (!d.editsRef || d.target.kind !== "room") throw new DeliveryError("a removal needs a room and a message", { permanent: true });
    const roomId = d.target.roomId;
    const note = d.message.text.trim() ? renderText(d.message.text, d.mentions, render) : undefined;
    try {
      const id = await api.redactEvent(roomId, d.editsRef, note?.body.slice(0, 1000), deliveryTxn(d, "redact"));
      return { ref: id };
    } catch (err) {
      if (!isForbidden(err) || isNotInRoom(err)) throw await this.failure(err, roomId, "remove a message");
      log.warn({ roomId, eventId: d.editsRef, error: describe(err) }, "matrix: no power to remove a message; posting only the note (give the bot 'Remove messages sent by others')");
      if (!note) return {};
      const eventId = await this.send(roomId, "m.room.message", messageContent(note), deliveryTxn(d, "note"), "post");
      return { ref: eventId };
    }
  }

  /** Where a target lands on Matrix. */
  private async where(target: Target): Promise<Where> {
    switch (target.kind) {
      case "room": {
        const relation: Relation = {};
        if (target.thread) relation.thread = target.thread;
        if (target.replyHandle) {
          relation.replyTo = target.replyHandle;
          const sender = this.deps.senderOf(target.replyHandle);
          if (sender) relation.replyToSender = sender;
        }
        return { roomId: target.roomId, relation };
      }
      case "ephemeral": {
        const roomId = await this.dmRoom(target.platformId);
        return target.replyHandle ? { roomId, askedIn: { roomId: target.roomId, eventId: target.replyHandle } } : { roomId };
      }
      case "member":
        return { roomId: await this.dmRoom(target.platformId) };
    }
  }

  private async dmRoom(userId: string): Promise<string> {
    try {
      return await this.deps.rooms.dmRoomFor(userId);
    } catch (err) {
      throw toDeliveryError(err, { botUserId: this.deps.api.userId, room: `a direct message with ${userId}`, action: `open a direct message with ${userId}` });
    }
  }

  private async ensureCanPost(roomId: string): Promise<void> {
    if ((await this.deps.rooms.canPost(roomId)) !== false) return;
    const room = await this.deps.rooms.label(roomId);
    const bot = this.deps.api.userId;
    throw new DeliveryError(`I'm not allowed to post in ${room}: give ${bot} permission to post in ${room} (Room settings → Roles & Permissions → Send messages)`, { permanent: true });
  }

  /**
   * A transaction id for one of the adapter's own events (not from the
   * outbox): the same content under the same key is the same event.
   */
  private txnId(roomId: string, type: string, content: object, key: string): string {
    const hash = createHash("sha256").update(`${roomId}\n${type}\n${JSON.stringify(content)}`).digest("hex").slice(0, 16);
    return `coopbot.${this.deps.salt}.${key}.${hash}`;
  }

  private async send(roomId: string, type: string, content: object, txnId: string, action: string): Promise<string> {
    try {
      return await this.deps.api.sendEvent(roomId, type, content, txnId);
    } catch (err) {
      const partner = this.deps.store.dmPartner(roomId);
      if (partner && isNotInRoom(err)) {
        // Our DM with them is gone (we were removed): forget it, and the retry opens a new one.
        this.deps.store.forgetDmRoom(partner, roomId);
        this.deps.rooms.forget(roomId);
        throw new Error(`the direct-message room with ${partner} is gone; a new one will be opened (${describe(err)})`);
      }
      throw await this.failure(err, roomId, action);
    }
  }

  private async failure(err: unknown, roomId: string, action: string): Promise<Error> {
    return toDeliveryError(err, { botUserId: this.deps.api.userId, room: await this.deps.rooms.label(roomId), action });
  }

  /** 📬 on the command a private answer was for. Best effort: the answer itself was delivered. */
  private async markAnsweredPrivately(roomId: string, eventId: string): Promise<void> {
    if (this.marked.has(eventId) || this.deps.store.roomOfSent(eventId)) return; // once, and never on our own messages
    this.marked.add(eventId);
    if (this.marked.size > 5000) this.marked.delete(this.marked.values().next().value!);
    const content = { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key: ANSWERED_PRIVATELY } };
    try {
      await this.withRateLimitRetry(() => this.deps.api.sendEvent(roomId, "m.reaction", content, this.txnId(roomId, "m.reaction", content, "answered")));
    } catch (err) {
      if (matrixErrorOf(err)?.errcode === "M_DUPLICATE_ANNOTATION") return;
      this.deps.log.debug({ roomId, eventId, error: describe(err) }, "matrix: could not mark a command as answered privately");
    }
  }

  /**
   * A message of the adapter's own (not from the outbox), sent once: the
   * same `key` in the same room is the same event.
   */
  async notice(roomId: string, text: string, key: string): Promise<string> {
    const content = messageContent(renderText(text, {}, this.deps.render));
    return this.withRateLimitRetry(() => this.deps.api.sendEvent(roomId, "m.room.message", content, this.txnId(roomId, "notice", content, `notice.${key}`)));
  }

  async noticeToUser(userId: string, text: string, key: string): Promise<string> {
    return this.notice(await this.deps.rooms.dmRoomFor(userId), text, key);
  }

  private async withRateLimitRetry<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (err) {
        if (!isRateLimited(err) || i >= attempts) throw err;
        await sleep(matrixErrorOf(err)?.retryAfterMs ?? 1000);
      }
    }
  }
}
