// Inbound Matrix events, from the sync loop to `core.receive`.
//
// The sync listeners (onTimelineEvent, onInvite) are synchronous and quick:
// they write the events we care about to the inbox in our state file and
// return, so the SDK can store its sync token after the batch without
// anything being lost. A worker then handles the inbox in order within each
// room (rooms in parallel; lookups of room kind and names are async), calls
// `core.receive`, and deletes the row. A crash replays at most the rows not
// yet deleted, and the core dedupes those by event id.
import type { CorePort } from "../../bot/adapter.ts";
import type { Clock } from "../../bot/clock.ts";
import type { Logger } from "../../bot/log.ts";
import { esc } from "../../bot/markup.ts";
import type { MatrixApi } from "./client.ts";
import { describe, isRateLimited, isTransient, matrixErrorOf } from "./errors.ts";
import { editToInbound, isOlderThan, messageToInbound, reactionOf, reactionToInbound, userIdsIn } from "./inbound.ts";
import type { Outbound } from "./outbound.ts";
import { buttonForReaction } from "./reactions.ts";
import type { RoomDirectory } from "./rooms.ts";
import { inviteAllowed, type MatrixSettings } from "./settings.ts";
import type { InboxRow, MatrixStateStore } from "./state-store.ts";

type Json = Record<string, any>;

/** Timeline events that go to the inbox; state events are read as they arrive. */
const INBOX_TYPES = new Set(["m.room.message", "m.reaction", "m.room.encrypted"]);

export interface InboxDeps {
  settings: MatrixSettings;
  api: MatrixApi;
  store: MatrixStateStore;
  rooms: RoomDirectory;
  outbound: Outbound;
  /** Where the sender of each recent command is noted (replies ping them); kept to the last 2000. */
  senders: Map<string, string>;
  log: Logger;
  clock: Clock;
  /** Whether the native crypto binding loaded (then encrypted rooms are readable). */
  e2ee: boolean;
  /** The core while the adapter runs; undefined once it stopped (rows then wait for the next start). */
  core: () => CorePort | undefined;
  /** Events before this (homeserver time) are not acted on. */
  cutoff: () => number;
}

export class Inbox {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<number>();
  private pumpQueued = false;
  private readonly noticing = new Set<string>();

  constructor(private readonly deps: InboxDeps) {}

  // --- sync listeners: synchronous and quick ---

  onTimelineEvent(roomId: string, event: Json): void {
    if (!this.deps.core()) return;
    if (typeof event.state_key === "string") {
      this.deps.rooms.onStateEvent(roomId, event);
      if (event.type === "m.room.encryption" && !this.deps.e2ee) this.enqueue("event", roomId, event);
      return;
    }
    if (event.sender === this.deps.api.userId || !INBOX_TYPES.has(event.type)) return;
    this.enqueue("event", roomId, event);
  }

  onInvite(roomId: string, event: Json): void {
    if (!this.deps.core()) return;
    this.enqueue("invite", roomId, event);
  }

  private enqueue(kind: InboxRow["kind"], roomId: string, event: Json): void {
    this.deps.store.enqueue(kind, roomId, event, this.deps.clock.now());
    this.schedule();
  }

  // --- the worker: in order within a room, rooms in parallel ---

  /** Handle what is in the inbox (soon, not now: never inside a sync listener). */
  schedule(): void {
    if (this.pumpQueued) return;
    this.pumpQueued = true;
    setImmediate(() => {
      this.pumpQueued = false;
      this.pump();
    });
  }

  /** Waits (up to `ms`) for the rows being handled. */
  async settle(ms: number): Promise<void> {
    await Promise.race([Promise.allSettled([...this.chains.values()]), new Promise((r) => setTimeout(r, ms).unref())]);
  }

  private pump(): void {
    if (!this.deps.core()) return;
    for (const row of this.deps.store.pending(500)) {
      if (this.inFlight.has(row.id)) continue;
      this.inFlight.add(row.id);
      const next = (this.chains.get(row.roomId) ?? Promise.resolve()).then(() => this.handle(row));
      this.chains.set(row.roomId, next);
      void next.finally(() => {
        this.inFlight.delete(row.id);
        if (this.chains.get(row.roomId) === next) this.chains.delete(row.roomId);
        if (this.inFlight.size === 0) this.schedule();
      });
    }
  }

  private async handle(row: InboxRow): Promise<void> {
    if (!this.deps.core()) return; // stopped: left in the inbox for the next start
    try {
      if (row.kind === "invite") await this.handleInvite(row.roomId, row.event);
      else await this.handleEvent(row.roomId, row.event);
    } catch (err) {
      this.deps.log.error({ err, roomId: row.roomId, eventId: row.event.event_id }, "matrix: could not handle an event; skipped");
    }
    if (this.deps.core()) this.deps.store.done(row.id);
  }

  private async handleEvent(roomId: string, event: Json): Promise<void> {
    if (isOlderThan(event, this.deps.cutoff())) return;
    switch (event.type) {
      case "m.room.message":
        return this.handleMessage(roomId, event);
      case "m.reaction":
        return this.handleReaction(roomId, event);
      case "m.room.encrypted":
      case "m.room.encryption":
        return this.noticeEncrypted(roomId);
    }
  }

  private async handleMessage(roomId: string, event: Json): Promise<void> {
    const { rooms, api, settings } = this.deps;
    const room = await rooms.room(roomId);
    const displayName = await rooms.senderName(roomId, event.sender);
    const context = { botUserId: api.userId, prefix: settings.commandPrefix, room, displayName };
    const inbound = messageToInbound(event, context) ?? editToInbound(event, context);
    if (inbound?.addressed) inbound.mentions = await this.verifiedMentions(roomId, userIdsIn(inbound.text, api.userId));
    const core = this.deps.core();
    if (!inbound || !core) return;
    if (inbound.addressed) {
      const { senders } = this.deps;
      senders.set(inbound.eventId, event.sender);
      if (senders.size > 2000) senders.delete(senders.keys().next().value!);
    }
    core.receive(inbound);
  }

  /**
   * The user ids a command names that the homeserver knows (a member of the
   * room, or a profile it can show), with their names. An id it doesn't
   * know stays unverified: a typo never becomes a member.
   */
  private async verifiedMentions(roomId: string, ids: string[]): Promise<{ ref: string; platformId: string; displayName: string }[] | undefined> {
    if (ids.length === 0) return undefined;
    const found = await Promise.all(ids.map((id) => this.deps.rooms.knownName(roomId, id)));
    const mentions = ids.flatMap((id, i) => (found[i] === undefined ? [] : [{ ref: id, platformId: id, displayName: found[i]! }]));
    return mentions.length > 0 ? mentions : undefined;
  }

  /** A reaction on one of the bot's messages with a matching button is that button. */
  private async handleReaction(roomId: string, event: Json): Promise<void> {
    const reaction = reactionOf(event);
    const message = reaction && this.deps.core()?.messageByRef("matrix", reaction.target);
    if (!reaction || !message || message.buttons.length === 0) {
      this.deps.log.debug({ roomId, eventId: event.event_id, known: Boolean(message) }, "matrix: a reaction on no message of ours with buttons; ignored");
      return;
    }
    const button = buttonForReaction(reaction.key, message.buttons);
    if (!button) {
      this.deps.log.debug({ roomId, eventId: event.event_id }, "matrix: a reaction that matches none of the message's buttons; ignored");
      return;
    }
    const room = await this.deps.rooms.room(roomId);
    const displayName = await this.deps.rooms.senderName(roomId, event.sender);
    this.deps.core()?.receive(reactionToInbound(event, button.command, { room, displayName, target: reaction.target }));
  }

  /** Joins when invited (from an allowed server), then checks the room: encryption, permission to post. */
  private async handleInvite(roomId: string, event: Json): Promise<void> {
    const { api, rooms, store, log, settings } = this.deps;
    const inviter = typeof event.sender === "string" ? event.sender : "";
    if (!inviteAllowed(settings, inviter)) {
      log.info({ roomId, inviter, allowed: settings.allowedServers }, "matrix: declined an invite from a server not in MATRIX_ALLOWED_SERVERS");
      await api.leaveRoom(roomId, "coopbot only joins rooms of the federation's homeservers").catch((err) => log.warn({ err, roomId }, "matrix: could not decline an invite"));
      return;
    }
    if (rooms.joined.has(roomId)) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await api.joinRoom(roomId);
        break;
      } catch (err) {
        if (attempt >= 4 || !this.deps.core() || !isTransient(err)) throw err;
        await new Promise((r) => setTimeout(r, isRateLimited(err) ? (matrixErrorOf(err)?.retryAfterMs ?? 1000) : 1000 * attempt));
      }
    }
    rooms.joined.add(roomId);
    if (event.content?.is_direct === true && inviter) store.setDmRoom(inviter, roomId, this.deps.clock.now());
    log.info({ roomId, inviter }, "matrix: joined a room on invite");
    const room = await rooms.room(roomId);
    if (room.encrypted && !this.deps.e2ee) await this.noticeEncrypted(roomId);
    if ((await rooms.canPost(roomId)) === false && inviter) {
      log.warn({ roomId, inviter }, "matrix: joined a room where the bot may not post");
      const text = `I joined *${esc(room.name ?? roomId)}* but I'm not allowed to post there, so I can't answer commands in it. Give ${esc(api.userId)} permission to send messages (Room settings → Roles & Permissions).`;
      await this.deps.outbound.noticeToUser(inviter, text, `cannot-post.${roomId}`).catch((err) => log.warn({ err, roomId }, "matrix: could not tell the inviter the bot can't post"));
    }
  }

  /** Once per room (remembered in the state file): this room is encrypted and the bot can't read it. */
  private async noticeEncrypted(roomId: string): Promise<void> {
    const { store, log } = this.deps;
    if (store.noticed(roomId, "encrypted") || this.noticing.has(roomId)) return;
    this.noticing.add(roomId);
    try {
      const text = this.deps.e2ee
        ? "🔒 I couldn't decrypt a message in this room, so I can't act on it. If you typed a command, type it again in a moment, or send it to me in a direct message."
        : "🔒 This room is end-to-end encrypted, and I can't read encrypted messages (my encryption support isn't installed), so I won't see commands typed here. Talk to me in an unencrypted room or in a direct message (start it without encryption), or ask an admin to enable E2EE for the bot.";
      await this.deps.outbound.notice(roomId, text, "encrypted");
      store.markNoticed(roomId, "encrypted", this.deps.clock.now());
      log.info({ roomId }, "matrix: told an encrypted room the bot can't read it");
    } catch (err) {
      log.warn({ roomId, error: describe(err) }, "matrix: could not post the encrypted-room notice; will try again on the next encrypted message");
    } finally {
      this.noticing.delete(roomId);
    }
  }
}
