// From the durable inbox to the core: for each stored Slack payload, look up
// the sender's name and the room's kind (cached, side by side), build the
// platform-free event and hand it to the core, which deletes the inbox row
// in the same transaction as the event's effects. Events reach the core in
// the order they were stored.
import type { CorePort } from "../../bot/adapter.ts";
import type { Clock } from "../../bot/clock.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { InboxEntry } from "../../bot/inbox.ts";
import type { Logger } from "../../bot/log.ts";
import type { HandleResult } from "../../bot/router.ts";
import type { Directory } from "./directory.ts";
import {
  type BlockActionsPayload,
  blockActionEvent,
  type Known,
  mentionedUserIds,
  messageEvent,
  roomKindOf,
  type SlashCommandPayload,
  slashCommandEvent,
  usableChannelName,
} from "./inbound.ts";
import type { StoredEvent, StoredPayload } from "./intake.ts";
import type { RoomInfo } from "./rooms.ts";

/** What happened to one inbound Slack payload (for logs and tests). */
export interface InboundReport {
  /** event_id for Events API payloads, trigger_id for slash commands and clicks. */
  eventId: string;
  event?: InboundEvent;
  result?: HandleResult;
  /** Why nothing was passed to the core. */
  skipped?: string;
}

export interface WorkerOptions {
  core: () => CorePort | undefined;
  users: Directory<string>;
  rooms: Directory<RoomInfo>;
  log: Logger;
  clock: Clock;
  botUserId: () => string | undefined;
  onInbound?: (report: InboundReport) => void;
}

export class InboundWorker {
  private queue: Promise<void> = Promise.resolve();

  constructor(private readonly opts: WorkerOptions) {}

  /** Runs one stored payload after those before it; its look-ups start now. */
  push(entry: InboxEntry): void {
    const stored = entry.payload as StoredPayload;
    let known: Promise<Known>;
    let build: (k: Known) => InboundEvent | undefined;
    switch (stored.kind) {
      case "slash":
        known = this.knownForSlash(stored.body);
        build = (k) => slashCommandEvent(stored.body, k, entry.receivedAt);
        break;
      case "click":
        known = this.knownForClick(stored.body);
        build = (k) => blockActionEvent(stored.body, stored.body.actions[0]!, k, entry.receivedAt);
        break;
      case "event":
        known = this.knownForMessage(stored.body);
        build = (k) => messageEvent(stored.body.event_id, stored.body.event, this.opts.botUserId(), k);
        break;
      default:
        known = Promise.resolve({});
        build = () => undefined;
    }
    const withNames = Promise.all([known, this.mentionNames(stored)]).then(([k, mentionNames]): Known => ({ ...k, mentionNames }));
    this.enqueue(entry, withNames.catch((): Known => ({})), build);
  }

  /** The names of the people a command mentions (cached like the sender's); empty where Slack didn't say. */
  private async mentionNames(stored: StoredPayload): Promise<Record<string, string>> {
    const text = stored.kind === "slash" ? stored.body.text : stored.kind === "event" ? stored.body.event.text : undefined;
    const ids = mentionedUserIds(text, this.opts.botUserId());
    const names = await Promise.all(ids.map((id) => this.opts.users.get(id).catch(() => undefined)));
    return Object.fromEntries(ids.map((id, i) => [id, names[i] ?? ""]));
  }

  /** Resolves once every payload pushed so far has reached the core. */
  idle(): Promise<void> {
    return this.queue;
  }

  private knownForSlash(p: SlashCommandPayload): Promise<Known> {
    const kind = roomKindOf(p.channel_id, { channelName: p.channel_name });
    const name = usableChannelName(p.channel_name) ?? this.opts.rooms.peek(p.channel_id)?.name;
    // The slash payload says what kind of room this is; remember it for mentions and clicks there.
    this.opts.rooms.remember(p.channel_id, name ? { kind, name } : { kind });
    return this.opts.users.get(p.user_id).then((displayName): Known => ({ displayName, roomKind: kind, roomName: name }));
  }

  private knownForClick(p: BlockActionsPayload): Promise<Known> {
    const channel = p.channel?.id ?? p.container?.channel_id ?? "";
    return Promise.all([this.opts.users.get(p.user.id), this.roomOf(channel, p.channel?.name)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind, roomName: room?.name }),
    );
  }

  private knownForMessage(p: StoredEvent): Promise<Known> {
    const e = p.event;
    const hintKind = e.channel_type ? roomKindOf(e.channel, { channelType: e.channel_type }) : undefined;
    return Promise.all([e.user ? this.opts.users.get(e.user) : undefined, hintKind === "dm" ? undefined : this.roomOf(e.channel)]).then(
      ([displayName, room]): Known => ({ displayName, roomKind: room?.kind ?? hintKind, roomName: room?.name }),
    );
  }

  private async roomOf(channel: string, name?: string): Promise<RoomInfo | undefined> {
    if (!channel) return undefined;
    const hinted = roomKindOf(channel, { channelName: name });
    if (hinted !== "public") return { kind: hinted };
    return this.opts.rooms.get(channel);
  }

  private enqueue(entry: InboxEntry, known: Promise<Known>, build: (known: Known) => InboundEvent | undefined): void {
    const { eventId } = entry;
    this.queue = this.queue
      .then(async () => {
        const k = await known;
        const core = this.opts.core();
        // Stopped: the row stays in the inbox and runs at the next start.
        if (!core) return this.opts.onInbound?.({ eventId, skipped: "adapter stopped" });
        const event = build(k);
        if (!event) {
          core.inbox.done(entry.id);
          return this.opts.onInbound?.({ eventId, skipped: "not for the bot" });
        }
        const result = core.receive(event, { inboxId: entry.id });
        this.opts.log.debug({ eventId, outcome: result.outcome, command: result.command }, "slack event handled");
        this.opts.onInbound?.({ eventId, event, result });
      })
      .catch((err: unknown) => {
        // A bug in turning the payload into an event: logged without the payload, and not retried forever.
        this.opts.log.error({ err, eventId }, "a stored Slack event could not be handled");
        this.opts.core()?.inbox.done(entry.id);
        this.opts.onInbound?.({ eventId, skipped: "error" });
      });
  }
}
